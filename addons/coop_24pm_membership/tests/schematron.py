"""A small ISO Schematron runner for the tests of the suite (Peppol BIS Billing 3.0).

A Peppol access point refuses an invoice that breaks a *fatal* rule of the two official
rule sets, ``CEN-EN16931-UBL.sch`` and ``PEPPOL-EN16931-UBL.sch``. They are read from
``<project>/../shared/einvoice/rules`` (or ``$COOP_EINVOICE_RULES``), never copied into
the project.

How a schema is run (``queryBinding="xslt2"``): it is translated once into an XSLT 3.0
stylesheet, compiled by Saxon-HE (``saxonche``) and cached at module level; validating a
document is then one transformation. The translation follows the ISO Schematron
semantics, as the official compiled rules do:

- the namespaces of ``<ns>`` are declared for every XPath expression;
- a global ``<let>`` is a global variable, evaluated on the document; a rule's ``<let>``
  is a local variable, evaluated on each context node, in order;
- each ``<pattern>`` is one XSLT mode walking every element (and attribute) of the
  document; its rules are templates whose ``match`` is the rule's ``context`` (an XSLT
  match pattern: ``cac:InvoiceLine | cac:CreditNoteLine`` matches those elements
  anywhere) with decreasing priorities, so a node is handled by the **first** rule of the
  pattern whose context matches it;
- an ``<assert>`` fails when its ``test`` is false (a ``<report>`` when it is true); the
  failure carries the assert's ``id``, its ``flag`` (``fatal`` or ``warning``), its text
  (``<value-of select=…>`` and ``<name/>`` evaluated on the context node) and the location
  of the context node;
- the ``xsl:function`` elements of the schema (``u:gln``, ``u:slack``, ``u:mod11``,
  ``u:mod97-0208``, ``u:checkCodiceIPA`` and the other national checks of
  ``PEPPOL-EN16931-UBL.sch``) are copied as they are into the stylesheet, so the runner
  evaluates their bodies exactly as the official XSLT does.

Usage::

    from odoo.addons.coop_24pm_membership.tests.schematron import assert_ubl_passes
    assert_ubl_passes(self, xml_bytes)   # fails with the fatal rule ids and messages
"""

import copy
import os
import resource
import re
import threading
from collections import namedtuple
from pathlib import Path

from lxml import etree

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
RULE_SETS = ("CEN-EN16931-UBL.sch", "PEPPOL-EN16931-UBL.sch")  # the order an access point applies them

Failure = namedtuple("Failure", "id flag text location")

_LOCK = threading.Lock()
_PROCESSOR = None
_COMPILED = {}  # resolved path of a .sch -> (executable, prefix of each namespace uri)
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def rules_dir():
    """The folder holding the official rule sets.

    ``$COOP_EINVOICE_RULES`` when set; otherwise ``<root>/../shared/einvoice/rules``, where
    ``<root>`` is the project folder (the first parent of this file that holds ``addons/``).
    """
    override = os.environ.get("COOP_EINVOICE_RULES")
    if override:
        return Path(override)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "addons").is_dir():
            return parent.parent / "shared" / "einvoice" / "rules"
    raise FileNotFoundError(f"no project folder (with addons/) above {here}: set COOP_EINVOICE_RULES")


def _processor():
    global _PROCESSOR  # noqa: PLW0603 (one Saxon processor per process)
    if _PROCESSOR is None:
        from saxonche import PySaxonProcessor

        # Saxon-HE runs as a GraalVM native isolate, which reserves a large range of
        # virtual addresses when it starts: under Odoo's limit_memory_hard (RLIMIT_AS,
        # 2.5 GiB by default, set in the test process too) it cannot start at all.
        # Tests only: lift the soft limit to the hard one (allowed without privilege).
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft != hard:
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        _PROCESSOR = PySaxonProcessor(license=False)
    return _PROCESSOR


