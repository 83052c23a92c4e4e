"""Booking news for the meeting's teacher: a family booked, moved or declined.

Written in the transaction of the change. The teacher's /settings choice decides how it comes:
each change on its own, held until the office opens; or gathered into one summary row that
goes when the office closes at the end of the school day (changes join it while it waits). A
decline on the meeting's own day always comes at once, whatever the hours: the teacher may be
expecting that family within hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from models.calendar.school import School
from models.common.enums import BookingNews, NotificationState
from models.common.errors import NotAllowed
from models.delivery.outbox import Notification
from models.delivery.policy import DIGEST_AT
from models.meetings.booking.family import Family
from models.meetings.notices import TeacherBookingNotice
from models.meetings.tables import Booking, Slot
from models.messaging.office_hours import SEARCH_DAYS, OfficeHours, office_hours
from models.people.access import Actor
from models.people.tables import Staff, UserPreference


class BookingChange(StrEnum):
    BOOKED = "booked"
    MOVED = "moved"
    DECLINED = "declined"


@dataclass(frozen=True)
class BookingNewsItem:
    """One change as the teacher reads it: whose meeting, when (and from when), and why not."""

    change: BookingChange
    pupil_name: str
    starts_at: datetime
    moved_from: datetime | None
    reason: str
    by_school: bool


async def tell_teacher(
    family: Family,
    booking_id: int,
    slot: Slot,
    change: BookingChange,
    *,
    now: datetime,
    from_slot: Slot | None = None,
) -> None:
    """Queue the news for the slot's teacher, inside the caller's transaction."""
    if family.staff_id is not None and family.staff_id == slot.staff_id:
        return  # the teacher made the change themselves
    staff = await Staff.get_or_none(id=slot.staff_id, left_at=None).select_related("school")
    if staff is None or staff.telegram_user_id is None:
        return
    school: School = staff.school
    zone = ZoneInfo(school.timezone)
    event: dict[str, object] = {
        "booking_id": booking_id,
        "change": change.value,
        "slot_id": slot.id,
        "from_slot_id": from_slot.id if from_slot else None,
        "by_school": family.staff_id is not None,
    }
    same_day = slot.starts_at.astimezone(zone).date() == now.astimezone(zone).date()
    urgent = change is BookingChange.DECLINED and same_day
    preference = await UserPreference.get_or_none(telegram_user_id=staff.telegram_user_id)
    choice = preference.booking_news if preference else BookingNews.AT_ONCE
    hours = await office_hours(school, now=now)
    summary = choice is BookingNews.END_OF_DAY and not urgent
    if summary and await _join_summary(staff, event, closing_after(hours, now), now=now):
        return
    # The booking's n-th piece of news: a frozen clock or two changes in one tick stay apart.
    prefix = f"tbn-b{booking_id}-n"
    told = await Notification.filter(idempotency_key__startswith=prefix).count()
    await Notification.create(
        school_id=school.id,
        staff_id=staff.id,
        chat_id=staff.telegram_user_id,
        kind=TeacherBookingNotice.TEACHER_BOOKING_NEWS,
        params=event,
        due_at=now if urgent else hours.next_opening(now),
        idempotency_key=f"{prefix}{told + 1}",
    )


def closing_after(hours: OfficeHours, now: datetime) -> datetime:
    """When the office next closes on a school day (18:00 for a school always open)."""
    closes = DIGEST_AT if hours.always_open else hours.closes
    local = now.astimezone(hours.zone)
    day = local.date() if local.time() < closes else local.date() + timedelta(days=1)
    for _ in range(SEARCH_DAYS):
        if hours.is_school_day(day):
            break
        day += timedelta(days=1)
    return datetime.combine(day, closes, tzinfo=hours.zone)


async def _join_summary(
    staff: Staff, event: dict[str, object], due: datetime, *, now: datetime
) -> bool:
    """Add the change to the teacher's summary due at `due`; False when it has already gone."""
    key = f"tbs-s{staff.id}-{due.astimezone(ZoneInfo('UTC')):%Y%m%d%H%M}"
    row = await Notification.filter(idempotency_key=key).select_for_update().first()
    if row is None:
        await Notification.create(
            school_id=staff.school_id,
            staff_id=staff.id,
            chat_id=staff.telegram_user_id,
            kind=TeacherBookingNotice.TEACHER_BOOKING_SUMMARY,
            params={"events": [event]},
            due_at=due,
            idempotency_key=key,
        )
        return True
    if row.state is not NotificationState.PENDING or row.due_at <= now:
        return False
    row.params = {"events": [*row.params.get("events", []), event]}
    await row.save(update_fields=["params"])
    return True


async def booking_news_items(
    actor: Actor, events: list[dict[str, object]]
) -> list[BookingNewsItem]:
    """The changes of these outbox events that are about the actor's own meetings."""
    if actor.staff is None:
        raise NotAllowed()
    staff_id = actor.staff.staff_id
    slot_ids = [i for e in events for i in (_id(e, "slot_id"), _id(e, "from_slot_id")) if i]
    slots = {s.id: s for s in await Slot.filter(id__in=slot_ids)}
    booking_ids = [i for i in (_id(e, "booking_id") for e in events) if i]
    bookings = {b.id: b for b in await Booking.filter(id__in=booking_ids).select_related("pupil")}
    items = []
    for event in events:
        booking = bookings.get(_id(event, "booking_id") or 0)
        slot = slots.get(_id(event, "slot_id") or 0)
        if booking is None or slot is None or slot.staff_id != staff_id:
            continue
        from_slot = slots.get(_id(event, "from_slot_id") or 0)
        change = BookingChange(str(event.get("change")))
        items.append(
            BookingNewsItem(
                change=change,
                pupil_name=booking.pupil.first_name,
                starts_at=slot.starts_at,
                moved_from=from_slot.starts_at if from_slot else None,
                reason=booking.decline_reason if change is BookingChange.DECLINED else "",
                by_school=event.get("by_school") is True,
            )
        )
    return items


def _id(event: dict[str, object], name: str) -> int | None:
    value = event.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
