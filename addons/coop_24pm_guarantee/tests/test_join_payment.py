from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GuaranteeCommon

SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
IBAN = "BE71 0961 2345 6769"


@tagged("post_install", "-at_install")
class TestJoinPayment(GuaranteeCommon, HttpCase):
    """Online journey, money steps: guarantee invoiced once accepted, SEPA B2B mandate signed
    online (or prepayments instead), refusal leaves nothing invoiced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Membership = cls.env["coop.membership"]
        cls.Application = cls.env["coop.membership.application"]

    def _signed(self, login, name, country_code="BE", credit_score=None):
        """An online application signed; ``credit_score``: staff's assessment recorded
        before the signature (SPEC 7.5: without one, ROI 2023 requires no guarantee)."""
        user = new_test_user(self.env, login, groups="base.group_portal", password=f"{login}-pass")
        self.Application._coop_join_company(user, not_incorporated=True, company_name=name, country_code=country_code)
        vals = {"regulation_id": self.roi_2023.id}
        if "plan_id" in self.Application._fields:  # coop_24pm_plans installed too: its step needs a plan
            vals.update({"plan_id": self.Application._coop_join_plans()[:1].id, "commitment": "monthly"})
        application = self.Application._coop_join_apply(user, vals)
        if credit_score is not None:
            application.credit_score = credit_score
        application._coop_join_sign(user, "Nina New", "Gérante", True, SIGNATURE)
        return user, application

    def _pay(self, invoice):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {}
        )._create_payments()

    def test_guarantee_invoiced_at_signature_held_once_paid(self):
        _user, application = self._signed("gar_invoice", "Garantie En Ligne SRL", credit_score=30.0)
        membership = application.membership_id
        self.assertTrue(membership.guarantee_id.guarantee_required)
        invoice = application.join_guarantee_move_id  # issue 21: the journey's record is the application
        currency = membership.currency_id
        self.assertRecordValues(
            invoice, [{"state": "posted", "move_type": "out_invoice", "coop_guarantee_invoice": True}]
        )
        self.assertEqual(currency.compare_amounts(invoice.amount_total, membership.guarantee_id.guarantee_amount), 0)
        self.assertEqual(currency.compare_amounts(invoice.amount_total, 1000.0), 0)
        self.assertEqual(invoice.invoice_line_ids.account_id, self.deposits_account, "a deposit, never revenue")
        self.assertRegex(invoice.payment_reference, r"^\+\+\+\d{3}/\d{4}/\d{5}\+\+\+$")
        self.assertEqual(application.join_invoice_ids, application.join_share_move_id | invoice)
        self.assertEqual(currency.compare_amounts(membership._get_guarantee_paid(), 0.0), 0, "held once paid only")
        count = self.env["account.move"].search_count([("partner_id", "=", membership.partner_id.id)])
        application._coop_join_invoice()  # second click
        self.assertEqual(self.env["account.move"].search_count([("partner_id", "=", membership.partner_id.id)]), count)
        # what the member sees equals what the books say, before and after payment
        trust = membership.env["coop.trust.account"]._coop_get_values(membership)
        self.assertEqual(currency.compare_amounts(trust["guarantee_balance"], 0.0), 0)
        self.assertEqual(currency.compare_amounts(trust["guarantee_awaiting_payment"], 1000.0), 0)
        books = self._deposits_balance(membership.partner_id)
        self.assertEqual(currency.compare_amounts(books, 1000.0), 0)
        self.assertEqual(
            currency.compare_amounts(trust["guarantee_balance"] + trust["guarantee_awaiting_payment"], books), 0
        )
        self.assertEqual(currency.compare_amounts(trust["outstanding"], 1001.0), 0, "guarantee + B share due")
        self._pay(invoice)
        self.assertEqual(currency.compare_amounts(membership._get_guarantee_paid(), 1000.0), 0)
        trust = membership.env["coop.trust.account"]._coop_get_values(membership)
        self.assertEqual(currency.compare_amounts(trust["guarantee_balance"], 1000.0), 0)
        self.assertEqual(currency.compare_amounts(trust["guarantee_awaiting_payment"], 0.0), 0)
        self.assertEqual(currency.compare_amounts(trust["outstanding"], 1.0), 0, "the B share is still due")

    def test_2023_without_credit_assessment_no_guarantee_invoiced(self):
        _user, application = self._signed("gar_none", "Sans Garantie SRL")
        membership = application.membership_id
        self.assertRecordValues(
            membership.guarantee_id,
            [{"credit_assessment_date": False, "guarantee_required": False, "guarantee_amount": 0.0}],
        )
        self.assertFalse(application.join_guarantee_move_id)
        self.assertEqual(application.join_invoice_ids, application.join_share_move_id)

    def test_mandate_signed_online_waits_for_the_bank(self):
        user, application = self._signed("gar_mandate", "Mandat En Ligne SRL")
        membership = application.membership_id
        self.assertEqual(membership.state, "registered", "the plan starts once the payment step is done")
        self.assertEqual(application._coop_join_current_step()["key"], "mandate")
        mandates_before = self.env["account.banking.mandate"].search_count([])
        with self.assertRaisesRegex(UserError, "not a valid IBAN"):
            application._coop_join_mandate_iban(user, "BE71 0961 2345 6760")
        self.assertEqual(self.env["account.banking.mandate"].search_count([]), mandates_before)
        mandate = application._coop_join_mandate_iban(user, IBAN)
        self.assertEqual(application._coop_join_mandate_iban(user, IBAN), mandate, "a reload creates nothing")
        # issue 21: the mandate signed online is the application's; the concluded membership debits with it
        self.assertEqual(membership.application_id.join_mandate_id, mandate)
        self.assertEqual(mandate.coop_membership_id, membership, "the concluded membership follows")
        self.assertRecordValues(
            mandate,
            [{"state": "draft", "scheme": "B2B", "type": "recurrent", "partner_id": membership.partner_id.id}],
        )
        self.assertEqual(self.env["account.banking.mandate"].search_count([]), mandates_before + 1)
        with self.assertRaisesRegex(UserError, "signature is missing"):
            application._coop_join_mandate_sign(user, "Nina New", False)
        application._coop_join_mandate_sign(user, "Nina New", SIGNATURE)
        application._coop_join_mandate_sign(user, "Nina New", SIGNATURE)  # second click
        self.assertRecordValues(mandate, [{"state": "draft", "coop_signed_by": "Nina New"}])
        self.assertTrue(mandate.signature_date)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "account.banking.mandate"), ("res_id", "=", mandate.id)]
        )
        self.assertEqual(len(attachments), 1)
        self.assertEqual(membership.state, "active")
        self.assertFalse(application._coop_join_current_step())
        self.assertIn("mandate", application.join_mail_keys.split(","))
        self.assertFalse(membership._coop_get_b2b_mandate(), "no debit before the bank confirms")
        membership.action_confirm_join_mandate()
        self.assertEqual(mandate.state, "valid")
        self.assertEqual(membership._coop_get_b2b_mandate(), mandate)
        with self.assertRaisesRegex(UserError, "awaiting the bank"):
            membership.action_confirm_join_mandate()

    def test_the_bank_confirmation_button_is_for_who_may_validate_mandates(self):
        """OCA lets only its payments group write mandates: the button shows to them alone,
        so cooperative staff never press a button that fails on access rights."""
        staff = new_test_user(self.env, "gar_staff", groups="coop_24pm_membership.group_coop_manager")
        accountant = new_test_user(
            self.env,
            "gar_accountant",
            groups="coop_24pm_membership.group_coop_manager,account_payment_order.group_account_payment",
        )
        Application = self.env["coop.membership.application"]
        for user, shown in ((staff, False), (accountant, True)):
            arch = Application.with_user(user).get_view(view_type="form")["arch"]
            self.assertEqual('name="action_confirm_join_mandate"' in arch, shown, user.login)

    def test_prepayments_skip_the_mandate(self):
        user, application = self._signed("gar_prepay", "Prépaiement En Ligne SRL")
        application._coop_join_choose_prepayment(user)
        membership = application.membership_id
        self.assertRecordValues(membership, [{"state": "active", "coop_payment_mode": "prepayment"}])
        self.assertFalse(membership.application_id.join_mandate_id)
        self.assertTrue(next(s for s in application._coop_join_steps() if s["key"] == "mandate")["done"])

    def test_application_waiting_for_staff_invoices_nothing_then_acceptance_does(self):
        """Issue 15: nothing is invoiced before acceptance; staff's acceptance concludes the
        contract and only then issues the B-share and guarantee invoices."""
        user, application = self._signed("gar_swiss_ok", "Montres Acceptées SA", country_code="CH", credit_score=30.0)
        self.assertRecordValues(
            application,
            [{"state": "signed", "acceptance": "pending", "guarantee_required": True, "membership_id": False}],
        )
        partner_moves = [("partner_id", "=", application.partner_id.id)]
        self.assertEqual(self.env["account.move"].search_count(partner_moves), 0, "no invoice before acceptance")
        mandate = application._coop_join_mandate_iban(user, IBAN)
        application._coop_join_mandate_sign(user, "Anne Favre", SIGNATURE)
        self.assertEqual(self.env["account.move"].search_count(partner_moves), 0, "the mandate invoices nothing")
        application.action_accept_application()
        membership = application.membership_id
        self.assertRecordValues(membership, [{"state": "active", "application_id": application.id, "b_shares": 1}])
        self.assertEqual(membership.application_id.acceptance, "accepted")
        self.assertEqual(membership.application_id.join_mandate_id, mandate)
        self.assertEqual(mandate.coop_membership_id, membership)
        currency = membership.currency_id
        share, guarantee = application.join_share_move_id, application.join_guarantee_move_id
        self.assertRecordValues(
            share | guarantee,
            [
                {"state": "posted", "move_type": "out_invoice", "coop_guarantee_invoice": False},
                {"state": "posted", "move_type": "out_invoice", "coop_guarantee_invoice": True},
            ],
        )
        self.assertEqual(currency.compare_amounts(share.amount_total, 1.0), 0)
        self.assertEqual(currency.compare_amounts(guarantee.amount_total, 1000.0), 0)
        self.assertEqual(self.env["account.move"].search(partner_moves), share | guarantee)

    def test_refusal_leaves_nothing_and_cancels_mandate(self):
        user, application = self._signed("gar_swiss", "Montres Refusées SA", country_code="CH", credit_score=30.0)
        self.assertEqual(application.acceptance, "pending")
        mandate = application._coop_join_mandate_iban(user, IBAN)
        application._coop_join_mandate_sign(user, "Anne Favre", SIGNATURE)
        self.assertEqual(application.state, "signed", "outside BE/FR/DE/LU/NL staff decide first")
        application.action_refuse_application("Outside our area.")
        self.assertRecordValues(application, [{"state": "refused", "acceptance": "refused", "membership_id": False}])
        self.assertFalse(self.Membership.search([("partner_id", "=", application.partner_id.id)]))
        self.assertFalse(
            self.env["account.move"].search([("partner_id", "=", application.partner_id.id)]),
            "no invoice, hence no credit note",
        )
        self.assertEqual(mandate.state, "cancel")
        deposits = self.env["account.move.line"].search(
            [("account_id", "=", self.deposits_account.id), ("partner_id", "=", application.partner_id.id)]
        )
        self.assertFalse(deposits)

    def test_http_mandate_routes_act_for_the_users_own_company_only(self):
        user, application = self._signed("gar_http", "Routes Mandat SRL")
        membership = application.membership_id
        stranger = new_test_user(self.env, "gar_stranger", groups="base.group_portal", password="gar_stranger-pass")
        self.authenticate(stranger.login, "gar_stranger-pass")
        response = self.url_open("/my/join/mandate/iban", data={"iban": IBAN, "csrf_token": Request.csrf_token(self)})
        self.assertNotIn("error=", response.url, "the refusal travels through the session")
        self.assertIn("There is no application of your company in progress.", response.text)
        self.assertEqual(self.url_open("/my/join/mandate/pdf").status_code, 404)
        self.assertFalse(membership.application_id.join_mandate_id)
        self.authenticate(user.login, "gar_http-pass")
        page = self.url_open("/my/join")
        self.assertIn("o_coop_join_mandate", page.text)
        self.assertIn("o_coop_join_invoices", page.text)
        for _click in range(2):
            self.url_open("/my/join/mandate/iban", data={"iban": IBAN, "csrf_token": Request.csrf_token(self)})
        self.assertEqual(
            len(self.env["account.banking.mandate"].search([("coop_membership_id", "=", membership.id)])), 1
        )
        response = self.url_open("/my/join/mandate/pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")

    def test_guarantee_shown_before_committing(self):
        user = new_test_user(self.env, "gar_preview", groups="base.group_portal", password="gar_preview-pass")
        self.Application._coop_join_company(user, not_incorporated=True, company_name="Aperçu SRL", lang="en_US")
        # SPEC 7.5: under ROI 2023 a new member has no credit assessment yet, hence no guarantee
        self.assertEqual(self.env["coop.regulation"]._get_current()._coop_join_guarantee(), 0.0)
        self.authenticate(user.login, "gar_preview-pass")
        page = self.url_open("/my/join")
        self.assertIn("o_coop_join_guarantee_preview", page.text)
        self.assertIn("No guarantee is required", page.text)
        # the B share's price is the class's nominal value, shown as money (not a figure in the sentence)
        self.env.ref("coop_24pm_membership.share_class_b").nominal_value = 2.5
        page = self.url_open("/my/join")
        self.assertRegex(page.text, r'o_coop_join_share_price[^>]*>[^<]*<span class="oe_currency_value">2.50</span>')
        self.assertNotIn("1,000.00", page.text)
