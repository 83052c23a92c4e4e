"""Importing end-of-year expectations from a CSV file (`pupil_id,area,band`), all or nothing."""

# The file is read by models/imports (UTF-8 with or without a BOM, header names in any
# case, extra columns ignored). `pupil_id` is the roster's external id of a pupil still at the
# school; `area` and `band` are the codes of models/common/enums.py in any case (`Greater depth` is
# `greater_depth`), and the band must be on that area's scale. One row per pupil and area. The
# expectations are for the academic year of `today`; the import runs as the system.

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

from models.assessment.tables import Expectation
from models.calendar.school import School
from models.calendar.schools import academic_year_for
from models.common import clock
from models.common.enums import Area, bands_for, scale_for
from models.common.errors import N_
from models.imports import ImportAudit, Table, import_csv
from models.imports.cells import filled
from models.imports.headers import normalise_header
from models.people.tables import Pupil

COLUMNS = ("pupil_id", "area", "band")
AREAS = ", ".join(area.value for area in Area)
UNKNOWN_PUPIL = N_("No pupil at the school has the id {value}.")
UNKNOWN_AREA = N_("{value} is not an area; use one of: {areas}.")
BAD_BAND = N_("{value} is not a band for {area}; use one of: {bands}.")
DUPLICATE = N_("Pupil {pupil_id} already has a row for {area} on line {other_line}.")


@dataclass(frozen=True)
class Wanted:
    """One valid row: which pupil, which area, which band."""

    pupil_id: int
    area: Area
    band: str


@dataclass(frozen=True)
class ExpectationsReport:
    """How many expectations were new, changed or already as the file says."""

    academic_year: str
    new: int
    changed: int
    unchanged: int


async def import_expectations(school: School, path: Path, *, today: date) -> ExpectationsReport:
    """Check the whole file, then apply it in one transaction; ImportInvalid changes nothing."""
    pupils = dict(await Pupil.filter(school=school, left_at=None).values_list("external_id", "id"))
    return await import_csv(
        path,
        COLUMNS,
        check=partial(_check, pupils),
        write=partial(_apply, academic_year_for(today), clock.now()),
        audit=ImportAudit(school, "expectations_imported", _audit_details),
    )


def _check(pupils: dict[str, int], table: Table) -> list[Wanted]:
    """Every row as a Wanted, with each problem added to the table."""
    wanted: list[Wanted] = []
    seen: dict[tuple[int, Area], int] = {}
    for row in table.rows:
        if not filled(table, row, COLUMNS):
            continue
        pupil_id = pupils.get(row["pupil_id"])
        if pupil_id is None:
            table.problem(row.line, "pupil_id", UNKNOWN_PUPIL, value=row["pupil_id"])
        area_code, band = normalise_header(row["area"]), normalise_header(row["band"])
        if area_code not in {area.value for area in Area}:
            table.problem(row.line, "area", UNKNOWN_AREA, value=row["area"], areas=AREAS)
            continue
        area, bands = Area(area_code), bands_for(scale_for(Area(area_code)))
        if band not in bands:
            table.problem(
                row.line, "band", BAD_BAND, value=row["band"], area=area, bands=", ".join(bands)
            )
            continue
        if pupil_id is None:
            continue
        if (other := seen.get((pupil_id, area))) is not None:
            table.problem(
                row.line,
                "area",
                DUPLICATE,
                pupil_id=row["pupil_id"],
                area=area.value,
                other_line=str(other),
            )
            continue
        seen[(pupil_id, area)] = row.line
        wanted.append(Wanted(pupil_id, area, band))
    return wanted


async def _apply(year: str, now: datetime, wanted: list[Wanted]) -> ExpectationsReport:
    """Create, change or leave each expectation."""
    existing = {
        (e.pupil_id, Area(e.area)): e
        for e in await Expectation.filter(
            pupil_id__in=sorted({w.pupil_id for w in wanted}), academic_year=year
        )
    }
    new, changed, unchanged = [], [], 0
    for row in wanted:
        current = existing.get((row.pupil_id, row.area))
        if current is None:
            new.append(
                Expectation(pupil_id=row.pupil_id, area=row.area, academic_year=year, band=row.band)
            )
        elif current.band != row.band:
            current.band, current.set_by_id, current.updated_at = row.band, None, now
            changed.append(current)
        else:
            unchanged += 1
    if new:
        await Expectation.bulk_create(new)
    if changed:
        await Expectation.bulk_update(changed, fields=["band", "set_by_id", "updated_at"])
    return ExpectationsReport(year, len(new), len(changed), unchanged)


def _audit_details(report: ExpectationsReport) -> dict[str, int]:
    """The counts only."""
    return {"new": report.new, "changed": report.changed, "unchanged": report.unchanged}
