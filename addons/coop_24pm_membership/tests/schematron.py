"""A small ISO Schematron runner for the tests of the suite (Peppol BIS Billing 3.0).

A Peppol access point refuses an invoice that breaks a *fatal* rule of the two official
rule sets, ``CEN-EN16931-UBL.sch`` and ``PEPPOL-EN16931-UBL.sch``. They are read from
``<project>/../shared/einvoice/rules`` (or ``$COOP_EINVOICE_RULES``), never copied into
the project.

How a schema is run (``queryBinding="xslt2"``): it is translated once into an XSLT 3.0
stylesheet (cached at module level), compiled once by Saxon-HE (``saxonche``); validating
a document is then one transformation (a few milliseconds). The translation follows the
ISO Schematron semantics, as the official compiled rules do:

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

Saxon runs in a child process (``python schematron.py --saxon-worker``, started on first
use, one per test process): SaxonC's GraalVM isolate reserves 32 GB of address space, which
an Odoo server process cannot host (its ``limit_memory_hard`` caps the address space at
2.5 GB, and ``limit_memory_soft`` would restart the server when the virtual size is over
2 GB). The child lifts its own soft address-space limit to the hard one.

Usage::

    from odoo.addons.coop_24pm_membership.tests.schematron import assert_ubl_passes
    assert_ubl_passes(self, xml_bytes)   # fails with the fatal rule ids and messages
"""

import atexit
import copy
import io
import json
import os
import re
import subprocess
import sys
import threading
from collections import namedtuple
from pathlib import Path

from lxml import etree

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
RULE_SETS = ("CEN-EN16931-UBL.sch", "PEPPOL-EN16931-UBL.sch")  # the order an access point applies them

Failure = namedtuple("Failure", "id flag text location")

_LOCK = threading.Lock()
_SCHEMAS = {}  # resolved path of a .sch -> (XSLT text, prefix of each namespace uri)
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


class _SaxonWorker:
    """Saxon-HE in a child process: compiles stylesheets once, runs them on documents.

    Requests and answers are JSON lines on the child's stdin/stdout.
    """

    def __init__(self):
        self._process = None
        self._compiled = set()  # keys of the stylesheets the running child has compiled

    def _call(self, request):
        process = self._process
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        if not line:
            self._process = None
            raise RuntimeError(f"the Saxon worker stopped (exit code {process.wait()}); see its stderr")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["result"]

    def transform(self, key, stylesheet, xml_text):
        """The output of the stylesheet ``key`` (``stylesheet``: its text) on the document."""
        with _LOCK:
            if self._process is None or self._process.poll() is not None:
                self._process = subprocess.Popen(
                    [sys.executable, os.path.abspath(__file__), "--saxon-worker"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    encoding="utf-8",
                )
                self._compiled = set()
            if key not in self._compiled:
                self._call({"op": "compile", "key": key, "stylesheet": stylesheet})
                self._compiled.add(key)
            return self._call({"op": "transform", "key": key, "xml": xml_text})

    def stop(self):
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


_WORKER = _SaxonWorker()
atexit.register(_WORKER.stop)


def _serve():
    """The Saxon worker (run as ``python schematron.py --saxon-worker``)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    requests = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    answers = io.TextIOWrapper(os.fdopen(os.dup(1), "wb"), encoding="utf-8")
    os.dup2(2, 1)  # whatever Saxon prints goes to stderr, not into the answers
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    executables = {}
    for line in requests:
        request = json.loads(line)
        try:
            if request["op"] == "compile":
                compiler = processor.new_xslt30_processor()
                executable = compiler.compile_stylesheet(stylesheet_text=request["stylesheet"])
                if executable is None:
                    raise RuntimeError(f"Saxon could not compile the stylesheet of {request['key']}")
                executables[request["key"]] = executable
                result = None
            else:
                document = processor.parse_xml(xml_text=request["xml"])
                result = executables[request["key"]].transform_to_string(xdm_node=document)
                if result is None:
                    raise RuntimeError(f"Saxon could not run the stylesheet of {request['key']}")
            answer = {"result": result}
        except Exception as error:  # noqa: BLE001 (any failure is reported to the parent)
            answer = {"error": f"{type(error).__name__}: {error}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


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


def schema_to_xslt(sch_root):  # noqa: C901 - one branch per Schematron construct, read top to bottom like the ISO skeleton
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


def _translate(path):
    key = str(Path(path).resolve())
    with _LOCK:
        if key not in _SCHEMAS:
            sch_root = etree.parse(key, _SAFE_PARSER).getroot()
            if sch_root.tag != f"{{{SCH_NS}}}schema":
                raise ValueError(f"{key} is not an ISO Schematron schema")
            prefixes = {}
            for ns in sch_root.iterfind(f"{{{SCH_NS}}}ns"):
                prefixes.setdefault(ns.get("uri"), ns.get("prefix"))
            _SCHEMAS[key] = (etree.tostring(schema_to_xslt(sch_root), encoding="unicode"), prefixes)
        return _SCHEMAS[key]


class Schematron:
    """One ISO Schematron schema, translated and compiled once per process."""

    def __init__(self, path):
        self.path = Path(path).resolve()
        self.stylesheet, self._prefixes = _translate(self.path)

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
        output = _WORKER.transform(str(self.path), self.stylesheet, etree.tostring(document, encoding="unicode"))
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


if __name__ == "__main__" and sys.argv[1:] == ["--saxon-worker"]:
    _serve()
