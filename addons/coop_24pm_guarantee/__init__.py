from . import controllers, demo, models, wizards


def post_init_hook(env):
    """The memberships that exist when the addon is installed get their guarantee."""
    env["coop.guarantee"]._coop_create_missing()
