"""Message kinds and their templates, rendered in Vietnamese and English at notify time.

Each kind has three small Django templates under `templates/notifications/messages/<kind>/`:
`subject.txt`, `body.txt` and `sms.txt`, written with `{% translate %}`/`{% blocktranslate %}`
(English msgids, Vietnamese in this app's catalogue) and rendered once per language with
`translation.override`. The texts are stored with the notification and each delivery.

SMS: one GSM-7 segment holds 160 characters, but a single Vietnamese letter with diacritics
forces UCS-2, where a segment holds only 70. By default (`EGOV_SMS_UNACCENTED`, on) SMS text is
sent without diacritics ("Ho so ... da co ket qua"), as Vietnamese SMS gateways commonly require
for brand-name messages, and cut to `EGOV_SMS_MAX_CHARS` (160; 70 when accented text is kept).
`egov.common.text.fold` is not used: it lower-cases and is meant for search keys.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# kind → label (shown in the list and the admin). Templates live in messages/<kind>/.
KINDS: dict[str, Promise] = {
    # staff: the deadline sweeps of one-stop dossiers
    "dossier_due_soon": _("Dossier due soon"),
    "dossier_overdue": _("Dossier overdue"),
    "dossier_step_late": _("Processing step running late"),
    "dossier_daily_summary": _("Daily summary of deadlines"),
    # applicants: key transitions of their dossier (Decree 61/2018 Art. 15, 17, 19)
    "dossier_received": _("Dossier received"),
    "dossier_supplement_requested": _("Supplement requested"),
    "dossier_refused": _("Dossier not accepted"),
    "dossier_apology": _("Apology and new appointment"),
    "dossier_result_ready": _("Result ready"),
}

_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_PUNCTUATION = str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "...", "\u00a0": " "})


@dataclass(frozen=True)
class Rendered:
    subject_vi: str
    subject_en: str
    body_vi: str
    body_en: str
    sms: str


def unaccent(text: str) -> str:
    """Vietnamese without diacritics, case kept: "Hồ sơ Đã xong" → "Ho so Da xong"; other
    characters outside ASCII become "?" so the text stays in the GSM-7 alphabet."""
    text = text.replace("đ", "d").replace("Đ", "D").translate(_PUNCTUATION)
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return stripped.encode("ascii", "replace").decode("ascii")


def sms_text(text: str, *, unaccented: bool | None = None, limit: int | None = None) -> str:
    """The SMS form of a Vietnamese text: one line, without diacritics by default, at most one segment."""
    if unaccented is None:
        unaccented = bool(getattr(settings, "EGOV_SMS_UNACCENTED", True))
    flat = _SPACES.sub(" ", " ".join(text.split())).strip()
    flat = unaccent(flat) if unaccented else unicodedata.normalize("NFC", flat)
    if limit is None:
        limit = int(getattr(settings, "EGOV_SMS_MAX_CHARS", 0) or (160 if unaccented else 70))
    if len(flat) > limit:
        flat = flat[: limit - 3].rstrip() + "..."
    return flat


def _clean_body(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return unicodedata.normalize("NFC", _BLANK_LINES.sub("\n\n", "\n".join(lines)))


def _clean_subject(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))[:300]


def render(kind: str, context: Mapping[str, Any]) -> Rendered:
    """Render `kind` with `context` in Vietnamese and English (the caller checked the kind)."""
    base = f"notifications/messages/{kind}/"
    texts: dict[str, tuple[str, str]] = {}
    for lang in ("vi", "en"):
        with translation.override(lang):
            texts[lang] = (
                _clean_subject(render_to_string(base + "subject.txt", dict(context))),
                _clean_body(render_to_string(base + "body.txt", dict(context))),
            )
    with translation.override("vi"):
        sms = sms_text(render_to_string(base + "sms.txt", dict(context)))
    return Rendered(
        subject_vi=texts["vi"][0], subject_en=texts["en"][0], body_vi=texts["vi"][1], body_en=texts["en"][1], sms=sms
    )


def email_body(body_vi: str, body_en: str, link_url: str = "") -> str:
    """The e-mail text: Vietnamese first, the English version below it, the link in both."""
    text = render_to_string(
        "notifications/messages/email.txt", {"body_vi": body_vi, "body_en": body_en, "link_url": link_url}
    )
    return _clean_body(text) + "\n"
