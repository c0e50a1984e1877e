from . import (
    coop_agent_wizard,
    coop_membership_notice_wizard,
    coop_membership_sign_wizard,
    coop_membership_terminate_wizard,
    coop_regulation_notify_wizard,
    coop_share_holders_wizard,
    coop_share_holders_wizard_line,
    coop_share_transfer_wizard,
)
