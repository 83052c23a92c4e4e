"""Importing the year's mentoring rounds from a CSV file, all or nothing.

Columns `number,name,opens_on,closes_on,slot_minutes`, read like the roster files (UTF-8 with or
without a BOM, header names in any case, extra columns ignored). Dates are ISO (2026-11-24);
a round's academic year is the one its dates fall in, and both dates must be in the same one.
`slot_minutes` may be left blank or left out (10 minutes). Rounds are matched by school,
academic year and number: new ones are created, others updated; none are ever deleted.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tortoise.transactions import in_transaction

from models.calendar.school import School
from models.calendar.schools import academic_year_for
from models.common.audit import AuditEntry
from models.common.errors import N_
from models.meetings.rounds import MAX_NAME, round_problem
from models.meetings.tables import MentoringRound
from models.people.roster.csvfile import MISSING_COLUMN, Row, Table, read_table
from models.people.roster.problems import RosterInvalid, RosterProblem
from models.people.roster.validate import EMPTY, TOO_LONG

REQUIRED = ("number", "name", "opens_on", "closes_on")
COLUMNS = (*REQUIRED, "slot_minutes")
DEFAULT_SLOT_MINUTES = 10
BAD_DATE = N_("{value} is not a date; write it as YYYY-MM-DD, for example 2026-11-24.")
NOT_A_NUMBER = N_("{value} is not a whole number.")
DUPLICATE = N_("Round {number} for {year} is already on line {other_line}.")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Wanted:
    """One valid row."""

    academic_year: str
    number: int
    name: str
    opens_on: date
    closes_on: date
    slot_minutes: int


@dataclass(frozen=True)
class RoundsReport:
    """How many rounds were new, changed or already as the file says."""

    created: int
    updated: int
    unchanged: int


async def import_rounds(school: School, path: Path) -> RoundsReport:
    """Check the whole file, then apply it in one transaction; RosterInvalid changes nothing."""
    table = await asyncio.to_thread(_read, path)
    if table.problems:
        raise RosterInvalid(table.problems)
    wanted = _check(table)
    if table.problems:
        raise RosterInvalid(table.problems)
    return await _apply(school, wanted)


def _read(path: Path) -> Table:
    table = read_table(path, COLUMNS)
    optional_missing = RosterProblem(
        path.name, 1, "slot_minutes", MISSING_COLUMN, {"column": "slot_minutes"}
    )
    # read_table only knows required columns; without slot_minutes read the rest again.
    if optional_missing in table.problems:
        table = read_table(path, REQUIRED)
    return table


def _check(table: Table) -> list[Wanted]:
    """Every row as a Wanted, with each problem added to the table."""
    wanted: list[Wanted] = []
    seen: dict[tuple[str, int], int] = {}
    for row in table.rows:
        if empty := [column for column in REQUIRED if not row[column]]:
            for column in empty:
                table.problem(row.line, column, EMPTY)
            continue
        if len(row["name"]) > MAX_NAME:
            table.problem(row.line, "name", TOO_LONG, limit=str(MAX_NAME))
        number = _whole(table, row, "number")
        minutes = (
            _whole(table, row, "slot_minutes") if row["slot_minutes"] else DEFAULT_SLOT_MINUTES
        )
        opens_on, closes_on = _date(table, row, "opens_on"), _date(table, row, "closes_on")
        if number is None or minutes is None or opens_on is None or closes_on is None:
            continue
        year = academic_year_for(opens_on)
        if problem := round_problem(number, opens_on, closes_on, minutes, year):
            column, message, params = problem
            table.problem(row.line, column, message, **params)
            continue
        if len(row["name"]) > MAX_NAME:
            continue
        if (other := seen.get((year, number))) is not None:
            table.problem(
                row.line, "number", DUPLICATE, number=str(number), year=year, other_line=str(other)
            )
            continue
        seen[(year, number)] = row.line
        name = " ".join(row["name"].split())
        wanted.append(Wanted(year, number, name, opens_on, closes_on, minutes))
    return wanted


def _whole(table: Table, row: Row, column: str) -> int | None:
    if not re.fullmatch(r"[+-]?\d{1,4}", row[column]):
        table.problem(row.line, column, NOT_A_NUMBER, value=row[column])
        return None
    return int(row[column])


def _date(table: Table, row: Row, column: str) -> date | None:
    try:
        if _ISO_DATE.fullmatch(row[column]):
            return date.fromisoformat(row[column])
    except ValueError:
        pass
    table.problem(row.line, column, BAD_DATE, value=row[column])
    return None


async def _apply(school: School, wanted: list[Wanted]) -> RoundsReport:
    """Create, change or leave each round; the audit log gets the counts only."""
    fields = ("name", "opens_on", "closes_on", "slot_minutes")
    async with in_transaction():
        existing = {
            (r.academic_year, r.number): r
            for r in await MentoringRound.filter(
                school=school, academic_year__in=sorted({w.academic_year for w in wanted})
            )
        }
        new, changed = [], []
        for row in wanted:
            current = existing.get((row.academic_year, row.number))
            values = {name: getattr(row, name) for name in fields}
            if current is None:
                new.append(
                    MentoringRound(
                        school=school, academic_year=row.academic_year, number=row.number, **values
                    )
                )
            elif any(getattr(current, name) != value for name, value in values.items()):
                current.update_from_dict(values)
                changed.append(current)
        if new:
            await MentoringRound.bulk_create(new)
        if changed:
            await MentoringRound.bulk_update(changed, fields=list(fields))
        report = RoundsReport(len(new), len(changed), len(wanted) - len(new) - len(changed))
        await AuditEntry.create(
            school=school,
            actor_kind="system",
            action="rounds_imported",
            subject_kind="school",
            subject_id=school.id,
            details={
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
    return report
