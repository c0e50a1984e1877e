from . import portal, project_portal
