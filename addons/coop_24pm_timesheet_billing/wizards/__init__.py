from . import coop_data_storage_wizard, coop_funded_release_wizard
