from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# kind: (config parameter, default attempts per hour), per IP address and per account
RATE_LIMITS = {
    "signup": ("coop_24pm_membership.signup_per_hour", 5),
    "vat_lookup": ("coop_24pm_membership.vat_lookup_per_hour", 10),
}


class CoopRateLimit(models.Model):
    """Attempts at the public steps of the online journey (signup, VAT look-up),
    per IP address and per account, to refuse abuse (issue: rate limit per IP and
    per account). Kept one day."""

    _name = "coop.rate.limit"
    _description = "Online journey attempt"
    _log_access = False

    kind = fields.Char(required=True)
    key = fields.Char(required=True, help="ip:<address> or user:<id>")
    attempt_date = fields.Datetime(required=True, default=fields.Datetime.now)

    _kind_key_date_idx = models.Index("(kind, key, attempt_date)")

    @api.model
    def _coop_hit(self, kind, ip=None, user=None):
        """Count one attempt of ``kind`` for the IP address and the account; refuse
        it (UserError, nothing recorded) when either made its hourly allowance."""
        param, default = RATE_LIMITS[kind]
        limit = int(self.env["ir.config_parameter"].sudo().get_param(param, default))
        keys = []
        if ip:
            keys.append(f"ip:{ip}")
        if user and not user._is_public():
            keys.append(f"user:{user.id}")
        if not keys or limit <= 0:
            return
        since = fields.Datetime.now() - timedelta(hours=1)
        counts = dict(
            self.sudo()._read_group(
                [("kind", "=", kind), ("key", "in", keys), ("attempt_date", ">=", since)], ["key"], ["__count"]
            )
        )
        if any(counts.get(key, 0) >= limit for key in keys):
            raise UserError(self.env._("Too many attempts in the last hour. Please try again later or contact us."))
        self.sudo().create([{"kind": kind, "key": key} for key in keys])

    @api.autovacuum
    def _gc_coop_rate_limit(self):
        self.sudo().search([("attempt_date", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
