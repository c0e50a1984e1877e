# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 15 item 4: applications are their own model.

A membership exists from the conclusion of its contract (signed, accepted, entered in
the register); before, the journey is a ``coop.membership.application``. Each membership
still in ``draft`` (application), ``sent`` (contract sent) or ``signed`` becomes an
application in the same state, with its values (those of the plans and guarantee addons
too: this runs at the end of the update, once every addon is loaded), its chatter,
followers, activities and files; the membership row is then deleted.

Before issue 15 the online journey invoiced the B share (and the guarantee) at the
signature. Such a membership, signed and accepted (automatically by its country, or by
staff), is concluded: entered in the register, which reuses its invoice. One invoiced
while it still waits for staff has its joining invoices cancelled by posted credit notes
(nothing is invoiced before acceptance) and becomes an application like the others; the
acceptance invoices it again.
"""

import logging

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

from odoo.addons.coop_24pm_membership import migration_util
from odoo.addons.coop_24pm_membership.models.coop_membership import MEMBER_STATES

_logger = logging.getLogger(__name__)

#: the membership's fields an application has too (other addons' included when installed)
COPIED_FIELDS = (
    "partner_id",
    "company_id",
    "regulation_id",
    "commitment",
    "origin",
    "acceptance",
    "refusal_reason",
    "date_application",
    "date_sent",
    "date_signed",
    "signatory_name",
    "signatory_capacity",
    "signatory_has_power",
    "signature",
    "signed_by_user_id",
    "join_mail_keys",
    "date_join_reminder",
    "am_id",
    # coop_24pm_plans
    "plan_id",
    "contribution_amount",
    # coop_24pm_guarantee
    "credit_score",
    "credit_assessment_date",
    "guarantee_amount",
    "coop_payment_mode",
    "prepayment_amount",
    "prepayment_frequency",
    "join_payment_choice",
    "join_mandate_id",
)


def _legacy_values(membership):
    """The journey's values of the membership that are no longer its fields (issue 21 took
    them off ``coop.membership``): read from the columns the database still holds."""
    cr = membership.env.cr
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'coop_membership'")
    columns = {row[0] for row in cr.fetchall()}
    names = [fname for fname in COPIED_FIELDS if fname not in membership._fields and fname in columns]
    if not names:
        return {}
    cr.execute(
        SQL("SELECT %s FROM coop_membership WHERE id = %s", SQL(", ").join(map(SQL.identifier, names)), membership.id)
    )
    return dict(zip(names, cr.fetchone(), strict=True))


def _acceptance(membership):
    legacy = _legacy_values(membership)
    return legacy["acceptance"] if "acceptance" in legacy else membership.acceptance


def _load(version):
    return migration_util.load_script("coop_24pm_membership", version, "end-migrate")


def _link_application(membership):
    """Issue 21: a membership concluded here gets its concluded application (19.0.1.3.0's
    helper), which holds its acceptance and signatory, and its joining invoices (19.0.1.4.0's
    helper), before it is entered in the register."""
    if "application_id" not in membership._fields:
        return
    membership.env.flush_all()
    _load("19.0.1.3.0").link_memberships(membership.env.cr, [membership.id])
    _load("19.0.1.4.0").move_journey_values(membership.env.cr, [membership.id])
    membership.env.invalidate_all()


#: the joining invoices a membership held before issue 21 (step 2) made them its application's
JOIN_INVOICE_COLUMNS = ("join_share_move_id", "join_guarantee_move_id")


def _join_invoices(membership):
    """The joining invoices of a membership as the journey left it (its columns)."""
    cr = membership.env.cr
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'coop_membership'")
    names = [name for name in JOIN_INVOICE_COLUMNS if name in {row[0] for row in cr.fetchall()}]
    if not names:
        return membership.env["account.move"]
    cr.execute(
        SQL("SELECT %s FROM coop_membership WHERE id = %s", SQL(", ").join(map(SQL.identifier, names)), membership.id)
    )
    return membership.env["account.move"].browse([move_id for move_id in cr.fetchone() if move_id])


def _application_vals(membership, Application):
    vals = {"state": membership.state, "name": membership.name}
    legacy = _legacy_values(membership)
    for fname in COPIED_FIELDS:
        if fname not in Application._fields:
            continue
        if fname in legacy:
            vals[fname] = legacy[fname]
            continue
        holder = membership
        if fname not in membership._fields and "guarantee_id" in membership._fields:
            # issue 21: the guarantee's terms are the membership's guarantee record's
            holder = membership.guarantee_id
        if fname not in holder._fields:
            continue
        field = holder._fields[fname]
        value = holder[fname]
        vals[fname] = value.id if field.type == "many2one" else value
    return vals


def _is_concluded(membership):
    """Signed, accepted and invoiced (or already in the register) before issue 15: the
    conclusion only missed its register entry."""
    if membership.share_line_ids:
        return True
    invoiced = _join_invoices(membership).filtered(lambda m: m.state == "posted")
    return bool(invoiced) and membership.state == "signed" and _acceptance(membership) in ("auto", "accepted")


#: records about a membership that follow it to its application (not a sign of use)
#: (issue 21: ``coop.guarantee`` is the member's own guarantee, created and deleted with it)
MOVED_WITH_IT = (
    "coop.notice",
    "account.banking.mandate",
    "mail.followers",
    "mail.activity",
    "mail.message",
    "coop.guarantee",
)


def _used_by(membership):
    """The models of the records that refer to this membership (a project, a contract, time,
    an invoice...): a membership already used as one is never deleted."""
    env = membership.env
    fields_ = (
        env["ir.model.fields"]
        .sudo()
        .search(
            [
                ("relation", "=", "coop.membership"),
                ("ttype", "=", "many2one"),
                ("store", "=", True),
                ("related", "=", False),
            ]
        )
    )
    used = []
    for field in fields_:
        if field.model in MOVED_WITH_IT or field.model == "coop.membership" or field.model not in env:
            continue
        model = env[field.model]
        if not model._auto or model._abstract or model._transient or field.name not in model._fields:
            continue
        if model._fields[field.name].compute:
            continue  # follows the records it is computed from (the company's current membership)
        # its own joining invoices are the journey's (reversed or reused below)
        own = _join_invoices(membership).ids if field.model == "account.move" else []
        env.cr.execute(
            SQL(
                "SELECT 1 FROM %s WHERE %s = %s AND NOT (id = ANY(%s)) LIMIT 1",
                SQL.identifier(model._table),
                SQL.identifier(field.name),
                membership.id,
                own,
            )
        )
        if env.cr.fetchone():
            used.append(field.model)
    return used


def _reverse_join_invoices(membership):
    """The joining invoices of an application that was not accepted yet are cancelled by
    posted credit notes, reconciled with them while unpaid (a paid one leaves a credit)."""
    today = fields.Date.context_today(membership)
    for invoice in _join_invoices(membership).filtered(
        lambda m: m.state == "posted" and m.move_type == "out_invoice" and not m.reversal_move_ids
    ):
        refund = invoice._reverse_moves(
            [{"invoice_date": today, "date": today, "ref": f"{membership.name}: invoiced before its acceptance"}]
        )
        refund._coop_post()
        open_lines = (invoice.line_ids | refund.line_ids).filtered(
            lambda aml: aml.account_id.account_type == "asset_receivable" and not aml.reconciled
        )
        if invoice.payment_state == "not_paid" and len(open_lines) > 1:
            open_lines.reconcile()


def _move_documents(cr, membership, application):
    """The chatter, followers, activities and files of the membership are the application's."""
    model_id = application.env["ir.model"]._get_id(application._name)
    params = {"old": "coop.membership", "new": application._name, "old_id": membership.id, "new_id": application.id}
    cr.execute(
        "UPDATE mail_message SET model = %(new)s, res_id = %(new_id)s WHERE model = %(old)s AND res_id = %(old_id)s",
        params,
    )
    cr.execute(
        "DELETE FROM mail_followers f WHERE f.res_model = %(new)s AND f.res_id = %(new_id)s "
        "AND EXISTS (SELECT 1 FROM mail_followers o WHERE o.res_model = %(old)s AND o.res_id = %(old_id)s "
        "AND o.partner_id = f.partner_id)",
        params,
    )
    cr.execute(
        "UPDATE mail_followers SET res_model = %(new)s, res_id = %(new_id)s "
        "WHERE res_model = %(old)s AND res_id = %(old_id)s",
        params,
    )
    cr.execute(
        "UPDATE mail_activity SET res_model = %(new)s, res_model_id = %(model_id)s, res_id = %(new_id)s "
        "WHERE res_model = %(old)s AND res_id = %(old_id)s",
        dict(params, model_id=model_id),
    )
    cr.execute(
        "UPDATE coop_notice SET application_id = %(new_id)s, membership_id = NULL WHERE membership_id = %(old_id)s",
        params,
    )
    cr.execute(
        "UPDATE ir_attachment SET res_model = %(new)s, res_id = %(new_id)s "
        "WHERE res_model = %(old)s AND res_id = %(old_id)s AND res_field IS NULL",
        params,
    )
    if "signature" not in membership._fields:
        # issue 21: the signature is no longer the membership's field, its image moves as is
        cr.execute(
            "UPDATE ir_attachment SET res_model = %(new)s, res_id = %(new_id)s "
            "WHERE res_model = %(old)s AND res_id = %(old_id)s AND res_field = 'signature'",
            params,
        )


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True})
    Application = env["coop.membership.application"]
    # ``is_member`` (stored) follows the states as the database holds them, the former ones included
    cr.execute(
        "UPDATE coop_membership SET is_member = state IN %(states)s "
        "WHERE is_member IS DISTINCT FROM (state IN %(states)s)",
        {"states": MEMBER_STATES},
    )
    env.invalidate_all()
    # the states are no longer the field's: read them by SQL
    cr.execute("SELECT id FROM coop_membership WHERE state IN ('draft', 'sent', 'signed') ORDER BY id")
    memberships = env["coop.membership"].browse([row[0] for row in cr.fetchall()])
    moved = concluded = 0
    for membership in memberships:
        used = _used_by(membership)
        if used and not _is_concluded(membership):
            # used as a membership (projects, contracts, time...) though its state said
            # otherwise: it stays one, entered in the register, for staff to review
            if _acceptance(membership) in ("auto", "accepted") and not membership.share_line_ids:
                _link_application(membership)
                membership._coop_enter_register(membership.date_signed or membership.date_application)
            else:
                cr.execute(
                    "UPDATE coop_membership SET state = 'registered', is_member = TRUE WHERE id = %s", [membership.id]
                )
                env.invalidate_all()
            membership.message_post(
                body=f"Kept as a membership by the upgrade to applications (issue 15): used by {', '.join(used)}."
            )
            _logger.warning("Membership %s in state draft/sent/signed but used by %s: kept.", membership.name, used)
            concluded += 1
            continue
        if _is_concluded(membership):
            if membership.share_line_ids:
                cr.execute(
                    "UPDATE coop_membership SET state = 'registered', is_member = TRUE WHERE id = %s", [membership.id]
                )
                env.invalidate_all()
            else:
                _link_application(membership)
                membership._coop_enter_register(membership.date_signed)
            _logger.info("Membership %s, signed and invoiced before issue 15: concluded.", membership.name)
            concluded += 1
            continue
        _reverse_join_invoices(membership)
        vals = _application_vals(membership, Application)
        # the membership's reference stays the application's
        application = Application.with_context(mail_notrack=True).create(vals)
        application.activity_ids.unlink()  # the membership's own review activity follows below
        _move_documents(cr, membership, application)
        mandate = vals.get("join_mandate_id") and env["account.banking.mandate"].browse(vals["join_mandate_id"])
        if mandate and "coop_membership_id" in mandate._fields:
            mandate.coop_membership_id = False
        env.invalidate_all()
        membership.with_context(tracking_disable=True).unlink()
        moved += 1
    if moved or concluded:
        _logger.info("Issue 15: %s membership(s) moved to applications, %s concluded.", moved, concluded)
