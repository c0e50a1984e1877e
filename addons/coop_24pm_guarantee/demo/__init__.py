from . import coop_guarantee_demo
