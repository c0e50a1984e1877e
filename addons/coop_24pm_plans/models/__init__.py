from . import coop_plan
from . import contract_contract
from . import contract_line
from . import account_move
from . import coop_membership
from . import coop_plan_change
from . import coop_strategy_item
from . import coop_offer
