from . import portal, project_portal, proposal_portal
