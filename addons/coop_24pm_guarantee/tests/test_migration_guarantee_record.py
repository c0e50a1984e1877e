from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import GuaranteeCommon

LEGACY_COLUMNS = {
    "credit_score": "double precision",
    "credit_assessment_date": "date",
    "guarantee_required": "boolean",
    "guarantee_amount": "numeric",
    "guarantee_due_date": "date",
    "guarantee_overdue": "boolean",
}


def _load():
    return migration_util.load_script("coop_24pm_guarantee", "19.0.1.7.0", "end-migration")


@tagged("post_install", "-at_install")
class TestMigrationGuaranteeRecord(GuaranteeCommon):
    """Issue 21 (19.0.1.7.0): the guarantee's terms leave the membership for its
    ``coop.guarantee``."""

    def _as_before(self, membership, **values):
        """The membership as a database holds it before 19.0.1.7.0: no guarantee record, the
        terms in its own columns."""
        membership.guarantee_id.unlink()
        self._set_legacy_columns(membership, LEGACY_COLUMNS, **values)

    def test_terms_move_to_a_guarantee_per_membership(self):
        assessed = self._make_member(self._make_company("Évaluée SRL", vat="BE0403170701"))
        quiet = self._make_member(self._make_company("Sans Garantie SRL", vat="BE0477472701"))
        self._as_before(
            assessed,
            credit_score=40.0,
            credit_assessment_date="2026-01-02",
            guarantee_required=True,
            guarantee_amount=2500.0,
            guarantee_due_date="2026-02-04",
            guarantee_overdue=True,
        )
        self._as_before(quiet, guarantee_required=False, guarantee_overdue=False)
        self.env.invalidate_all()
        self.assertFalse(assessed.guarantee_id)
        script = _load()
        self.assertEqual(script.move_guarantees(self.env.cr), 2)
        self.assertEqual(script.move_guarantees(self.env.cr), 0, "idempotent")
        self.env.invalidate_all()
        self.assertRecordValues(
            assessed.guarantee_id,
            [
                {
                    "membership_id": assessed.id,
                    "company_id": assessed.company_id.id,
                    "regulation_id": assessed.regulation_id.id,
                    "credit_score": 40.0,
                    "credit_assessment_date": self._d("2026-01-02"),
                    "guarantee_required": True,
                    "guarantee_amount": 2500.0,
                    "guarantee_due_date": self._d("2026-02-04"),
                    "guarantee_overdue": True,
                }
            ],
        )
        self.assertRecordValues(
            quiet.guarantee_id,
            [{"membership_id": quiet.id, "credit_score": 0.0, "guarantee_required": False, "guarantee_amount": 0.0}],
        )
        self.assertTrue(assessed.guarantee_id.guarantee_overdue)
        self.assertTrue(assessed._is_late(self.env["res.partner"]), "the unpaid guarantee still makes it late")
        self.assertTrue(script.drop_guarantee_columns(self.env.cr))
        self.assertFalse(set(LEGACY_COLUMNS) & set(migration_util.table_columns(self.env.cr, "coop_membership")))
        self.assertTrue(script.drop_guarantee_columns(self.env.cr), "idempotent")
        self.assertEqual(script.move_guarantees(self.env.cr), 0, "nothing left to move")

    def test_columns_kept_while_a_membership_has_no_guarantee(self):
        member = self._make_member(self._make_company("Pas Encore SRL", vat="BE0417497106"))
        self._as_before(member, guarantee_required=True, guarantee_amount=1000.0)
        self.assertFalse(_load().drop_guarantee_columns(self.env.cr))
        self.assertIn("guarantee_amount", migration_util.table_columns(self.env.cr, "coop_membership"))

    def test_install_gives_each_membership_its_guarantee(self):
        """The memberships that exist when the addon is installed get theirs (``post_init_hook``),
        with the terms agreed with their application."""
        member = self._make_member(
            self._make_company("Installée SRL", vat="BE0417497106"), regulation=self.roi_2021, guarantee_amount=2500.0
        )
        member.guarantee_id.unlink()
        self.assertFalse(member.guarantee_id)
        created = self.env["coop.guarantee"]._coop_create_missing()
        self.assertIn(member.guarantee_id, created)
        self.assertRecordValues(
            member.guarantee_id, [{"membership_id": member.id, "guarantee_required": True, "guarantee_amount": 2500.0}]
        )
        self.assertFalse(self.env["coop.guarantee"]._coop_create_missing(), "once")
