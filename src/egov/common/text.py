"""Vietnamese text helpers: NFC normalisation and diacritic folding for search.

`fold("Đăng ký kinh doanh") == "dang ky kinh doanh"`: strip every combining mark after NFD,
map đ/Đ (which has no decomposition) to d, lower-case, and squeeze white space. The same fold
is applied when indexing and when querying, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_DD = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value.translate(_DD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().casefold()
