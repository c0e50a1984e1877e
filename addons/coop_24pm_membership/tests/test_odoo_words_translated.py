from odoo import fields
from odoo.tests import tagged

from .common import CoopCommon


@tagged("post_install", "-at_install")
class TestOdooWordsTranslated(CoopCommon):
    """Issue 22: Odoo's source here ships no French or Dutch. The suite's i18n_extra gives
    the words its users meet: views' terms and records of other modules (loaded with the
    suite's catalogues), the web client's words (its catalogue is read for every module and
    the web client falls back on any module's term), and the Python-made "Untaxed Amount",
    which a module cannot translate for another one: the suite words it in its override."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_BE", "nl_BE"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"]._load_module_terms(["coop_24pm_membership"], ["fr_BE", "nl_BE"])

    def test_web_client_words(self):
        for lang, expected in (("fr_BE", ("Aucun(e)", "Nouveau")), ("nl_BE", ("Geen", "Nieuw"))):
            translations, _params = self.env["ir.http"]._get_translations_for_webclient(["coop_24pm_membership"], lang)
            messages = {m["id"]: m["string"] for m in translations["coop_24pm_membership"]["messages"]}
            self.assertEqual((messages["None"], messages["New"]), expected)

    def test_untaxed_amount_in_the_customers_language(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.partner_a, amounts=[100.0], invoice_date=fields.Date.today(), post=True
        )
        for lang, label in (("fr_BE", "Montant hors TVA"), ("nl_BE", "Bedrag excl. btw"), ("en_US", "Untaxed Amount")):
            invoice.invalidate_recordset(["tax_totals"])
            totals = invoice.with_context(lang=lang).tax_totals
            self.assertEqual(totals["subtotals"][0]["name"], label)

    def test_portal_and_country_words(self):
        view = self.env.ref("portal.portal_my_security")
        self.assertIn("Changer de mot de passe", view.with_context(lang="fr_BE").arch_db)
        self.assertIn("Account verwijderen", view.with_context(lang="nl_BE").arch_db)
        germany = self.env.ref("base.de")
        self.assertEqual(
            (germany.with_context(lang="fr_BE").name, germany.with_context(lang="nl_BE").name),
            ("Allemagne", "Duitsland"),
        )
