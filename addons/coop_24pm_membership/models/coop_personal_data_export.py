import csv
import io
import json
import zipfile

from odoo import api, models


class CoopPersonalDataExport(models.AbstractModel):
    """The member's own data (issue 16: downloaded as member or former member), no record:
    the tables of a membership's company that an agent may receive, as a zip of JSON and
    CSV files. This addon gives the company, its agents, contracts, share register and
    notices; ``coop_24pm_guarantee`` and ``coop_24pm_timesheet_billing`` extend
    ``_tables`` with theirs (invoices, guarantee, work)."""

    _name = "coop.personal.data.export"
    _description = "Export of a member's own data"

    @api.model
    def _rows(self, records, fnames, through=None):
        """``records`` as rows of plain values: names for relations, ISO dates, labels
        kept as stored values (the CSV and the JSON read the same). ``through``: the
        columns read on a related record instead, {column: many2one field} (issue 21: the
        signatory of a membership is its application's)."""
        through = through or {}
        rows = []
        fields_ = records._fields
        own = [fname for fname in fnames if fname not in through]
        for record, values in zip(records, records.read(own), strict=True):
            row = {}
            for fname in fnames:
                if fname in through:
                    related = record[through[fname]]
                    field = related._fields[fname]
                    value = related.read([fname])[0][fname] if related else False
                else:
                    value = values[fname]
                    field = fields_[fname]
                if field.type == "many2one":
                    value = value[1] if value else None
                elif field.type in ("one2many", "many2many"):
                    value = ", ".join(records.env[field.comodel_name].browse(value).mapped("display_name"))
                elif field.type in ("date", "datetime"):
                    value = value.isoformat() if value else None
                elif field.type != "boolean" and value is False:
                    value = None
                row[fname] = value
            rows.append(row)
        return rows

    @api.model
    def _tables(self, membership, agent):
        """The data of ``membership``'s member, by table: its company, agents, contracts,
        share register entries and the notices sent to it; other addons add theirs
        (invoices, guarantee, work). ``agent``: the exporting person (``res.partner``);
        its rights (finance, projects) decide which tables it receives, as on the portal."""
        membership.ensure_one()
        company = membership.partner_id.commercial_partner_id.sudo()
        memberships = company.coop_membership_ids
        agents = company.child_ids.filtered(lambda p: p.with_context(active_test=False).user_ids)
        data = {
            "company": self._rows(
                company, ["name", "vat", "street", "street2", "zip", "city", "country_id", "email", "phone", "lang"]
            ),
            "agents": self._rows(
                agents,
                [
                    "name",
                    "email",
                    "coop_right_finance",
                    "coop_right_projects",
                    "coop_right_agents",
                    "coop_limit_request_amount",
                    "coop_agent_limits",
                ],
            ),
            "memberships": self._rows(
                memberships,
                [
                    "name",
                    "state",
                    "regulation_id",
                    "commitment",
                    "date_application",
                    "date_signed",
                    "signatory_name",
                    "signatory_capacity",
                    "date_registered",
                    "date_start",
                    "date_notice",
                    "date_end",
                    "date_terminated",
                    "non_solicitation_end",
                ],
                through={
                    "signatory_name": "application_id",
                    "signatory_capacity": "application_id",
                    "date_notice": "termination_id",
                    "date_terminated": "termination_id",
                    "non_solicitation_end": "termination_id",
                },
            ),
            "notices": self._rows(
                self.env["coop.notice"].sudo().search([("membership_id", "in", memberships.ids)], order="id"),
                ["date_sent", "kind", "name", "state", "date_delivered"],
            ),
        }
        if agent.coop_has_finance_right:
            data["share_register"] = self._rows(
                self.env["coop.share.line"].sudo().search([("partner_id", "=", company.id)], order="date, id"),
                ["name", "date", "share_class_id", "operation", "quantity_signed", "nominal_value", "amount"],
            )
        return data

    @api.model
    def _zip(self, membership, agent):
        """The data of ``membership``'s member as a zip: ``data.json`` and one CSV file per
        table, as ``agent`` (``res.partner``) may receive them."""
        data = self._tables(membership, agent)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
            for table, rows in data.items():
                text = io.StringIO()
                if rows:
                    writer = csv.DictWriter(text, fieldnames=list(rows[0]))
                    writer.writeheader()
                    writer.writerows(rows)
                archive.writestr(f"{table}.csv", text.getvalue())
        return buffer.getvalue()
