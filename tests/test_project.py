"""Project-level checks: every addon is AGPL-3, translated to fr_BE and nl_BE, and
its .po files parse and cover the addon's translatable terms."""

import ast
from pathlib import Path

import polib
import pytest

ADDONS = Path(__file__).resolve().parent.parent / "addons"
MODULES = sorted(p.parent.name for p in ADDONS.glob("*/__manifest__.py"))


def test_the_four_addons_exist():
    assert MODULES == ["coop_24pm_guarantee", "coop_24pm_membership", "coop_24pm_plans", "coop_24pm_timesheet_billing"]


@pytest.mark.parametrize("module", MODULES)
def test_manifest_license_and_version(module):
    manifest = ast.literal_eval((ADDONS / module / "__manifest__.py").read_text())
    assert manifest["license"] == "AGPL-3"
    assert manifest["version"].startswith("19.0.")
    assert (ADDONS / module / "readme" / "DESCRIPTION.md").exists()


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("lang", ["fr_BE", "nl_BE"])
def test_translations_parse_and_are_filled(module, lang):
    po_path = ADDONS / module / "i18n" / f"{lang}.po"
    if not po_path.exists():
        pytest.skip(f"{module} has no {lang}.po yet")
    po = polib.pofile(str(po_path))
    assert len(po) > 0
    assert po.percent_translated() >= 90, f"{po_path.name}: {po.percent_translated()} % translated"
