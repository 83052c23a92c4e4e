"""Importing the year's mentoring rounds from a CSV file, all or nothing.

Columns `number,name,opens_on,closes_on,slot_minutes`, read by models/imports (UTF-8 with or
without a BOM, header names in any case, extra columns ignored). Dates are ISO (2026-11-24);
a round's academic year is the one its dates fall in, and both dates must be in the same one.
`slot_minutes` may be left blank or left out (10 minutes). Rounds are matched by school,
academic year and number: new ones are created, others updated; none are ever deleted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from functools import partial
from pathlib import Path

from models.calendar.school import School
from models.calendar.schools import academic_year_for
from models.common.errors import N_
from models.imports import ImportAudit, Table, import_csv
from models.imports.cells import TOO_LONG, filled, iso_date, whole_number
from models.meetings.rounds import MAX_NAME, round_problem
from models.meetings.tables import MentoringRound

REQUIRED = ("number", "name", "opens_on", "closes_on")
OPTIONAL = ("slot_minutes",)
DEFAULT_SLOT_MINUTES = 10
DUPLICATE = N_("Round {number} for {year} is already on line {other_line}.")


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
    """Check the whole file, then apply it in one transaction; ImportInvalid changes nothing."""
    return await import_csv(
        path,
        REQUIRED,
        optional=OPTIONAL,
        check=_check,
        write=partial(_apply, school),
        audit=ImportAudit(school, "rounds_imported", asdict),
    )


def _check(table: Table) -> list[Wanted]:
    """Every row as a Wanted, with each problem added to the table."""
    wanted: list[Wanted] = []
    seen: dict[tuple[str, int], int] = {}
    for row in table.rows:
        if not filled(table, row, REQUIRED):
            continue
        if len(row["name"]) > MAX_NAME:
            table.problem(row.line, "name", TOO_LONG, limit=str(MAX_NAME))
        number = whole_number(table, row, "number")
        minutes = (
            whole_number(table, row, "slot_minutes")
            if row["slot_minutes"]
            else DEFAULT_SLOT_MINUTES
        )
        opens_on, closes_on = iso_date(table, row, "opens_on"), iso_date(table, row, "closes_on")
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


async def _apply(school: School, wanted: list[Wanted]) -> RoundsReport:
    """Create, change or leave each round."""
    fields = ("name", "opens_on", "closes_on", "slot_minutes")
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
    return RoundsReport(len(new), len(changed), len(wanted) - len(new) - len(changed))
