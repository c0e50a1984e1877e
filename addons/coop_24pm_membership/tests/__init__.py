from . import test_coop_rules
from . import test_membership_lifecycle
from . import test_share_register
from . import test_vat_and_acceptance
from . import test_regulation_change
from . import test_portal_access
from . import test_portal_tour
