"""The project's Schematron runner gives the official results on the official samples.

Samples and expected results: ``../shared/einvoice/samples/README.md`` (checked with the
official compiled Peppol BIS 3.0.19 rules). No database data is needed.
"""

import os
import tempfile
from pathlib import Path
from unittest import mock

from odoo.tests import BaseCase, tagged

from .schematron import (
    _WORKER,
    RULE_SETS,
    Failure,
    Schematron,
    assert_ubl_passes,
    fatal,
    rule_sets,
    rules_dir,
    validate_ubl,
)

GOOD = (
    "good/peppol_base-example.xml",
    "good/peppol_base-creditnote-correction.xml",
    "good/peppol_vat-category-E.xml",
    "good/odoo_be_invoice_partner_be_vat.xml",
    "good/odoo_be_invoice_BR_S_08_recupel_auvibel.xml",
)
BAD = {
    "bad/broken_no_buyer_endpoint.xml": {"PEPPOL-EN16931-R010"},
    "bad/broken_totals.xml": {"BR-CO-15", "BR-CO-16"},
    "bad/broken_be_endpoint_checkdigit.xml": {"PEPPOL-COMMON-R043"},
}
BE_BUYER_ENDPOINT = b'<cbc:EndpointID schemeID="0208">0477472701</cbc:EndpointID>'


def samples_dir():
    return rules_dir().parent / "samples"


def sample(name):
    return (samples_dir() / name).read_bytes()


def gs1_check_digit(digits):
    """The GS1 check digit of a GLN body (12 digits): weights 3, 1, 3… from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def with_buyer_endpoint(scheme, value):
    """The good Belgian invoice with another buyer electronic address."""
    data = sample("good/odoo_be_invoice_partner_be_vat.xml")
    endpoint = f'<cbc:EndpointID schemeID="{scheme}">{value}</cbc:EndpointID>'.encode()
    assert data.count(BE_BUYER_ENDPOINT) == 1
    return data.replace(BE_BUYER_ENDPOINT, endpoint)


@tagged("post_install", "-at_install")
class TestEinvoiceSchematronRunner(BaseCase):
    def test_rules_dir_is_the_shared_folder_next_to_the_project(self):
        project = Path(__file__).resolve().parents[3]
        self.assertTrue((project / "addons" / "coop_24pm_membership").is_dir())
        with mock.patch.dict(os.environ):
            os.environ.pop("COOP_EINVOICE_RULES", None)
            self.assertEqual(rules_dir(), project.parent / "shared" / "einvoice" / "rules")
        with mock.patch.dict(os.environ, {"COOP_EINVOICE_RULES": "/elsewhere/rules"}):
            self.assertEqual(rules_dir(), Path("/elsewhere/rules"))
        self.assertEqual(sorted(path.name for path in rules_dir().glob("*.sch")), sorted(RULE_SETS))

    def test_schemas_are_compiled_once(self):
        first, second = rule_sets(), rule_sets()
        self.assertEqual([schema.path.name for schema in first], list(RULE_SETS))
        for one, other in zip(first, second, strict=True):
            self.assertIs(one.stylesheet, other.stylesheet)  # translated once
        validate_ubl(sample(GOOD[0]))
        worker = _WORKER._process
        validate_ubl(sample(GOOD[1]))
        self.assertIs(_WORKER._process, worker)  # the same Saxon worker, which compiled each schema once
        for schema in first:
            self.assertIn(str(schema.path), _WORKER._compiled)

    def test_good_samples_give_no_failure(self):
        for name in GOOD:
            with self.subTest(sample=name):
                self.assertEqual(validate_ubl(sample(name)), [])
                assert_ubl_passes(self, sample(name))

    def test_bad_samples_give_exactly_the_official_fatal_rules(self):
        for name, expected in BAD.items():
            with self.subTest(sample=name):
                failures = validate_ubl(sample(name))
                self.assertEqual({failure.id for failure in fatal(failures)}, expected)
                self.assertEqual(len(failures), len(expected))  # each once, and no warning

    def test_buyer_without_endpoint(self):
        cen, peppol = rule_sets()
        data = sample("bad/broken_no_buyer_endpoint.xml")
        self.assertEqual(cen.validate(data), [])
        self.assertEqual(
            peppol.validate(data),
            [
                Failure(
                    "PEPPOL-EN16931-R010",
                    "fatal",
                    "Buyer electronic address MUST be provided",
                    "/ubl-invoice:Invoice[1]/cac:AccountingCustomerParty[1]/cac:Party[1]",
                )
            ],
        )

    def test_totals_break_cen_rules_only(self):
        cen, peppol = rule_sets()
        data = sample("bad/broken_totals.xml")
        self.assertEqual(peppol.validate(data), [])
        self.assertEqual(
            cen.validate(data),
            [
                Failure(
                    "BR-CO-15",
                    "fatal",
                    "[BR-CO-15]-Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109)"
                    " + Invoice total VAT amount (BT-110).",
                    "/ubl:Invoice[1]",
                ),
                Failure(
                    "BR-CO-16",
                    "fatal",
                    "[BR-CO-16]-Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid"
                    " amount (BT-113) +Rounding amount (BT-114).",
                    "/ubl:Invoice[1]/cac:LegalMonetaryTotal[1]",
                ),
            ],
        )

    def test_be_enterprise_number_check_digits(self):
        failures = validate_ubl(sample("bad/broken_be_endpoint_checkdigit.xml"))
        self.assertEqual(
            failures,
            [
                Failure(
                    "PEPPOL-COMMON-R043",
                    "fatal",
                    "Belgian enterprise number MUST be stated in the correct format.",
                    "/ubl-invoice:Invoice[1]/cac:AccountingCustomerParty[1]/cac:Party[1]/cbc:EndpointID[1]",
                )
            ],
        )

    def test_copy_indicator_is_a_warning_only(self):
        data = sample("warning/odoo_be_invoice_copyindicator.xml")
        failures = validate_ubl(data)
        self.assertEqual(
            failures,
            [
                Failure(
                    "UBL-CR-004",
                    "warning",
                    "[UBL-CR-004]-A UBL invoice should not include the CopyIndicator",
                    "/ubl:Invoice[1]",
                )
            ],
        )
        self.assertEqual(fatal(failures), [])
        self.assertEqual(assert_ubl_passes(self, data), failures)

    def test_assert_ubl_passes_lists_the_fatal_rules(self):
        with self.assertRaises(AssertionError) as caught:
            assert_ubl_passes(self, sample("bad/broken_totals.xml"))
        message = str(caught.exception)
        self.assertIn("the UBL breaks 2 fatal Peppol BIS 3 rule(s):", message)
        self.assertIn("  BR-CO-15 at /ubl:Invoice[1]: [BR-CO-15]-Invoice total amount with VAT", message)
        self.assertIn("  BR-CO-16 at /ubl:Invoice[1]/cac:LegalMonetaryTotal[1]: [BR-CO-16]-Amount due", message)

    def test_helper_functions_of_the_peppol_rules(self):
        """u:gln (0088), u:mod11 (0192), u:mod97-0208 (0208) and u:checkCodiceIPA (0201),
        on the good Belgian invoice with another buyer electronic address."""
        gln = "540000000000"
        good_gln = gln + gs1_check_digit(gln)
        bad_gln = gln + str((int(gs1_check_digit(gln)) + 1) % 10)
        cases = [
            ("0088", good_gln, []),
            ("0088", bad_gln, [("PEPPOL-COMMON-R040", "fatal")]),
            ("0192", "987654325", []),  # mod 11 check digit 5
            ("0192", "987654326", [("PEPPOL-COMMON-R041", "fatal")]),
            ("0208", "0202239951", []),  # 02022399 mod 97 = 46, 97 - 46 = 51
            ("0208", "0202239950", [("PEPPOL-COMMON-R043", "fatal")]),
            ("0201", "UFY9MH", []),  # six letters or digits
            ("0201", "UFY9M", [("PEPPOL-COMMON-R044", "warning")]),
        ]
        for scheme, value, expected in cases:
            with self.subTest(scheme=scheme, value=value):
                failures = validate_ubl(with_buyer_endpoint(scheme, value))
                self.assertEqual([(failure.id, failure.flag) for failure in failures], expected)

    def test_runner_semantics_on_a_small_schema(self):
        """Global and rule lets, first matching rule of a pattern, union contexts,
        <value-of>/<name> in messages, asserts and reports, flags."""
        schema = """<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="t" uri="urn:test"/>
  <let name="limit" value="xs:decimal(/t:doc/@limit)"/>
  <ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>
  <pattern>
    <rule context="t:item[@kind = 'special']">
      <assert id="SPECIAL" flag="warning" test=". = 'ok'">special <value-of select="@id"/></assert>
    </rule>
    <rule context="t:item | t:other">
      <let name="amount" value="xs:decimal(@amount)"/>
      <assert id="LIMIT" flag="fatal" test="$amount &lt;= $limit"><name/> <value-of select="@id"/>: <value-of
        select="$amount"/> &gt; <value-of select="$limit"/></assert>
      <report id="ZERO" flag="warning" test="$amount = 0">zero</report>
    </rule>
  </pattern>
  <pattern>
    <rule context="/t:doc">
      <assert id="COUNT" flag="fatal" test="count(//t:item) = 2">count</assert>
    </rule>
  </pattern>
