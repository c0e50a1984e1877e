from . import coop_membership_sign_wizard
from . import coop_membership_notice_wizard
from . import coop_membership_terminate_wizard
from . import coop_agent_wizard
from . import coop_share_holders_wizard
from . import coop_regulation_notify_wizard
