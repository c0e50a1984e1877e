# pylint: disable=invalid-commit  # two real transactions: what one commits is what the other sees

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestJoinConcurrent(TransactionCase):
    """Two applications of the same company at the same time (two tabs, a double click
    served by two workers) on two real database cursors: only one is created.

    Only committed rows matter between transactions, so the test commits a prospect and
    its company, and deletes everything it committed afterwards."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
            company = env["res.partner"].create(
                {
                    "name": "Concurrent Join SRL",
                    "is_company": True,
                    "country_id": env.ref("base.be").id,
                    "coop_not_incorporated": True,
                }
            )
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": "Connie Join",
                        "login": "concurrent.join@example.com",
                        "email": "concurrent.join@example.com",
                        "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
                    }
                )
            )
            user.partner_id.write({"parent_id": company.id, "coop_right_finance": True, "coop_right_agents": True})
            self.company_id, self.user_id, self.person_id = company.id, user.id, user.partner_id.id
            cr.commit()
        self.addCleanup(self._delete_committed)

    def _delete_committed(self):
        with self.env.registry.cursor() as cr:
            for table, model in (
                ("coop_membership_application", "coop.membership.application"),
                ("coop_membership", "coop.membership"),
            ):
                records = SQL("SELECT id FROM %s WHERE partner_id = %s", SQL.identifier(table), self.company_id)
                cr.execute(SQL("DELETE FROM mail_message WHERE model = %s AND res_id IN (%s)", model, records))
                cr.execute(SQL("DELETE FROM ir_attachment WHERE res_model = %s AND res_id IN (%s)", model, records))
                cr.execute(SQL("DELETE FROM mail_activity WHERE res_model = %s AND res_id IN (%s)", model, records))
                cr.execute(SQL("DELETE FROM %s WHERE partner_id = %s", SQL.identifier(table), self.company_id))
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.users"].browse(self.user_id).unlink()
            env["res.partner"].browse([self.person_id, self.company_id]).unlink()
            cr.commit()

    def test_two_simultaneous_applications_create_one(self):
        cr_a, cr_b = self.env.registry.cursor(), self.env.registry.cursor()
        self.addCleanup(cr_a.close)
        self.addCleanup(cr_b.close)
        env_a = api.Environment(cr_a, SUPERUSER_ID, {"tracking_disable": True})
        env_b = api.Environment(cr_b, SUPERUSER_ID, {"tracking_disable": True})
        # B's transaction starts first: its snapshot will never see A's application
        self.assertFalse(
            env_b["coop.membership.application"]._coop_join_get_application(env_b["res.users"].browse(self.user_id))
        )
        first = env_a["coop.membership.application"]._coop_join_apply(env_a["res.users"].browse(self.user_id))
        self.assertTrue(first)
        cr_a.commit()
        with self.assertRaisesRegex(UserError, "already being created"):
            env_b["coop.membership.application"]._coop_join_apply(env_b["res.users"].browse(self.user_id))
        cr_b.rollback()
        # the reload (a new transaction) finds the one application
        again = env_b["coop.membership.application"]._coop_join_apply(env_b["res.users"].browse(self.user_id))
        self.assertEqual(again.id, first.id)
        self.assertEqual(env_b["coop.membership.application"].search_count([("partner_id", "=", self.company_id)]), 1)
        self.assertEqual(env_b["coop.membership"].search_count([("partner_id", "=", self.company_id)]), 0)
        cr_b.rollback()
