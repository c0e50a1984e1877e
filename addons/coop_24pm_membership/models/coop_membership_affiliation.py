from odoo import api, fields, models


class CoopMembership(models.Model):
    """ROI 2019 art. 3 on the membership: affiliations are concluded before the 2021
    regulation only, and an affiliate migrates by a transfer contract
    (``coop.membership.transfer``), which records the regulation history."""

    _inherit = "coop.membership"  # pylint: disable=consider-merging-classes-inherited  # one concern per file

    def _coop_affiliation_dates(self):
        """The dated steps of the contract, latest last: the affiliation is concluded by them."""
        self.ensure_one()
        steps = [
            (self.date_application, self.env._("the application")),
            (self.date_signed, self.env._("the signature")),
            (self.date_registered, self.env._("the entry in the register")),
        ]
        return sorted(((day, label) for day, label in steps if day), key=lambda step: step[0])

    @api.constrains("regulation_id", "date_application", "date_signed", "date_registered")
    def _check_affiliation_date(self):
        """ROI 2019 art. 3: an affiliation under the 2019 regulation is concluded before the
        2021 regulation came into force (1 May 2021); every path (the application's
        conclusion, a direct create, a data import of existing affiliates) obeys it."""
        for membership in self.filtered("regulation_id.is_affiliation"):
            dates = membership._coop_affiliation_dates()
            if dates:
                day, label = dates[-1]
                membership.regulation_id._check_affiliation_date(
                    day,
                    self.env._("%(ref)s (%(step)s)", ref=membership.partner_id.display_name, step=label),
                )

    @api.model_create_multi
    def create(self, vals_list):
        """An existing affiliation imported without its application date: it is the date of
        its signature or register entry, not the day of the import."""
        Regulation = self.env["coop.regulation"]
        for vals in vals_list:
            if vals.get("date_application") or not vals.get("regulation_id"):
                continue
            if Regulation.browse(vals["regulation_id"]).is_affiliation:
                known = vals.get("date_signed") or vals.get("date_registered")
                if known:
                    vals["date_application"] = known
        # refuse a late affiliation before anything is written (the constraint checks it again)
        today = fields.Date.context_today(self)
        for vals in vals_list:
            regulation = Regulation.browse(vals.get("regulation_id"))
            if vals.get("regulation_id") and regulation.is_affiliation:
                days = [
                    fields.Date.to_date(vals.get(name))
                    for name in ("date_application", "date_signed", "date_registered")
                ]
                partner = self.env["res.partner"].browse(vals.get("partner_id"))
                regulation._check_affiliation_date(max(filter(None, days), default=today), partner.display_name)
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # migration by a transfer contract (art. 3)
    # ------------------------------------------------------------------
    def action_start_transfer(self):
        """Staff prepare the transfer contract of an affiliate to the current regulation."""
        return self.env["coop.membership.transfer"]._coop_open_for(self)