</schema>"""
        document = b"""<doc xmlns="urn:test" limit="10">
  <item id="a" amount="5"/>
  <item id="b" amount="50"/>
  <item id="c" kind="special" amount="99">no</item>
  <other id="d" amount="0"/>
</doc>"""
        with tempfile.NamedTemporaryFile("w", suffix=".sch", encoding="utf-8") as handle:
            handle.write(schema)
            handle.flush()
            failures = Schematron(handle.name).validate(document)
        self.assertEqual(
            failures,
            [
                Failure("LIMIT", "fatal", "item b: 50 > 10", "/t:doc[1]/t:item[2]"),
                # c matches the first rule only: no LIMIT for it
                Failure("SPECIAL", "warning", "special c", "/t:doc[1]/t:item[3]"),
                Failure("ZERO", "warning", "zero", "/t:doc[1]/t:other[1]"),
                Failure("COUNT", "fatal", "count", "/t:doc[1]"),
            ],
        )
        self.assertEqual([failure.id for failure in fatal(failures)], ["LIMIT", "COUNT"])

    def test_a_broken_schema_raises_and_the_worker_goes_on(self):
        schema = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <pattern><rule context="*"><assert id="X" flag="fatal" test="count(">x</assert></rule></pattern>
</schema>"""
        with tempfile.NamedTemporaryFile("w", suffix=".sch", encoding="utf-8") as handle:
            handle.write(schema)
            handle.flush()
            with self.assertRaisesRegex(RuntimeError, "PySaxonApiError"):
                Schematron(handle.name).validate(b"<doc/>")
        self.assertEqual(validate_ubl(sample(GOOD[0])), [])
