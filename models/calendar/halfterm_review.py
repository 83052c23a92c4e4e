"""What the half-termly reminders say, worked out when each one is sent.

For a teacher: which pupils of their classes have no judgement this half-term in an attainment
area, and which active targets are due for review (set before the half-term began, or with a
review date that has come). For a family: one child's latest bands with progress against the
expectation, and the home ideas of the child's active targets for the holiday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from models.assessment.tables import Assessment
from models.calendar.halfterm_reminders import summary_window, teacher_window
from models.calendar.school import HalfTerm
from models.calendar.term_calendar import HalfTermView, next_half_term
from models.common.enums import ATTAINMENT_AREAS, Area, TargetStatus
from models.common.errors import N_, DomainError, NotAllowed
from models.people.access import Actor, visible_pupils
from models.people.tables import Pupil
from models.records.mentoring_file import ChildProfile, child_profiles
from models.targets.tables import Target

ATTAINMENT = tuple(area for area in Area if area in ATTAINMENT_AREAS)


class NoLongerDue(DomainError):
    message = N_("This half-term reminder is no longer due.")


@dataclass(frozen=True)
class PupilGap:
    """A pupil without a judgement this half-term in these attainment areas."""

    pupil_id: int
    name: str
    class_name: str | None
    areas: tuple[Area, ...]


@dataclass(frozen=True)
class TargetDue:
    target_id: int
    pupil_id: int
    pupil_name: str
    area: Area
    text: str
    set_on: date
    review_on: date | None


@dataclass(frozen=True)
class TeacherReminder:
    half_term: HalfTermView
    pupils: int
    unjudged: list[PupilGap]
    due: list[TargetDue]


@dataclass(frozen=True)
class FamilySummary:
    half_term: HalfTermView
    child: ChildProfile
    next_starts_on: date | None  # the first day back, when the calendar has it


async def teacher_reminder(actor: Actor, half_term_id: int, *, now: datetime) -> TeacherReminder:
    """A class teacher's gaps and targets to review; NoLongerDue once the half-term is over."""
    if actor.staff is None:
        raise NotAllowed()
    half_term, zone = await _half_term(half_term_id, actor.staff.school_id)
    _opens, closes = teacher_window(half_term, zone)
    if now >= closes or not actor.staff.class_ids:
        raise NoLongerDue()
    pupils = (
        await visible_pupils(Actor(actor.telegram_user_id, staff=actor.staff))
        .filter(school_class_id__in=sorted(actor.staff.class_ids))
        .prefetch_related("school_class")
    )
    pupils.sort(key=lambda p: (_class_name(p) or "", p.last_name, p.first_name, p.id))
    ids = [p.id for p in pupils]
    starts = datetime.combine(half_term.starts_on, time.min, tzinfo=zone)
    judged = {
        (pupil_id, Area(area))
        for pupil_id, area in await Assessment.filter(
            pupil_id__in=ids,
            by_pupil=False,
            area__in=list(ATTAINMENT),
            recorded_at__gte=starts,
            recorded_at__lt=closes,
        ).values_list("pupil_id", "area")
    }
    today = now.astimezone(zone).date()
    targets = await Target.filter(
        Q(set_on__lt=half_term.starts_on) | Q(review_on__lte=today),
        pupil_id__in=ids,
        status=TargetStatus.ACTIVE,
    ).order_by("set_on", "id")
    names = {p.id: p.full_name for p in pupils}
    order = {pupil_id: index for index, pupil_id in enumerate(ids)}
    targets.sort(key=lambda t: order[t.pupil_id])
    gaps = [
        PupilGap(p.id, p.full_name, _class_name(p), missing)
        for p in pupils
        if (missing := tuple(a for a in ATTAINMENT if (p.id, a) not in judged))
    ]
    due = [
        TargetDue(t.id, t.pupil_id, names[t.pupil_id], Area(t.area), t.text, t.set_on, t.review_on)
        for t in targets
    ]
    return TeacherReminder(half_term, len(pupils), gaps, due)


async def family_summary(
    actor: Actor, half_term_id: int, pupil_id: int, *, now: datetime
) -> FamilySummary:
    """One child's half-term summary for a guardian; NoLongerDue once the next one began."""
    if actor.guardian is None:
        raise NotAllowed()
    half_term, zone = await _half_term(half_term_id, actor.guardian.school_id)
    following = await next_half_term(half_term)
    _opens, closes = summary_window(half_term, following.starts_on if following else None, zone)
    if now >= closes:
        raise NoLongerDue()
    guardian_only = Actor(actor.telegram_user_id, guardian=actor.guardian)
    profiles = await child_profiles(guardian_only, academic_year=half_term.academic_year)
    child = next((p for p in profiles if p.pupil_id == pupil_id), None)
    if child is None:
        raise NotAllowed()
    return FamilySummary(half_term, child, following.starts_on if following else None)


async def _half_term(half_term_id: int, school_id: int) -> tuple[HalfTermView, ZoneInfo]:
    """The half-term (of the reader's own school) and the school's timezone, in one query."""
    row = (
        await HalfTerm.filter(id=half_term_id, school_id=school_id).select_related("school").first()
    )
    if row is None:
        raise NotAllowed()
    view = HalfTermView(
        row.id, school_id, row.academic_year, row.number, row.starts_on, row.ends_on
    )
    return view, ZoneInfo(row.school.timezone)


def _class_name(pupil: Pupil) -> str | None:
    return pupil.school_class.name if pupil.school_class else None
