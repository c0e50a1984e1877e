from . import guarantee_rules
from . import coop_regulation
from . import res_company
from . import coop_guarantee_move
from . import coop_invoice_dispute
from . import coop_debit_rejection
from . import account_move
from . import coop_membership
