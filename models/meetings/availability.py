"""A teacher's availability in a round: planning the slot grid, opening it, blocking slots.

Times are given in the school's local time and stored as aware UTC datetimes. On the two
nights a year the clocks change, a local time between 01:00 and 02:00 either does not exist
(spring) or happens twice (autumn); a request with a meeting starting then is refused with
CLOCKS_CHANGE rather than silently moved or dropped, so the teacher sees exactly what is offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.common.audit import AuditEntry
from models.common.enums import Role
from models.common.errors import N_, DomainError, NotAllowed
from models.delivery.notify import notify_guardians
from models.delivery.outbox import Notification
from models.meetings.notices import MeetingNotice
from models.meetings.tables import Booking, MentoringRound, Slot
from models.people.access import Actor
from models.people.tables import Pupil, Staff

MAX_BUFFER = 60

ENDS_BEFORE_STARTS = N_("The end time must be after the start time.")
BREAK_INCOMPLETE = N_("Please give both the start and the end of the break.")
BREAK_ENDS_BEFORE_STARTS = N_("The break must end after it starts.")
BREAK_OUTSIDE = N_("The break must be between {starts} and {ends}.")
BAD_BUFFER = N_("The gap between meetings must be between 0 and {limit} minutes.")
NOTHING_FITS = N_("No {minutes}-minute meeting fits between {starts} and {ends}.")
CLOCKS_CHANGE = N_(
    "The clocks change on {day}, so {time} does not exist or happens twice that night. "
    "Please choose times outside that hour."
)
DAY_OUTSIDE_ROUND = N_("{day} is not in this round; it runs from {opens_on} to {closes_on}.")
IN_THE_PAST = N_("A meeting at {time} on {day} would be in the past.")
OVERLAP = N_("You already have a meeting time at {time} on {day}; nothing was added.")
SLOT_BOOKED = N_("This time is booked; ask the family to change it before blocking it.")


class InvalidAvailability(DomainError):
    message = N_("These times cannot be offered.")


@dataclass(frozen=True)
class AvailabilityRequest:
    day: date
    starts: time
    ends: time
    break_starts: time | None = None
    break_ends: time | None = None
    buffer_minutes: int = 0


@dataclass(frozen=True)
class Opened:
    """What opening times did: how many were added, how many families were newly invited."""

    slots: int
    families_invited: int


def plan_slots(
    request: AvailabilityRequest, *, slot_minutes: int, timezone: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """The (start, end) UTC pairs on the slot grid that the request offers."""
    if slot_minutes <= 0:
        raise ValueError(f"slot_minutes must be positive, not {slot_minutes}")
    start, end = _minutes(request.starts), _minutes(request.ends, up=False)
    if end <= start:
        raise InvalidAvailability(ENDS_BEFORE_STARTS)
    if not 0 <= request.buffer_minutes <= MAX_BUFFER:
        raise InvalidAvailability(BAD_BUFFER, limit=MAX_BUFFER)
    pause = _break(request, start, end)
    starts: list[int] = []
    earliest = start
    while (at := _align(earliest, slot_minutes)) + slot_minutes <= end:
        if pause and at < pause[1] and at + slot_minutes > pause[0]:
            earliest = max(earliest, pause[1])
            continue
        starts.append(at)
        earliest = at + slot_minutes + request.buffer_minutes
    if not starts:
        raise InvalidAvailability(
            NOTHING_FITS, minutes=slot_minutes, starts=_hm(start), ends=_hm(end)
        )
    length = timedelta(minutes=slot_minutes)
    return [(utc, utc + length) for utc in (_to_utc(request.day, at, timezone) for at in starts)]


async def open_availability(
    actor: Actor, round_id: int, request: AvailabilityRequest, *, now: datetime
) -> list[Slot]:
    """Offer a teacher's times in a round and invite the families not yet booked."""
    staff_id, class_ids = _teacher(actor)
    mentoring_round = await MentoringRound.get_or_none(
        id=round_id, school_id=actor.staff.school_id if actor.staff else None
    ).select_related("school")
    if mentoring_round is None:
        raise NotAllowed()
    if not mentoring_round.opens_on <= request.day <= mentoring_round.closes_on:
        raise InvalidAvailability(
            DAY_OUTSIDE_ROUND,
            day=request.day.isoformat(),
            opens_on=mentoring_round.opens_on.isoformat(),
            closes_on=mentoring_round.closes_on.isoformat(),
        )
    zone = ZoneInfo(mentoring_round.school.timezone)
    planned = plan_slots(request, slot_minutes=mentoring_round.slot_minutes, timezone=zone)
    if planned[0][0] <= now:
        raise InvalidAvailability(IN_THE_PAST, **_local(planned[0][0], zone))
    async with in_transaction():
        # One opening per teacher at a time, so two overlapping requests cannot both pass.
        await Staff.filter(id=staff_id).select_for_update().first()
        await _refuse_overlap(staff_id, planned, zone)
        try:
            await Slot.bulk_create(
                [
                    Slot(round_id=mentoring_round.id, staff_id=staff_id, starts_at=s, ends_at=e)
                    for s, e in planned
                ]
            )
        except IntegrityError:
            raise InvalidAvailability(OVERLAP, **_local(planned[0][0], zone)) from None
        invited = await _invite(mentoring_round, class_ids, now)
        await AuditEntry.create(
            school_id=mentoring_round.school_id,
            actor_kind="staff",
            actor_id=staff_id,
            action="availability_opened",
            subject_kind="round",
            subject_id=mentoring_round.id,
            details={"slots": len(planned), "invited": invited},
        )
    # The new slots are exactly the teacher's slots in this span: overlaps were refused.
    return await Slot.filter(
        staff_id=staff_id, starts_at__gte=planned[0][0], starts_at__lte=planned[-1][0]
    ).order_by("starts_at")


