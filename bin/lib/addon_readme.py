"""Each addon's README.md, assembled from its readme/ fragments (DESCRIPTION.md,
CONFIGURE.md, USAGE.md), as OCA's oca-gen-addon-readme does for README.rst (which
needs pandoc and the network, not available in CI), and its
static/description/index.html, the page Odoo's Apps show (without it Odoo reads the
README as reStructuredText and logs docutils warnings on every install).

    python bin/lib/addon_readme.py          # write the README.md files
    python bin/lib/addon_readme.py --check  # fail when one is missing or out of date
"""

import ast
import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = (("DESCRIPTION.md", None), ("CONFIGURE.md", "Configuration"), ("USAGE.md", "Usage"))


def _demote(text):
    """Headings of a fragment go two levels down (under the README's own sections)."""
    return re.sub(r"^(#+) ", r"\1## ", text, flags=re.MULTILINE)


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    parts = [
        f"<!-- generated from readme/*.md by bin/lib/addon_readme.py: edit the fragments, not this file -->\n"
        f"# {manifest['name']}\n",
    ]
    if manifest.get("summary"):
        parts.append(manifest["summary"].strip() + "\n")
    parts.append(
        "**Table of contents**\n\n" + "".join(f"- [{t}](#{t.lower()})\n" for t in ("Configuration", "Usage", "Credits"))
    )
    for filename, title in SECTIONS:
        fragment = addon / "readme" / filename
        if not fragment.is_file():
            raise SystemExit(f"{fragment.relative_to(ROOT)} is missing")
        text = _demote(fragment.read_text().strip())
        parts.append(f"## {title}\n\n{text}\n" if title else f"{text}\n")
    parts.append(f"## Credits\n\n### Authors\n\n- {manifest['author']}\n\nLicense: {manifest['license']}.\n")
    return "\n".join(parts)


def _inline(text):
    """The inline Markdown of the fragments: code, bold, emphasis and links."""
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"<em>\1</em>", text)
    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r'<a href="\2">\1</a>', text)


def to_html(markdown):
    """The block Markdown of the fragments (headings, paragraphs, lists, code blocks,
    comments) as HTML; nothing more is used in readme/*.md."""
    out, para, items, code = [], [], [], None

    def flush():
        if para:
            out.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(' '.join(item))}</li>" for item in items) + "</ul>")
            items.clear()

    for line in markdown.splitlines():
        if code is not None:
            if line.startswith("```"):
                out.append(f"<pre><code>{html.escape(chr(10).join(code))}</code></pre>")
                code = None
            else:
                code.append(line)
            continue
        stripped = line.strip()
        if line.startswith("```"):
            flush()
            code = []
        elif not stripped or stripped.startswith("<!--"):
            flush()
        elif heading := re.match(r"^(#{1,6}) (.*)", line):
            flush()
            level = len(heading.group(1))
            anchor = re.sub(r"[^a-z0-9]+", "-", heading.group(2).lower()).strip("-")
            out.append(f'<h{level} id="{anchor}">{_inline(heading.group(2))}</h{level}>')
        elif re.match(r"^\s*[-*] ", line):
            if para:
                flush()
            items.append([re.sub(r"^\s*[-*] ", "", line)])
        elif items and line.startswith(" "):
            items[-1].append(stripped)
        else:
            if items:
                flush()
            para.append(stripped)
    flush()
    return "\n".join(out) + "\n"


def main(check=False):
    stale = []
    for manifest in sorted(ROOT.glob("addons/*/__manifest__.py")):
        addon = manifest.parent
        text = render(addon)
        for target, content in (
            (addon / "README.md", text),
            (addon / "static" / "description" / "index.html", to_html(text)),
        ):
            if target.is_file() and target.read_text() == content:
                continue
            if check:
                stale.append(str(target.relative_to(ROOT)))
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content)
    if stale:
        print("out of date (run python bin/lib/addon_readme.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))
