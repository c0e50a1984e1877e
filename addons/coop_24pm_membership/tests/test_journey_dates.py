"""Issue 22: the dates of a membership's journey cannot contradict each other."""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestJourneyDates(CoopCommon):
    def test_a_contract_signed_before_the_suite_sent_it_was_sent_by_then(self):
        membership = self._make_member(self._make_company("Papier SRL", vat="BE0477472701"), date="2026-01-05")
        self.assertRecordValues(
            membership,
            [{"date_signed": date(2026, 1, 5), "date_registered": date(2026, 1, 5)}],
        )
        self.assertEqual(membership.application_id.date_sent, date(2026, 1, 5))

    def test_signature_before_sending_is_refused(self):
        membership = self._make_member(self._make_company("Ordre SRL", vat="BE0477472701"), date="2026-01-05")
        with self.assertRaisesRegex(ValidationError, "Signed on 01/04/2026 cannot precede Contract sent on 01/05/2026"):
            membership.date_signed = "2026-01-04"

    def test_register_before_signature_is_refused(self):
        membership = self._make_member(self._make_company("Registre SRL", vat="BE0477472701"), date="2026-01-05")
        with self.assertRaisesRegex(ValidationError, "Entered in the register on 01/01/2026 cannot precede"):
            membership.date_registered = "2026-01-01"

    def test_end_before_start_is_refused(self):
        membership = self._make_member(self._make_company("Fin SRL", vat="BE0477472701"), date="2026-01-05")
        with self.assertRaisesRegex(ValidationError, "the end date 12/31/2025 cannot precede the start 01/05/2026"):
            membership.date_end = "2025-12-31"
