"""Recording colour-coded judgements: one pupil, a whole class, the child's own view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from models.assessment.bands import band_index
from models.assessment.tables import Assessment
from models.common.audit import AuditEntry
from models.common.enums import Area
from models.common.errors import N_, DomainError, NotAllowed
from models.people.access import Actor, Permission, acting_staff_id, require_pupil

MAX_NOTE = 200
UNDO_WINDOW = timedelta(minutes=30)


class NoteTooLong(DomainError):
    message = N_("Please keep the note under {limit} characters.")


@dataclass(frozen=True)
class Judgement:
    """One recorded judgement, as callers see it."""

    assessment_id: int
    pupil_id: int
    area: Area
    band: str
    recorded_at: datetime


class TooLateToUndo(DomainError):
    message = N_(
        "That judgement can no longer be undone here. Open the pupil's file to correct it."
    )


def clean_note(note: str) -> str:
    """A short single-paragraph note, or NoteTooLong."""
    text = " ".join(note.split())
    if len(text) > MAX_NOTE:
        raise NoteTooLong(limit=MAX_NOTE)
    return text


async def record_assessment(
    actor: Actor,
    pupil_id: int,
    area: Area,
    band: str,
    *,
    now: datetime,
    note: str = "",
    by_pupil: bool = False,
) -> Assessment:
    """Record a judgement (the teacher's, or the child's own when `by_pupil`)."""
    pupil = await require_pupil(actor, pupil_id, Permission.ASSESS)
    band_index(area, band)
    text = clean_note(note)
    async with in_transaction():
        assessment = await Assessment.create(
            pupil=pupil,
            area=area,
            band=band,
            note=text,
            by_pupil=by_pupil,
            recorded_by_id=acting_staff_id(actor),
            recorded_at=now,
        )
        await _audit(actor, "assessment_recorded", assessment, pupil.school_id, {"band": band})
    return assessment


async def add_note(actor: Actor, assessment_id: int, note: str) -> Assessment:
    """Attach a short staff-only note to a judgement (never shown to parents)."""
    assessment = await _editable(actor, assessment_id)
    assessment.note = clean_note(note)
    async with in_transaction():
        await assessment.save(update_fields=["note"])
        await _audit(actor, "assessment_noted", assessment, None, {})
    return assessment


async def correct_assessment(actor: Actor, assessment_id: int, band: str) -> Assessment:
    """Change a judgement's band; the old band stays in the audit trail."""
    assessment = await _editable(actor, assessment_id)
    band_index(Area(assessment.area), band)
    old = assessment.band
    assessment.band = band
    async with in_transaction():
        await assessment.save(update_fields=["band"])
        await _audit(actor, "assessment_corrected", assessment, None, {"from": old, "to": band})
    return assessment


async def undo_assessment(actor: Actor, assessment_id: int, *, now: datetime) -> int:
    """Take back a judgement just recorded by this person; returns its pupil id."""
    assessment = await _editable(actor, assessment_id)
    if assessment.recorded_by_id != acting_staff_id(actor):
        raise TooLateToUndo()
    if now - assessment.recorded_at > UNDO_WINDOW:
        raise TooLateToUndo()
    async with in_transaction():
        await _audit(actor, "assessment_undone", assessment, None, {"band": assessment.band})
        await assessment.delete()
    return assessment.pupil_id


async def latest_bands(
    pupil_ids: list[int], area: Area | None = None, *, by_pupil: bool = False
) -> dict[tuple[int, Area], Judgement]:
    """The latest judgement per (pupil, area), in one query."""
    query = Assessment.filter(pupil_id__in=pupil_ids, by_pupil=by_pupil)
    if area is not None:
        query = query.filter(area=area)
    latest: dict[tuple[int, Area], Judgement] = {}
    for row in await query.order_by("recorded_at", "id"):
        area_of = Area(row.area)
        latest[(row.pupil_id, area_of)] = Judgement(
            row.id, row.pupil_id, area_of, row.band, row.recorded_at
        )
    return latest


async def _editable(actor: Actor, assessment_id: int) -> Assessment:
    assessment = await Assessment.get_or_none(id=assessment_id)
    if assessment is None:
        raise NotAllowed()
    await require_pupil(actor, assessment.pupil_id, Permission.ASSESS)
    return assessment


async def _audit(
    actor: Actor,
    action: str,
    assessment: Assessment,
    school_id: int | None,
    details: dict[str, str],
) -> None:
    await AuditEntry.create(
        school_id=school_id
        if school_id is not None
        else actor.staff.school_id
        if actor.staff
        else None,
        actor_kind="staff",
        actor_id=actor.staff.staff_id if actor.staff else None,
        action=action,
        subject_kind="assessment",
        subject_id=assessment.id,
        pupil_id=assessment.pupil_id,
        details={"area": str(assessment.area), **details},
    )
