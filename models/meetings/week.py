"""A teacher's meeting days in the open rounds, a week at a time: each evening's times, who
comes, who cannot, and what is still free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.calendar.school import School
from models.common.enums import BookingStatus
from models.meetings.booking import BookingView, bookings_for_day, declines_for_day
from models.meetings.tables import Slot
from models.people.access import Actor, acting_staff_id


@dataclass(frozen=True)
class MeetingTime:
    slot_id: int
    starts_at: datetime
    blocked: bool
    booking: BookingView | None  # the live booking holding the time


@dataclass(frozen=True)
class Evening:
    day: date
    times: tuple[MeetingTime, ...]
    # Bookings the family declined, as far as the day's bookings carry them.
    declined: tuple[BookingView, ...]

    @property
    def free(self) -> tuple[MeetingTime, ...]:
        return tuple(t for t in self.times if t.booking is None and not t.blocked)


@dataclass(frozen=True)
class MeetingWeek:
    monday: date
    evenings: tuple[Evening, ...]
    earlier: date | None  # a meeting day in an earlier week, if any
    later: date | None  # a meeting day in a later week, if any


async def meeting_week(actor: Actor, near: date, *, today: date) -> MeetingWeek | None:
    """The week (Monday to Sunday) of the acting teacher's first meeting day on or after `near`
    in the rounds still open on `today` (the last week if all are past); None with no days."""
    staff_id = acting_staff_id(actor)
    school = await School.get(staff__id=staff_id)
    zone = ZoneInfo(school.timezone)
    open_slots = Slot.filter(staff_id=staff_id, round__closes_on__gte=today)
    starts = await open_slots.values_list("starts_at")
    days = sorted({_local_day(at, zone) for (at,) in starts})
    if not days:
        return None
    first = next((d for d in days if d >= near), days[-1])
    monday = first - timedelta(days=first.weekday())
    sunday_night = monday + timedelta(days=7)
    week_days = [d for d in days if monday <= d < sunday_night]
    slots = await open_slots.filter(
        starts_at__gte=_midnight(monday, zone), starts_at__lt=_midnight(sunday_night, zone)
    ).order_by("starts_at", "id")
    evenings = [
        await _evening(actor, day, [s for s in slots if _local_day(s.starts_at, zone) == day])
        for day in week_days
    ]
    return MeetingWeek(
        monday=monday,
        evenings=tuple(evenings),
        earlier=next((d for d in reversed(days) if d < monday), None),
        later=next((d for d in days if d >= sunday_night), None),
    )


async def _evening(actor: Actor, day: date, slots: list[Slot]) -> Evening:
    # The day's bookings come from bookings_for_day, the one reading of a teacher's bookings:
    # a few queries per meeting day (at most seven), never one per booking.
    bookings = await bookings_for_day(actor, day)
    live = {b.slot.slot_id: b for b in bookings if b.status is not BookingStatus.DECLINED}
    times = tuple(MeetingTime(s.id, s.starts_at, s.blocked, live.get(s.id)) for s in slots)
    # Declines (with their reasons) are read apart: bookings_for_day holds the live ones.
    declined = tuple(await declines_for_day(actor, day))
    return Evening(day, times, declined)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()
