from . import join, portal, signup
