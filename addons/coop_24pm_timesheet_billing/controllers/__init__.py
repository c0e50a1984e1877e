from . import funded_work, portal, project_portal, proposal_portal
