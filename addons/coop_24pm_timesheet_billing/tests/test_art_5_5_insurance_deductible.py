from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CoopBillingCommon


@tagged("post_install", "-at_install")
class TestArt55InsuranceDeductible(CoopBillingCommon):
    """ROI 2021 art. 5.5: the deductible of a claim caused by the member is charged to
    it, capped at the regulation's maximum (EUR 125); repealed under ROI 2023."""

    @contextmanager
    def _refused(self, exception):
        """Refused (assertRaises: its savepoint rolls back), the message naming the article."""
        with self.assertRaises(exception) as refused:
            yield
        self.assertIn("Art. 5.5", str(refused.exception))

    def _claims_action(self, membership):
        """The member form's button: its claims, and a new one (active_id: the membership)."""
        action = self.env.ref("coop_24pm_timesheet_billing.coop_membership_insurance_claim_action")
        return {key: safe_eval(action[key], {"active_id": membership.id}) for key in ("domain", "context")}

    def _claim(self, membership, deductible, **vals):
        action = self._claims_action(membership)
        form = Form(self.env["coop.insurance.claim"].with_context(**action["context"]))
        form.name = vals.get("name", "Server room flooded")
        form.instruction = "The member ordered the migration during the storm warning"
        form.date = "2026-03-10"
        form.deductible_amount = deductible
        return form.save()

    def test_capped_at_125_and_posted_outside_vat(self):
        claim = self._claim(self.member, 300.0)
        self.assertEqual(claim.amount_charged, 125.0)
        claim.action_invoice()
        invoice = claim.invoice_id
        self.assertRecordValues(
            invoice,
            [
                {
                    "move_type": "out_invoice",
                    "state": "posted",
                    "partner_id": self.member.partner_id.id,
                    "coop_membership_id": self.member.id,
                    "coop_invoice_kind": "insurance_deductible",
                    "amount_untaxed": 125.0,
                    "amount_tax": 0.0,
                    "amount_total": 125.0,
                }
            ],
        )
        line = invoice.invoice_line_ids
        company = self.member.company_id
        self.assertEqual(line.product_id, self.env.ref("coop_24pm_timesheet_billing.product_insurance_deductible"))
        self.assertEqual(line.account_id, company._coop_get_late_fee_account())
        self.assertEqual(line.tax_ids, company._coop_get_outside_vat_tax())
        self.assertIn("art. 5.5", line.name)
        self.assertEqual(claim.state, "invoiced")
        # staff: the button of the member's form lists its claims
        action = self._claims_action(self.member)
        self.assertEqual(self.env["coop.insurance.claim"].search(action["domain"]), claim)
        # the receivable is the member's: 125.00 on its account
        receivable = invoice.line_ids.filtered(lambda rec: rec.account_id.account_type == "asset_receivable")
        self.assertEqual(receivable.balance, 125.0)

    def test_below_the_cap_charged_in_full(self):
        claim = self._claim(self.member, 80.40)
        claim.action_invoice()
        self.assertEqual(claim.amount_charged, 80.40)
        self.assertEqual(claim.invoice_id.amount_total, 80.40)

    def test_refused_under_2023_naming_the_article(self):
        member_2023 = self._make_billing_member("Assurance 2023", self.basic_2023)
        self.assertEqual(member_2023.regulation_id.insurance_deductible_max, 0.0)
        with self._refused(ValidationError):
            self.env["coop.insurance.claim"].create(
                {
                    "membership_id": member_2023.id,
                    "name": "Broken laptop",
                    "instruction": "Asked to ship it unpacked",
                    "deductible_amount": 100.0,
                }
            )
        self.assertEqual(self.env["coop.insurance.claim"].search_count([("membership_id", "=", member_2023.id)]), 0)
        self.assertFalse(self._invoices(member_2023, "insurance_deductible"))

    def test_bad_input_and_twice_refused(self):
        with self._refused(ValidationError):
            self._claim(self.member, -10.0)
        self.assertFalse(self.env["coop.insurance.claim"].search([("membership_id", "=", self.member.id)]))
        claim = self._claim(self.member, 125.01)
        claim.action_invoice()
        self.assertEqual(claim.invoice_id.amount_total, 125.0)
        with self._refused(UserError):
            claim.action_invoice()
        with self._refused(UserError):
            claim.deductible_amount = 50.0
        self.assertEqual(len(self._invoices(self.member, "insurance_deductible")), 1)
        self.assertEqual(claim.deductible_amount, 125.01)

    def test_agents_do_not_see_the_claims_only_their_invoice(self):
        agent = self._make_agent(self.member, "Agent Claims", "agent.claims@example.com", password="agent-claims-pass")
        claim = self._claim(self.member, 125.0)
        claim.action_invoice()
        with self.assertRaises(AccessError):
            claim.with_user(agent).read(["deductible_amount"])
        with self.assertRaises(AccessError):
            self.env["coop.insurance.claim"].with_user(agent).create(
                {"membership_id": self.member.id, "name": "x", "instruction": "y", "deductible_amount": 10.0}
            )
