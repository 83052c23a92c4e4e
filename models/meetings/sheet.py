"""The mentoring sheet of one meeting: the teacher's copy before it, the family's copy after it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.assessment.bands import Progress, progress
from models.assessment.tables import Assessment, Expectation
from models.calendar.schools import academic_year_for
from models.common.enums import Area, SupportKind, TargetStatus
from models.common.errors import NotAllowed
from models.meetings.booking.family import family_for_booking
from models.meetings.tables import Booking, MeetingRecord
from models.people.access import Actor, Permission, require_pupil
from models.people.tables import Pupil
from models.targets.tables import Support, Target


@dataclass(frozen=True)
class SheetArea:
    area: Area
    band: str | None
    own_band: str | None  # the child's own judgement
    expected: str | None
    progress: Progress | None


@dataclass(frozen=True)
class SheetTarget:
    area: Area
    text: str
    home_support: str
    status: TargetStatus


@dataclass(frozen=True)
class SheetSupport:
    kind: SupportKind
    description: str
    responsible: str
    review_on: date | None


@dataclass(frozen=True)
class MentoringSheet:
    """Everything printed on one meeting's sheet; `staff_notes` is None on a family's copy."""

    school_name: str
    pupil_name: str
    first_name: str
    class_name: str | None
    teacher_name: str
    round_name: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    areas: tuple[SheetArea, ...]
    # Before the meeting: the active targets to review; after it: those reviewed or kept on.
    reviewed: tuple[SheetTarget, ...]
    new_targets: tuple[SheetTarget, ...]
    support: tuple[SheetSupport, ...]
    held: bool
    parent_attended: bool | None
    notes: str
    child_voice: str
    staff_notes: str | None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


async def staff_sheet(actor: Actor, booking_id: int) -> MentoringSheet:
    """The sheet for the pupil's teacher or a senior leader, staff-only notes included."""
    booking = await _booking(booking_id)
    if booking is None:
        raise NotAllowed()
    await require_pupil(actor, booking.pupil_id, Permission.MANAGE_TARGETS)
    record = await MeetingRecord.get_or_none(booking_id=booking.id)
    return await _sheet(booking, record, for_family=False)


async def family_sheet(actor: Actor, record_id: int) -> MentoringSheet:
    """The sheet of a meeting held, for a guardian of that booking's family; no staff notes."""
    if actor.guardian is None:
        raise NotAllowed()
    guardian_only = Actor(actor.telegram_user_id, guardian=actor.guardian)
    record = await MeetingRecord.get_or_none(id=record_id)
    booking_id: int | None = getattr(record, "booking_id", None)  # set by Tortoise at runtime
    booking = await _booking(booking_id) if booking_id else None
    if record is None or booking is None:
        raise NotAllowed()
    # A separated parent's own meeting is theirs alone, as its summary is.
    await family_for_booking(guardian_only, booking, staff=False)
    return await _sheet(booking, record, for_family=True)


async def _booking(booking_id: int) -> Booking | None:
    return await Booking.get_or_none(id=booking_id).select_related(
        "slot__staff", "slot__round", "pupil__school_class", "pupil__school"
    )


async def _sheet(
    booking: Booking, record: MeetingRecord | None, *, for_family: bool
) -> MentoringSheet:
    pupil: Pupil = booking.pupil
    slot = booking.slot
    school = pupil.school
    day = slot.starts_at.astimezone(ZoneInfo(school.timezone)).date()
    assessments = await Assessment.filter(pupil_id=pupil.id).order_by("recorded_at", "id")
    expected = {
        Area(e.area): e.band
        for e in await Expectation.filter(pupil_id=pupil.id, academic_year=academic_year_for(day))
    }
    support = await Support.filter(pupil_id=pupil.id).order_by("starts_on", "id")
    active = await Target.filter(pupil_id=pupil.id, status=TargetStatus.ACTIVE).order_by(
        "set_on", "id"
    )
    if record is None:
        reviewed, new = [_target(t) for t in active], []
    else:
        closed = await record.targets_reviewed.all().order_by("id")
        set_now = await record.targets_set.all().order_by("id")
        fresh = {t.id for t in set_now}
        kept = [t for t in active if t.id not in fresh and t.set_on < day]
        reviewed = [_target(t) for t in (*closed, *kept)]
        new = [_target(t) for t in set_now]
    return MentoringSheet(
        school_name=school.name,
        pupil_name=pupil.full_name,
        first_name=pupil.first_name,
        class_name=pupil.school_class.name if pupil.school_class else None,
        teacher_name=slot.staff.full_name,
        round_name=slot.round.name,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        timezone=school.timezone,
        areas=_areas(assessments, expected),
        reviewed=tuple(reviewed),
        new_targets=tuple(new),
        support=tuple(
            SheetSupport(SupportKind(s.kind), s.description, s.responsible, s.review_on)
            for s in support
            if s.ends_on is None or s.ends_on >= day
        ),
        held=record is not None,
        parent_attended=record.parent_attended if record else None,
        notes=record.notes if record else "",
        child_voice=record.child_voice if record else "",
        staff_notes=None if for_family else (record.staff_notes if record else ""),
    )


def _target(target: Target) -> SheetTarget:
    return SheetTarget(
        Area(target.area), target.text, target.home_support, TargetStatus(target.status)
    )


def _areas(assessments: list[Assessment], expected: dict[Area, str]) -> tuple[SheetArea, ...]:
    latest: dict[tuple[Area, bool], str] = {}
    for assessment in assessments:  # in time order, so the last one wins
        latest[(Area(assessment.area), assessment.by_pupil)] = assessment.band
    return tuple(
        SheetArea(
            area=area,
            band=latest.get((area, False)),
            own_band=latest.get((area, True)),
            expected=expected.get(area),
            progress=progress(area, latest.get((area, False)), expected.get(area)),
        )
        for area in Area
    )
