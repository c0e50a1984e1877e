"""Each addon's README.md, assembled from its readme/ fragments (DESCRIPTION.md,
CONFIGURE.md, USAGE.md), as OCA's oca-gen-addon-readme does for README.rst (which
needs pandoc and the network, not available in CI).

    python bin/lib/addon_readme.py          # write the README.md files
    python bin/lib/addon_readme.py --check  # fail when one is missing or out of date
"""

import ast
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


def main(check=False):
    stale = []
    for manifest in sorted(ROOT.glob("addons/*/__manifest__.py")):
        addon = manifest.parent
        target = addon / "README.md"
        text = render(addon)
        if target.is_file() and target.read_text() == text:
            continue
        if check:
            stale.append(str(target.relative_to(ROOT)))
        else:
            target.write_text(text)
    if stale:
        print("out of date (run python bin/lib/addon_readme.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(check="--check" in sys.argv[1:]))
