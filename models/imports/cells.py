"""Checks of single cells that several importers make, each reporting its own problem."""

from __future__ import annotations

import re
from datetime import date

from models.common.errors import N_
from models.imports.table import Row, Table

EMPTY = N_("This cell must not be empty.")
TOO_LONG = N_("This is longer than {limit} characters.")
NOT_A_NUMBER = N_("{value} is not a whole number.")
BAD_DATE = N_("{value} is not a date; write it as YYYY-MM-DD, for example 2026-11-24.")

_WHOLE = re.compile(r"[+-]?\d{1,4}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def filled(table: Table, row: Row, columns: tuple[str, ...]) -> bool:
    """Whether every one of `columns` has a value; each blank one is a problem."""
    empty = [column for column in columns if not row[column]]
    for column in empty:
        table.problem(row.line, column, EMPTY)
    return not empty


def whole_number(table: Table, row: Row, column: str) -> int | None:
    """A whole number of at most four digits, or None with a problem."""
    if not _WHOLE.fullmatch(row[column]):
        table.problem(row.line, column, NOT_A_NUMBER, value=row[column])
        return None
    return int(row[column])


def iso_date(table: Table, row: Row, column: str) -> date | None:
    """An ISO date (2026-11-24), or None with a problem."""
    try:
        if _ISO_DATE.fullmatch(row[column]):
            return date.fromisoformat(row[column])
    except ValueError:
        pass
    table.problem(row.line, column, BAD_DATE, value=row[column])
    return None
