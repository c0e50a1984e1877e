from . import funded_work, portal, project_portal
