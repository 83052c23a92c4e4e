"""The mentoring file: everything about one pupil in time order, and what a parent may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from models.assessment.bands import Progress, progress
from models.assessment.tables import Assessment, Expectation
from models.common.enums import Area, BookingStatus, TargetStatus
from models.common.errors import NotAllowed
from models.meetings.tables import Booking, MeetingRecord
from models.messaging.conversations import MessageEntry, pupil_messages
from models.people.access import Actor, Permission, require_pupil, visible_pupils
from models.people.tables import Pupil
from models.targets.tables import Support, Target
from models.targets.targeting import acknowledged_by

HISTORY_PAGE = 8
DECLINES_SHOWN = 3


@dataclass(frozen=True)
class AreaPicture:
    area: Area
    band: str | None
    own_band: str | None  # the child's own judgement
    expected: str | None
    progress: Progress | None
    judged_on: date | None


@dataclass(frozen=True)
class TargetView:
    target_id: int
    area: Area
    text: str
    home_support: str
    set_on: date
    acknowledged_by: tuple[str, ...]


@dataclass(frozen=True)
class SupportView:
    kind: str
    description: str
    responsible: str
    review_on: date | None


@dataclass(frozen=True)
class HistoryItem:
    at: datetime | date
    # assessment | own_assessment | target_set | target_closed | support | meeting |
    # message_from_family | message_to_family
    kind: str
    area: Area | None
    detail: str  # a band code, a target status, text, or who a message was from or to
    by: str = ""  # who wrote a message to the family


@dataclass(frozen=True)
class DeclinedMeeting:
    """A meeting the family said they could not come to, and why (as they wrote it)."""

    on: date  # the school's local day of the meeting
    reason: str


@dataclass(frozen=True)
class MentoringFile:
    pupil_id: int
    name: str
    class_name: str | None
    year_group: str
    areas: list[AreaPicture]
    targets: list[TargetView]
    support: list[SupportView]
    last_meeting: date | None
    history: list[HistoryItem]
    page: int
    has_more: bool
    declined: tuple[DeclinedMeeting, ...] = ()


@dataclass(frozen=True)
class ChildProfile:
    """What a guardian sees: bands, progress and targets with home ideas; no staff notes."""

    pupil_id: int
    name: str
    class_name: str | None
    areas: list[AreaPicture]
    targets: list[TargetView]


@dataclass(frozen=True)
class PupilMatch:
    pupil_id: int
    name: str
    class_name: str | None


async def find_pupils(actor: Actor, query: str, limit: int = 8) -> list[PupilMatch]:
    """Pupils this actor may see whose names contain every word typed."""
    pupils = visible_pupils(actor)
    for word in query.split()[:4]:
        pupils = pupils.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    found = (
        await pupils.order_by("last_name", "first_name")
        .limit(limit)
        .prefetch_related("school_class")
    )
    return [PupilMatch(p.id, p.full_name, _class_name(p)) for p in found]


async def mentoring_file(
    actor: Actor, pupil_id: int, *, academic_year: str, today: date, page: int = 0
) -> MentoringFile:
    """A pupil's file for staff, in a fixed number of queries however long it is."""
    if actor.staff is None:
        raise NotAllowed()
    pupil = await require_pupil(
        Actor(actor.telegram_user_id, staff=actor.staff), pupil_id, Permission.VIEW_PUPIL
    )
    await pupil.fetch_related("school_class")
    assessments = await Assessment.filter(pupil_id=pupil.id).order_by("recorded_at", "id")
    targets = await Target.filter(pupil_id=pupil.id).order_by("set_on", "id")
    support = await Support.filter(pupil_id=pupil.id).order_by("starts_on", "id")
    meetings = await MeetingRecord.filter(pupil_id=pupil.id).order_by("held_at")
    messages = await pupil_messages(pupil.id)
    declined = await _declined(pupil)
    areas = await _areas(pupil.id, assessments, academic_year)
    active = [t for t in targets if t.status is TargetStatus.ACTIVE]
    acks = await acknowledged_by([t.id for t in active])
    history = _history(assessments, targets, support, meetings, messages)
    start = page * HISTORY_PAGE
    return MentoringFile(
        pupil_id=pupil.id,
        name=pupil.full_name,
        class_name=_class_name(pupil),
        year_group=str(pupil.year_group),
        areas=areas,
        targets=[_target_view(t, acks.get(t.id, [])) for t in active],
        support=[
            SupportView(str(s.kind), s.description, s.responsible, s.review_on)
            for s in support
            if s.ends_on is None or s.ends_on >= today
        ],
        last_meeting=meetings[-1].held_at.date() if meetings else None,
        history=history[start : start + HISTORY_PAGE],
        page=page,
        has_more=len(history) > start + HISTORY_PAGE,
        declined=declined,
    )


