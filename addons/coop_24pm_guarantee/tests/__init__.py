from . import test_guarantee_rules
from . import test_guarantee
from . import test_late_payment
from . import test_direct_debit
from . import test_disputes
from . import test_trust_account
from . import test_portal
