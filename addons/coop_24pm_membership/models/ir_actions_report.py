import lxml.html

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _wkhtml

# classes of the separately rendered parts of a report (web.external_layout_*)
_PART_XPATH = "//div[contains(concat(' ', normalize-space(@class), ' '), ' {} ')]"
_INLINE_HEADER_CLASS = "o_coop_inline_header"
_INLINE_FOOTER_CLASS = "o_coop_inline_footer"
_SYSTEM_FONT_CSS = (
    'body, body *:not(.fa):not(.oi) { font-family: "DejaVu Sans", "Liberation Sans", sans-serif !important; }'
)


class IrActionsReport(models.Model):
    """PDFs on the wkhtmltopdf that Debian ships (built without patched Qt).

    Such an engine ignores ``--header-html`` / ``--footer-html`` and refuses several
    documents in one call. Odoo renders the header and footer of a report (company
    block, legal mentions) separately and converts a batch of records in one call, so
    on that engine documents lose their header and footer and a batch fails with
    "Tried to convert multiple documents in wkhtmltopdf using unpatched QT". Here the
    header and footer become part of each document's body, and a batch is converted
    one record per call. With a patched engine Odoo's own behaviour is kept.
    """

    _inherit = "ir.actions.report"

    @api.model
    def _coop_wkhtmltopdf_is_patched(self):
        """True when the wkhtmltopdf found is built with patched Qt (headers, footers, several documents)."""
        return "(with patched qt)" in (_wkhtml().version or "")

    def _prepare_html(self, html, report_model=False):
        if not self._coop_wkhtmltopdf_is_patched():
            html = self._coop_inline_header_footer(html)
            html = self._coop_system_font(html)
        return super()._prepare_html(html, report_model=report_model)

    @api.model
    def _coop_system_font(self, html):
        """Without patched Qt, text drawn in a web font (the layouts' Lato, Roboto...)
        ends up as shapes with no text layer: the PDF can be read but not searched,
        copied or indexed, nor read by a machine that receives it. A system font keeps
        the text (DejaVu Sans, installed with the PDF engine)."""
        root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
        # each document (article) is laid out again on its own: the style goes inside it
        articles = root.xpath(_PART_XPATH.format("article"))
        if not articles:
            return html
        for article in articles:
            style = lxml.html.Element("style")
            style.text = _SYSTEM_FONT_CSS
            article.insert(0, style)
        return lxml.html.tostring(root, encoding="unicode")

    @api.model
    def _coop_inline_header_footer(self, html):
        """Move the n-th header to the top and the n-th footer to the end of the n-th
        document (``article``) of ``html``, as the JavaScript of ``web.minimal_layout``
        pairs them on a patched engine. Page numbers are dropped: only a patched engine
        can fill them in."""
        root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
        articles = root.xpath(_PART_XPATH.format("article"))
        if not articles:
            return html
        headers = root.xpath(_PART_XPATH.format("header"))
        footers = root.xpath(_PART_XPATH.format("footer"))
        for index, article in enumerate(articles):
            if index < len(headers):
                header = headers[index]
                header.getparent().remove(header)
                self._coop_rename_part(header, "header", _INLINE_HEADER_CLASS)
                article.insert(0, header)
            if index < len(footers):
                footer = footers[index]
                footer.getparent().remove(footer)
                self._coop_rename_part(footer, "footer", _INLINE_FOOTER_CLASS)
                for page_number in footer.xpath(".//span[contains(concat(' ', @class, ' '), ' page ')]"):
                    holder = page_number.getparent()
                    holder.getparent().remove(holder)
                article.append(footer)
        return lxml.html.tostring(root, encoding="unicode")

    @staticmethod
    def _coop_rename_part(node, old_class, new_class):
        classes = [new_class if name == old_class else name for name in (node.get("class") or "").split()]
        node.set("class", " ".join(classes))

    @api.model
    def _build_wkhtmltopdf_args(
        self, paperformat_id, landscape, specific_paperformat_args=None, set_viewport_size=False
    ):
        """Without patched Qt no header or footer is printed in the margins: the top and
        bottom margins kept for them (52 and 32 mm on A4) would stay blank: 10 mm is enough."""
        args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if paperformat_id and not self._coop_wkhtmltopdf_is_patched():
            for option in ("--margin-top", "--margin-bottom"):
                if option in args:
                    args[args.index(option) + 1] = "10"
        return args

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """One record per wkhtmltopdf call when the engine cannot convert several
        documents at once (sending invoices in batch, printing a selection)."""
        if (
            not res_ids
            or len(set(res_ids)) < 2
            or len(res_ids) != len(set(res_ids))
            or self._coop_wkhtmltopdf_is_patched()
        ):
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        collected_streams = {}
        for res_id in res_ids:
            streams = super()._render_qweb_pdf_prepare_streams(report_ref, dict(data or {}), res_ids=[res_id])
            collected_streams.update(streams)
        return collected_streams
