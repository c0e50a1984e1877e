from datetime import date

from odoo.tests import tagged

from odoo.addons.coop_24pm_membership import migration_util

from .common import CoopCommon


def _load(script):
    return migration_util.load_script("coop_24pm_membership", "19.0.1.5.0", script)


@tagged("post_install", "-at_install")
class TestMigrationIssue21Step3(CoopCommon):
    """Issue 21, step 3: the migration of ``coop_24pm_membership`` 19.0.1.5.0 (the end of a
    membership becomes a ``coop.membership.termination``)."""

    def _legacy_termination_columns(self, membership, **values):
        """The end's columns as a database holds them on the membership before 19.0.1.5.0."""
        columns = {
            "date_notice": "date",
            "notice_given_by": "varchar",
            "notice_days": "integer",
            "date_terminated": "date",
            "termination_type": "varchar",
            "fault_party": "varchar",
            "fault_description": "text",
            "fault_indemnity_amount": "numeric",
            "non_solicitation_end": "date",
        }
        self._set_legacy_columns(membership, columns, **values)

    def test_termination_facts_become_a_record_of_their_own(self):
        ended = self._make_member(self._make_company("Ancienne Faute SRL", vat="BE0403170701"))
        serving = self._make_member(self._make_company("Toujours Là SRL", vat="BE0477472701"))
        self.assertFalse(ended.termination_id)
        self._legacy_termination_columns(
            ended,
            date_notice="2025-03-12",
            notice_given_by="member",
            notice_days=15,
            date_terminated="2025-04-12",
            termination_type="fault",
            fault_party="member",
            fault_description="Art. 8.3.3: instructed employees directly",
            fault_indemnity_amount=1500.0,
            non_solicitation_end="2026-04-12",
        )
        script = _load("end-migrate")
        self.assertEqual(script.move_termination_values(self.env.cr), 1)
        self.assertEqual(script.move_termination_values(self.env.cr), 0, "idempotent")
        self.env.invalidate_all()
        self.assertFalse(serving.termination_id, "a membership without an end gets no record")
        self.assertRecordValues(
            ended.termination_id,
            [
                {
                    "membership_id": ended.id,
                    "company_id": ended.company_id.id,
                    "date_notice": date(2025, 3, 12),
                    "notice_given_by": "member",
                    "notice_days": 15,
                    "date_terminated": date(2025, 4, 12),
                    "termination_type": "fault",
                    "fault_party": "member",
                    "fault_description": "Art. 8.3.3: instructed employees directly",
                    "fault_indemnity_amount": 1500.0,
                    "non_solicitation_end": date(2026, 4, 12),
                }
            ],
        )
        script.drop_termination_columns(self.env.cr)
        script.drop_termination_columns(self.env.cr)  # idempotent
        self.assertEqual(script.move_termination_values(self.env.cr), 0, "nothing left to move")
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'coop_membership' "
            "AND column_name = ANY(%s)",
            [list(script.MOVED_COLUMNS)],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