def _xsl(tag, parent, text=None, **attrs):
    """A new xsl:<tag> element, last child of ``parent``."""
    element = etree.SubElement(parent, f"{{{XSL_NS}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _avt(value):
    """A literal attribute value of a result element (attribute value templates use braces)."""
    return value.replace("{", "{{").replace("}", "}}")


def _message(check, parent):
    """The text of an assert/report, its <value-of> and <name> evaluated on the context node."""
    if check.text:
        _xsl("text", parent, check.text)
    for child in check:
        if child.tag == f"{{{SCH_NS}}}value-of":
            _xsl("value-of", parent, select=child.get("select"))
        elif child.tag == f"{{{SCH_NS}}}name":
            _xsl("value-of", parent, select=f"name({child.get('path') or '.'})")
        elif isinstance(child.tag, str):  # emph, dir, span: their text
            _xsl("text", parent, "".join(child.itertext()))
        if child.tail:
            _xsl("text", parent, child.tail)


def _failure_output(check, parent, kind):
    record = etree.SubElement(
        parent,
        "failure",
        id=_avt(check.get("id") or ""),
        flag=_avt(check.get("flag") or check.get("role") or ("fatal" if kind == "assert" else "warning")),
    )
    _xsl("attribute", record, name="location", select="path()")
    _message(check, record)


def _unsupported(element, what):
    raise NotImplementedError(f"{what} (line {element.sourceline}) is not supported by this small runner")


def schema_to_xslt(sch_root):
    """The XSLT 3.0 stylesheet (an lxml tree) that runs the schema ``sch_root``.

    Its output is ``<failures><failure id= flag= location=>text</failure>…</failures>``.
    """
    if sch_root.get("queryBinding", "xslt") not in ("xslt", "xslt2", "xslt3", "xpath2", "xpath3", "xpath31"):
        _unsupported(sch_root, f"queryBinding {sch_root.get('queryBinding')!r}")
    nsmap = {prefix: uri for prefix, uri in sch_root.nsmap.items() if prefix}
    for ns in sch_root.iterfind(f"{{{SCH_NS}}}ns"):
        nsmap[ns.get("prefix")] = ns.get("uri")
    nsmap["xsl"] = XSL_NS
    sheet = etree.Element(f"{{{XSL_NS}}}stylesheet", {"version": "3.0", "exclude-result-prefixes": "#all"}, nsmap=nsmap)
    _xsl("output", sheet, method="xml", indent="no")
    patterns = []
    for child in sch_root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{{{XSL_NS}}}function":
            sheet.append(copy.deepcopy(child))
        elif child.tag == f"{{{SCH_NS}}}let":
            _xsl("variable", sheet, name=child.get("name"), select=child.get("value"))
        elif child.tag == f"{{{SCH_NS}}}pattern":
            if child.get("abstract") == "true" or child.get("is-a"):
                _unsupported(child, "an abstract pattern")
            patterns.append(child)
        elif child.tag in (f"{{{SCH_NS}}}include", f"{{{XSL_NS}}}include", f"{{{XSL_NS}}}import"):
            _unsupported(child, "an include")
    main = _xsl("template", sheet, match="/")
    result = etree.SubElement(main, "failures")
    for index, pattern in enumerate(patterns):
        mode = f"M{index}"
        _xsl("apply-templates", result, select="/", mode=mode)
        for let in pattern.iterfind(f"{{{SCH_NS}}}let"):
            _xsl("variable", sheet, name=let.get("name"), select=let.get("value"))
        rules = pattern.findall(f"{{{SCH_NS}}}rule")
        for position, rule in enumerate(rules):
            if rule.get("abstract") == "true" or rule.find(f"{{{SCH_NS}}}extends") is not None:
                _unsupported(rule, "an abstract rule")
            template = _xsl(
                "template", sheet, match=rule.get("context"), mode=mode, priority=str(1000 + len(rules) - position)
            )
            for check in rule:
                if check.tag == f"{{{SCH_NS}}}let":
                    _xsl("variable", template, name=check.get("name"), select=check.get("value"))
                elif check.tag == f"{{{SCH_NS}}}assert":
                    _failure_output(check, _xsl("if", template, test=f"not(({check.get('test')}))"), "assert")
                elif check.tag == f"{{{SCH_NS}}}report":
                    _failure_output(check, _xsl("if", template, test=f"({check.get('test')})"), "report")
            _xsl("apply-templates", template, select="@*|*", mode=mode)
        _xsl("template", sheet, match="text()", mode=mode, priority="-1")
        fallback = _xsl("template", sheet, match="/|@*|node()", mode=mode, priority="-2")
        _xsl("apply-templates", fallback, select="@*|*", mode=mode)
    return sheet


def _compile(path):
    key = str(Path(path).resolve())
    with _LOCK:
        if key not in _COMPILED:
            sch_root = etree.parse(key, _SAFE_PARSER).getroot()
            if sch_root.tag != f"{{{SCH_NS}}}schema":
                raise ValueError(f"{key} is not an ISO Schematron schema")
            sheet = schema_to_xslt(sch_root)
            text = etree.tostring(sheet, encoding="unicode")
            compiler = _processor().new_xslt30_processor()
            executable = compiler.compile_stylesheet(stylesheet_text=text)
            if executable is None:
                raise RuntimeError(f"Saxon could not compile the stylesheet made from {key}")
            prefixes = {}
            for ns in sch_root.iterfind(f"{{{SCH_NS}}}ns"):
                prefixes.setdefault(ns.get("uri"), ns.get("prefix"))
            _COMPILED[key] = (executable, text, prefixes)
        return _COMPILED[key]


class Schematron:
    """One ISO Schematron schema, compiled once per process (cached at module level)."""

    def __init__(self, path):
        self.path = Path(path).resolve()
        self._executable, self.stylesheet, self._prefixes = _compile(self.path)

    def __repr__(self):
        return f"Schematron({str(self.path)!r})"

    def _location(self, path):
        """``/Q{uri}Invoice[1]/Q{uri}ID[1]`` -> ``/ubl:Invoice[1]/cbc:ID[1]`` (prefixes of the schema)."""

        def prefixed(match):
            prefix = self._prefixes.get(match.group(1))
            return f"{prefix}:" if prefix else ("" if not match.group(1) else match.group(0))

        return re.sub(r"Q\{([^}]*)\}", prefixed, path)

    def validate(self, xml_bytes):
        """The failed asserts (and fired reports) of the document, as ``Failure`` tuples,
        pattern by pattern, in document order."""
        if isinstance(xml_bytes, str):
            xml_bytes = xml_bytes.encode()
        document = etree.fromstring(xml_bytes, _SAFE_PARSER)
        processor = _processor()
        with _LOCK:
            node = processor.parse_xml(xml_text=etree.tostring(document, encoding="unicode"))
            output = self._executable.transform_to_string(xdm_node=node)
        if output is None:
            raise RuntimeError(f"Saxon could not run {self.path.name} on the document")
        failures = []
        for record in etree.fromstring(output.encode()).iterfind("failure"):
            failures.append(
                Failure(
                    record.get("id"),
                    record.get("flag"),
                    " ".join((record.text or "").split()),
                    self._location(record.get("location") or ""),
                )
            )
        return failures


def fatal(failures):
    """The fatal failures among ``failures``."""
    return [failure for failure in failures if failure.flag == "fatal"]


def rule_sets():
    """The two official rule sets, CEN (EN 16931) then PEPPOL (BIS Billing 3.0)."""
    return [Schematron(rules_dir() / name) for name in RULE_SETS]


def validate_ubl(xml_bytes):
    """Every failure of the UBL document against both rule sets, CEN's first."""
    return [failure for schema in rule_sets() for failure in schema.validate(xml_bytes)]


def assert_ubl_passes(testcase, xml_bytes):
    """Fail ``testcase`` with the id, location and message of each fatal rule the UBL breaks
    (the ones a Peppol access point refuses). Returns every failure (warnings included)."""
    failures = validate_ubl(xml_bytes)
    errors = fatal(failures)
    if errors:
        lines = "\n".join(f"  {failure.id} at {failure.location}: {failure.text}" for failure in errors)
        testcase.fail(f"the UBL breaks {len(errors)} fatal Peppol BIS 3 rule(s):\n{lines}")
    return failures