async def _declined(pupil: Pupil) -> tuple[DeclinedMeeting, ...]:
    """The family's latest declines (newest first), so the teacher sees why they are not coming."""
    rows = (
        await Booking.filter(pupil_id=pupil.id, status=BookingStatus.DECLINED)
        .select_related("slot__round__school")
        .order_by("-slot__starts_at")
        .limit(DECLINES_SHOWN)
    )
    return tuple(
        DeclinedMeeting(
            b.slot.starts_at.astimezone(ZoneInfo(b.slot.round.school.timezone)).date(),
            b.decline_reason,
        )
        for b in rows
    )


async def child_profiles(actor: Actor, *, academic_year: str) -> list[ChildProfile]:
    """Each child a guardian may hear about; fixed queries for any number of children."""
    if actor.guardian is None:
        raise NotAllowed()
    guardian_only = Actor(actor.telegram_user_id, guardian=actor.guardian)
    pupils = (
        await visible_pupils(guardian_only).order_by("first_name").prefetch_related("school_class")
    )
    ids = [p.id for p in pupils]
    assessments = await Assessment.filter(pupil_id__in=ids).order_by("recorded_at", "id")
    expectations = await Expectation.filter(pupil_id__in=ids, academic_year=academic_year)
    targets = await Target.filter(pupil_id__in=ids, status=TargetStatus.ACTIVE).order_by(
        "set_on", "id"
    )
    profiles = []
    for pupil in pupils:
        mine = [a for a in assessments if a.pupil_id == pupil.id]
        expected = {Area(e.area): e.band for e in expectations if e.pupil_id == pupil.id}
        profiles.append(
            ChildProfile(
                pupil_id=pupil.id,
                name=pupil.full_name,
                class_name=_class_name(pupil),
                areas=_pictures(mine, expected),
                targets=[_target_view(t, []) for t in targets if t.pupil_id == pupil.id],
            )
        )
    return profiles


async def _areas(
    pupil_id: int, assessments: list[Assessment], academic_year: str
) -> list[AreaPicture]:
    expectations = await Expectation.filter(pupil_id=pupil_id, academic_year=academic_year)
    return _pictures(assessments, {Area(e.area): e.band for e in expectations})


def _pictures(assessments: list[Assessment], expected: dict[Area, str]) -> list[AreaPicture]:
    latest: dict[tuple[Area, bool], Assessment] = {}
    for assessment in assessments:  # in time order, so the last one wins
        latest[(Area(assessment.area), assessment.by_pupil)] = assessment
    pictures = []
    for area in Area:
        teacher, own = latest.get((area, False)), latest.get((area, True))
        band = teacher.band if teacher else None
        pictures.append(
            AreaPicture(
                area=area,
                band=band,
                own_band=own.band if own else None,
                expected=expected.get(area),
                progress=progress(area, band, expected.get(area)),
                judged_on=teacher.recorded_at.date() if teacher else None,
            )
        )
    return pictures


def _target_view(target: Target, seen_by: list[str]) -> TargetView:
    return TargetView(
        target.id,
        Area(target.area),
        target.text,
        target.home_support,
        target.set_on,
        tuple(seen_by),
    )


def _history(
    assessments: list[Assessment],
    targets: list[Target],
    support: list[Support],
    meetings: list[MeetingRecord],
    messages: list[MessageEntry],
) -> list[HistoryItem]:
    items = [
        HistoryItem(
            a.recorded_at,
            "own_assessment" if a.by_pupil else "assessment",
            Area(a.area),
            a.band,
        )
        for a in assessments
    ]
    items += [HistoryItem(t.set_on, "target_set", Area(t.area), t.text) for t in targets]
    items += [
        HistoryItem(t.closed_on, "target_closed", Area(t.area), str(t.status))
        for t in targets
        if t.closed_on is not None
    ]
    items += [HistoryItem(s.starts_on, "support", None, s.description) for s in support]
    items += [HistoryItem(m.held_at, "meeting", None, "") for m in meetings]
    # Who wrote to whom, not what: the words stay with the people they were for.
    items += [
        HistoryItem(
            m.at,
            "message_from_family" if m.from_family else "message_to_family",
            None,
            m.family_label,
            "" if m.from_family else m.staff,
        )
        for m in messages
    ]
    return sorted(items, key=lambda item: _sort_key(item.at), reverse=True)


def _sort_key(moment: datetime | date) -> tuple[date, datetime]:
    # Days first, then the time within the day; a bare date sorts before that day's times.
    if isinstance(moment, datetime):
        return (moment.date(), moment.replace(tzinfo=None))
    return (moment, datetime.min)


def _class_name(pupil: Pupil) -> str | None:
    return pupil.school_class.name if pupil.school_class else None
