from . import portal
from . import project_portal
