from odoo.tests import tagged

from .common import GuaranteeCommon


@tagged("post_install", "-at_install")
class TestChatterShowsMeaningfulValues(GuaranteeCommon):
    """Issue 22: the chatter shows changes, not "None → Prepayments" when a stored computed
    field gets its first value (members that existed when the guarantee addon was installed
    got their payment mode computed then, and the chatter logged it as a change from None)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._make_member(cls._make_company("Chatter SRL", vat="BE0477472701"), credit_score=80.0)

    def _track(self, fname, initial):
        tracked = self.member.fields_get([fname], attributes=("string", "type", "selection", "currency_field"))
        return self.member._mail_track(tracked, {fname: initial})

    def test_first_computed_payment_mode_is_not_a_change(self):
        self.assertEqual(self.member.coop_payment_mode, "prepayment")
        self.assertEqual(self._track("coop_payment_mode", False), (set(), []))

    def test_a_change_of_payment_mode_is_tracked(self):
        changes, commands = self._track("coop_payment_mode", "direct_debit")
        self.assertEqual(changes, {"coop_payment_mode"})
        self.assertEqual(
            (commands[0][2]["old_value_char"], commands[0][2]["new_value_char"]),
            ("SEPA B2B direct debit", "Prepayments"),
        )

    def test_a_field_set_by_staff_is_tracked_from_empty(self):
        self.member.pm_id = self.env.user
        changes, commands = self._track("pm_id", self.env["res.users"])
        self.assertEqual(changes, {"pm_id"})
        self.assertEqual(commands[0][2]["new_value_char"], self.env.user.display_name)
