"""Every message of every Vietnamese catalogue is translated (Vietnamese first: no English
leaking into the default language), and no translation is marked fuzzy."""

import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[1] / "src" / "egov"
problems: list[str] = []
entry = re.compile(r'(#,[^\n]*\n)?msgid ((?:"[^\n]*"\n)+)msgstr ((?:"[^\n]*"\n)+)', re.M)
for po in sorted(root.glob("**/locale/vi/LC_MESSAGES/django.po")):
    text = po.read_text(encoding="utf-8")
    for match in entry.finditer(text):
        flags, msgid, msgstr = match.groups()
        msgid_text = "".join(re.findall(r'"(.*)"', msgid))
        if not msgid_text:
            continue  # the header
        if "".join(re.findall(r'"(.*)"', msgstr)) == "":
            problems.append(f"{po.relative_to(root)}: untranslated: {msgid_text!r}")
        elif flags and "fuzzy" in flags:
            problems.append(f"{po.relative_to(root)}: fuzzy: {msgid_text!r}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("translations complete")
