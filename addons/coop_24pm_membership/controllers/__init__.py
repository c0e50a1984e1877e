from . import join, portal, portal_transfer, signup
