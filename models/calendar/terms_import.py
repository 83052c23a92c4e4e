"""Importing term dates from a CSV file, all or nothing.

Columns `academic_year,half_term,starts_on,ends_on`, read like the roster files (UTF-8 with or
without a BOM, header names in any case, extra columns ignored); dates are ISO (2026-09-03).
Each academic year in the file must list its six half-terms and replaces that year's stored
calendar (half-terms are changed in place, so reminders already sent are not sent again).
A file may hold several years; a problem anywhere changes nothing.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tortoise.transactions import in_transaction

from models.calendar.school import School
from models.calendar.term_calendar import (
    HalfTermDates,
    calendar_problems,
    store_calendar,
    year_range,
)
from models.meetings.rounds import BAD_YEAR
from models.meetings.rounds_import import BAD_DATE, NOT_A_NUMBER
from models.people.roster.csvfile import Row, Table, read_table
from models.people.roster.problems import RosterInvalid
from models.people.roster.validate import EMPTY

COLUMNS = ("academic_year", "half_term", "starts_on", "ends_on")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class TermsReport:
    """The years imported and how many half-terms were new, changed or already as given."""

    years: tuple[str, ...]
    created: int
    updated: int
    unchanged: int


async def import_terms(school: School, path: Path) -> TermsReport:
    """Check the whole file, then store every year in it in one transaction."""
    table = await asyncio.to_thread(read_table, path, COLUMNS)
    if table.problems:
        raise RosterInvalid(table.problems)
    years = _check(table)
    if table.problems:
        raise RosterInvalid(sorted(table.problems, key=lambda p: p.line))
    created = updated = unchanged = 0
    async with in_transaction():
        for year, rows in years.items():
            change = await store_calendar(
                school.id, year, [span for _line, span in rows], actor_kind="system"
            )
            created, updated = created + change.created, updated + change.updated
            unchanged += change.unchanged
    return TermsReport(tuple(sorted(years)), created, updated, unchanged)


def _check(table: Table) -> dict[str, list[tuple[int, HalfTermDates]]]:
    """Each year's half-terms with their lines; every problem is added to the table."""
    years: dict[str, list[tuple[int, HalfTermDates]]] = {}
    for row in table.rows:
        if empty := [column for column in COLUMNS if not row[column]]:
            for column in empty:
                table.problem(row.line, column, EMPTY)
            continue
        year = row["academic_year"]
        if year_range(year) is None:
            table.problem(row.line, "academic_year", BAD_YEAR, value=year)
        number = _whole(table, row)
        starts_on, ends_on = _date(table, row, "starts_on"), _date(table, row, "ends_on")
        if year_range(year) is None or number is None or starts_on is None or ends_on is None:
            continue
        years.setdefault(year, []).append((row.line, HalfTermDates(number, starts_on, ends_on)))
    if table.problems:  # the calendar as a whole is checked once every row reads cleanly
        return years
    for year, rows in years.items():
        for problem in calendar_problems(year, [span for _line, span in rows]):
            # A half-term missing from the year has no line of its own: the file is named.
            line = rows[problem.index][0] if problem.index is not None else 0
            table.problem(line, problem.column, problem.message, **problem.params)
    return years


def _whole(table: Table, row: Row) -> int | None:
    if not re.fullmatch(r"[+-]?\d{1,4}", row["half_term"]):
        table.problem(row.line, "half_term", NOT_A_NUMBER, value=row["half_term"])
        return None
    return int(row["half_term"])


def _date(table: Table, row: Row, column: str) -> date | None:
    try:
        if _ISO_DATE.fullmatch(row[column]):
            return date.fromisoformat(row[column])
    except ValueError:
        pass
    table.problem(row.line, column, BAD_DATE, value=row[column])
    return None
