"""Agency identifier codes (mã định danh điện tử) in their two written forms. No Django imports.

- **QCVN 102:2016** form, read right to left from the top: ``L4L4L4.L3L3.L2L2.MX1X2``, e.g.
  ``000.00.14.H56`` (a level-2 unit of Thanh Hóa) or ``000.17.22.H56`` (level 3 ``17`` under
  level 2 ``22``). Unused levels are zero-filled. Still the prefix of one-stop dossier codes.
- **Decision 20/2020/QĐ-TTg** Art. 4 form, read left to right: the level-1 code first, then one
  group per level below it, digits/upper-case letters/dots, at most 35 characters:
  ``H56.14`` and ``H56.22.17`` for the two examples above.

The platform stores both for every agency and keeps them in agreement (vn-standards §12.2).
A code is *well formed* for the platform when it is convertible both ways: the level-2 and
level-3 groups are two digits, the level-4 group three digits, and a lower level is set only
when every level above it is set (``000.17.00.H56`` names a level-3 unit under no level-2 one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QCVN102_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Y]\d{2}$")
D20_RE = re.compile(r"^[A-Y]\d{2}(\.[0-9A-Z]+)*$")
LEVEL1_RE = re.compile(r"^[A-Y]\d{2}$")
D20_MAX_LENGTH = 35
QCVN102_LENGTH = 13
# Widths of the groups below level 1, top down (level 2, level 3, level 4).
_WIDTHS = (2, 2, 3)


class CodeError(ValueError):
    """The text is not an identifier code the platform can store (the reason is in English)."""


@dataclass(frozen=True)
class ParsedCode:
    level1: str
    groups: tuple[str, ...]  # the non-zero groups below level 1, top down

    @property
    def depth(self) -> int:
        """1 for the level-1 body itself (``000.00.00.H54``), 2 for a department, and so on."""
        return 1 + len(self.groups)

    @property
    def qcvn102(self) -> str:
        padded = [*self.groups, *("0" * width for width in _WIDTHS[len(self.groups) :])]
        return ".".join([padded[2], padded[1], padded[0], self.level1])

    @property
    def d20(self) -> str:
        return ".".join([self.level1, *self.groups])


def parse_qcvn102(code: str) -> ParsedCode:
    if not QCVN102_RE.match(code):
        raise CodeError("not in the QCVN 102 form 000.00.00.H54")
    l4, l3, l2, level1 = code.split(".")
    groups: list[str] = []
    seen_zero = False
    for group in (l2, l3, l4):
        if set(group) == {"0"}:
            seen_zero = True
        elif seen_zero:
            raise CodeError("a lower level is set while a level above it is zero")
        else:
            groups.append(group)
    return ParsedCode(level1=level1, groups=tuple(groups))


def parse_d20(code: str) -> ParsedCode:
    if len(code) > D20_MAX_LENGTH or not D20_RE.match(code):
        raise CodeError("not in the Decision 20/2020 form H54.01 (letter, 2 digits, then dot-separated groups)")
    level1, *groups = code.split(".")
    if len(groups) > len(_WIDTHS):
        raise CodeError("more levels than the QCVN 102 form can hold")
    for group, width in zip(groups, _WIDTHS, strict=False):
        if len(group) != width or not group.isdigit():
            raise CodeError("a group does not fit the QCVN 102 form (2, 2 and 3 digits)")
        if set(group) == {"0"}:
            raise CodeError("a group below level 1 is all zeros")
    return ParsedCode(level1=level1, groups=tuple(groups))


def parse_any(code: str) -> ParsedCode:
    """Either form; surrounding spaces are ignored and letters upper-cased."""
    text = code.strip().upper()
    if QCVN102_RE.match(text):
        return parse_qcvn102(text)
    return parse_d20(text)


def qcvn102_to_d20(code: str) -> str:
    """``000.17.22.H56`` → ``H56.22.17``."""
    return parse_qcvn102(code).d20


def d20_to_qcvn102(code: str) -> str:
    """``H56.22.17`` → ``000.17.22.H56``."""
    return parse_d20(code).qcvn102


def is_qcvn102(code: str) -> bool:
    try:
        parse_qcvn102(code)
    except CodeError:
        return False
    return True


def is_d20(code: str) -> bool:
    try:
        parse_d20(code)
    except CodeError:
        return False
    return True