async def open_and_invite(
    actor: Actor, round_id: int, request: AvailabilityRequest, *, now: datetime
) -> Opened:
    """Open the times (as open_availability) and count the families invited for the first time."""
    before = await invited_pupils(round_id)
    opened = await open_availability(actor, round_id, request, now=now)
    return Opened(len(opened), len(await invited_pupils(round_id) - before))


async def invited_pupils(round_id: int) -> frozenset[int]:
    """Pupils whose families have a meeting invitation queued for this round."""
    prefix = _invite_key(round_id, None)
    keys = await Notification.filter(
        kind=MeetingNotice.MEETING_INVITE, idempotency_key__startswith=prefix
    ).values_list("idempotency_key", flat=True)
    # notify_guardians adds ":g<guardian>" to the key: one row per guardian, one pupil for all.
    return frozenset(int(str(key).removeprefix(prefix).split(":", 1)[0]) for key in keys)


async def set_slot_blocked(actor: Actor, slot_id: int, blocked: bool) -> Slot:
    """Block or free one of the teacher's own slots; a booked slot cannot be blocked."""
    staff_id, _ = _teacher(actor)
    async with in_transaction():
        slot = await Slot.filter(id=slot_id, staff_id=staff_id).select_for_update().first()
        if slot is None:
            raise NotAllowed()
        if blocked and await Booking.exists(holds_slot=slot.id):
            raise InvalidAvailability(SLOT_BOOKED)
        if slot.blocked != blocked:
            slot.blocked = blocked
            await slot.save(update_fields=["blocked"])
    return slot


def _teacher(actor: Actor) -> tuple[int, frozenset[int]]:
    # Assistants help in meetings but do not offer times of their own.
    if actor.staff is None or actor.staff.role not in (Role.TEACHER, Role.ADMIN):
        raise NotAllowed()
    return actor.staff.staff_id, actor.staff.class_ids


async def _refuse_overlap(
    staff_id: int, planned: list[tuple[datetime, datetime]], zone: ZoneInfo
) -> None:
    existing = await Slot.filter(
        staff_id=staff_id, starts_at__lt=planned[-1][1], ends_at__gt=planned[0][0]
    ).values_list("starts_at", "ends_at")
    for starts, ends in planned:
        for other_starts, other_ends in existing:
            if starts < other_ends and other_starts < ends:
                raise InvalidAvailability(OVERLAP, **_local(other_starts, zone))


async def _invite(mentoring_round: MentoringRound, class_ids: frozenset[int], now: datetime) -> int:
    """Queue a meeting_invite to the families of the teacher's pupils not yet booked."""
    pupils = Pupil.filter(
        school_id=mentoring_round.school_id, school_class_id__in=list(class_ids), left_at=None
    )
    pupil_ids: list[int] = [
        pupil_id for (pupil_id,) in await pupils.order_by("id").values_list("id")
    ]
    booked = set(
        await Booking.filter(
            slot__round_id=mentoring_round.id,
            pupil_id__in=pupil_ids,
            holds_family__not_isnull=True,
        ).values_list("pupil_id", flat=True)
    )
    invited = 0
    for pupil_id in pupil_ids:
        if pupil_id in booked:
            continue
        invited += await notify_guardians(
            pupil_id,
            MeetingNotice.MEETING_INVITE,
            {"round_id": mentoring_round.id, "pupil_id": pupil_id},
            now=now,
            key=_invite_key(mentoring_round.id, pupil_id),
        )
    return invited


def _invite_key(round_id: int, pupil_id: int | None) -> str:
    """The idempotency key of a round's invitation to a pupil's family (the prefix for None)."""
    return f"invite-r{round_id}-p{'' if pupil_id is None else pupil_id}"


def _break(request: AvailabilityRequest, start: int, end: int) -> tuple[int, int] | None:
    if request.break_starts is None and request.break_ends is None:
        return None
    if request.break_starts is None or request.break_ends is None:
        raise InvalidAvailability(BREAK_INCOMPLETE)
    pause = _minutes(request.break_starts, up=False), _minutes(request.break_ends)
    if pause[1] <= pause[0]:
        raise InvalidAvailability(BREAK_ENDS_BEFORE_STARTS)
    if pause[0] < start or pause[1] > end:
        raise InvalidAvailability(BREAK_OUTSIDE, starts=_hm(start), ends=_hm(end))
    return pause


def _minutes(moment: time, *, up: bool = True) -> int:
    """Minutes after midnight; seconds round towards the inside of the window."""
    whole = moment.hour * 60 + moment.minute
    return whole + 1 if up and (moment.second or moment.microsecond) else whole


def _align(minute: int, slot_minutes: int) -> int:
    """The first grid time at or after `minute`: the hour plus a multiple of the slot length."""
    hour, past = divmod(minute, 60)
    steps = -(-past // slot_minutes)
    return hour * 60 + 60 if steps * slot_minutes >= 60 else hour * 60 + steps * slot_minutes


def _to_utc(day: date, minute: int, zone: ZoneInfo) -> datetime:
    local = datetime.combine(day, time(minute // 60, minute % 60))
    earlier, later = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() != later.utcoffset():
        raise InvalidAvailability(CLOCKS_CHANGE, day=day.isoformat(), time=_hm(minute))
    return earlier.astimezone(UTC)


def _local(moment: datetime, zone: ZoneInfo) -> dict[str, str]:
    local = moment.astimezone(zone)
    return {"day": local.date().isoformat(), "time": local.strftime("%H:%M")}


def _hm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
