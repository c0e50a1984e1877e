from . import coop_billing_demo_generator
