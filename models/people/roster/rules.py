"""Reading single roster cells: strict about meaning, lenient about spelling."""

from __future__ import annotations

import re

from models.common.enums import Role, YearGroup

_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false"})


def parse_role(value: str) -> Role | None:
    """`admin`, `teacher` or `assistant` in any case."""
    try:
        return Role(value.casefold())
    except ValueError:
        return None


def parse_year_group(value: str) -> YearGroup | None:
    """`R`/`Reception`/`YR`, or 1 to 6 optionally written `Y3` or `Year 3`, in any case."""
    compact = re.sub(r"\s+", "", value).casefold()
    if compact in {"r", "reception", "yr", "yearr"}:
        return YearGroup.RECEPTION
    number = compact.removeprefix("year").removeprefix("y")
    if len(number) == 1 and number in "123456":
        return YearGroup(number)
    return None


def parse_yes_no(value: str) -> bool | None:
    """yes/no, y/n or true/false in any case."""
    folded = value.casefold()
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


def parse_language(value: str) -> str | None:
    """The primary subtag, lower-case, of a well-formed IETF tag (`pl-PL`, `ur_PK` → `pl`, `ur`)."""
    tag = value.replace("_", "-")
    if not _LANGUAGE_TAG.fullmatch(tag):
        return None
    return tag.split("-", 1)[0].lower()


def is_email(value: str) -> bool:
    return bool(_EMAIL.fullmatch(value))
