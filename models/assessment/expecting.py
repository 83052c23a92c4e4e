"""End-of-year expectations, set by senior leaders."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models.assessment.bands import band_index
from models.assessment.tables import Expectation
from models.common.audit import AuditEntry
from models.common.enums import Area
from models.people.access import Actor, Permission, acting_staff_id, require_pupil


async def set_expectation(
    actor: Actor, pupil_id: int, area: Area, band: str, *, academic_year: str
) -> Expectation:
    """Set (or change) the band a pupil is aimed at by the end of the year in one area."""
    pupil = await require_pupil(actor, pupil_id, Permission.SET_EXPECTATIONS)
    band_index(area, band)
    async with in_transaction():
        expectation, _ = await Expectation.update_or_create(
            defaults={"band": band, "set_by_id": acting_staff_id(actor)},
            pupil_id=pupil.id,
            area=area,
            academic_year=academic_year,
        )
        await AuditEntry.create(
            school_id=pupil.school_id,
            actor_kind="staff",
            actor_id=acting_staff_id(actor),
            action="expectation_set",
            subject_kind="expectation",
            subject_id=expectation.id,
            pupil_id=pupil.id,
            details={"area": area.value, "band": band},
        )
    return expectation


async def expected_bands(pupil_ids: list[int], area: Area, *, academic_year: str) -> dict[int, str]:
    """The expected band per pupil in one area (one query), for showing progress beside bands."""
    rows = await Expectation.filter(
        pupil_id__in=pupil_ids, area=area, academic_year=academic_year
    ).values_list("pupil_id", "band")
    return {pupil_id: band for pupil_id, band in rows}
