"""Importing term dates from a CSV file, all or nothing.

Columns `academic_year,half_term,starts_on,ends_on`, read by models/imports (UTF-8 with or
without a BOM, header names in any case, extra columns ignored); dates are ISO (2026-09-03).
Each academic year in the file must list its six half-terms and replaces that year's stored
calendar (half-terms are changed in place, so reminders already sent are not sent again).
A file may hold several years; a problem anywhere changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from models.calendar.school import School
from models.calendar.term_calendar import (
    HalfTermDates,
    calendar_problems,
    store_calendar,
    year_range,
)
from models.imports import Table, import_csv
from models.imports.cells import filled, iso_date, whole_number
from models.meetings.rounds import BAD_YEAR

COLUMNS = ("academic_year", "half_term", "starts_on", "ends_on")


@dataclass(frozen=True)
class TermsReport:
    """The years imported and how many half-terms were new, changed or already as given."""

    years: tuple[str, ...]
    created: int
    updated: int
    unchanged: int


async def import_terms(school: School, path: Path) -> TermsReport:
    """Check the whole file, then store every year in it in one transaction."""
    # store_calendar audits each year it changes, so the import adds no entry of its own.
    return await import_csv(path, COLUMNS, check=_check, write=partial(_store, school), audit=None)


def _check(table: Table) -> dict[str, list[tuple[int, HalfTermDates]]]:
    """Each year's half-terms with their lines; every problem is added to the table."""
    years: dict[str, list[tuple[int, HalfTermDates]]] = {}
    for row in table.rows:
        if not filled(table, row, COLUMNS):
            continue
        year = row["academic_year"]
        if year_range(year) is None:
            table.problem(row.line, "academic_year", BAD_YEAR, value=year)
        number = whole_number(table, row, "half_term")
        starts_on, ends_on = iso_date(table, row, "starts_on"), iso_date(table, row, "ends_on")
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


async def _store(school: School, years: dict[str, list[tuple[int, HalfTermDates]]]) -> TermsReport:
    """Store each year's calendar; returns the counts over all of them."""
    created = updated = unchanged = 0
    for year, rows in years.items():
        change = await store_calendar(
            school.id, year, [span for _line, span in rows], actor_kind="system"
        )
        created, updated = created + change.created, updated + change.updated
        unchanged += change.unchanged
    return TermsReport(tuple(sorted(years)), created, updated, unchanged)
