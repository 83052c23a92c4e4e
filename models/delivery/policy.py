"""When a notice may go out: quiet hours, daily or weekly digests, and what never waits.

Each kind's declared delivery class decides (models.delivery.kinds.DeliveryClass). Routine news
(a new target, praise, a meeting's notes, the half-term summary) follows the guardian's
`/settings` choice and waits out the school's quiet hours. Notices about a meeting wait out quiet
hours too, unless the meeting is that same day. School announcements wait out quiet hours (never
for a digest); a safeguarding-critical one (`params["critical"]`) never waits. Everything else,
and a kind no longer declared, goes at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.calendar.school import School
from models.common.enums import NotificationState, UpdateFrequency
from models.delivery.kinds import DeliveryClass, NoticeKind, kind_of
from models.delivery.outbox import Notification
from models.meetings.tables import Booking
from models.people.tables import UserPreference

DIGEST_AT = time(18, 0)
WEEKLY_DIGEST_WEEKDAY = 4  # Friday


@dataclass(frozen=True)
class Hold:
    """Send no earlier than `until`; `digest` when it is to go out inside a digest."""

    until: datetime
    digest: bool


def parse_clock(value: str) -> time:
    """A school's "HH:MM" setting."""
    hours, minutes = value.split(":", 1)
    return time(int(hours), int(minutes))


def in_quiet_hours(moment: time, starts: time, ends: time) -> bool:
    """Whether a local time falls in quiet hours that may run past midnight."""
    if starts == ends:
        return False
    if starts < ends:
        return starts <= moment < ends
    return moment >= starts or moment < ends


def quiet_ends_after(now: datetime, zone: ZoneInfo, starts: time, ends: time) -> datetime | None:
    """When the quiet hours `now` falls in end (an aware datetime), or None outside them."""
    local = now.astimezone(zone)
    if not in_quiet_hours(local.time(), starts, ends):
        return None
    day = local.date() if local.time() < ends else local.date() + timedelta(days=1)
    return datetime.combine(day, ends, tzinfo=zone)


async def retime_quiet_holds(before: School, after: School, *, now: datetime) -> int:
    """Rows held till the old quiet hours ended now wait for the new ones (or none).

    Only rows due exactly when the old quiet hours end are moved: a reminder set for later
    keeps its time. The delivery policy looks at each row again when it falls due, so a row
    due at once still waits for a digest the family chose. Returns how many were moved.
    """
    zone = ZoneInfo(after.timezone)
    old_end = quiet_ends_after(
        now, zone, parse_clock(before.quiet_starts), parse_clock(before.quiet_ends)
    )
    if old_end is None:
        return 0  # outside the old quiet hours nothing is held for them
    new_end = quiet_ends_after(
        now, zone, parse_clock(after.quiet_starts), parse_clock(after.quiet_ends)
    )
    due: list[tuple[int, datetime]] = await Notification.filter(
        school_id=after.id, state=NotificationState.PENDING, due_at__gt=now
    ).values_list("id", "due_at")
    held = [row_id for row_id, due_at in due if due_at == old_end]
    if held:
        await Notification.filter(id__in=held).update(due_at=(new_end or now).astimezone(UTC))
    return len(held)


def next_digest(now: datetime, zone: ZoneInfo, frequency: UpdateFrequency) -> datetime:
    """The next daily (18:00) or weekly (Friday 18:00) digest at or after `now`."""
    local = now.astimezone(zone)
    day = local.date()
    if local.time() > DIGEST_AT:
        day += timedelta(days=1)
    if frequency is UpdateFrequency.WEEKLY:
        day += timedelta(days=(WEEKLY_DIGEST_WEEKDAY - day.weekday()) % 7)
    return datetime.combine(day, DIGEST_AT, tzinfo=zone)


async def hold_for(row: Notification, *, now: datetime) -> Hold | None:
    """Whether this due row should wait, and until when; None to send it now."""
    kind = kind_of(row.kind)
    if row.school_id is None or kind is None or not _may_wait(kind, row):
        return None
    school = await School.get_or_none(id=row.school_id)
    if school is None:
        return None
    zone = ZoneInfo(school.timezone)
    if kind.delivery is DeliveryClass.ROUTINE and not row.digest and row.guardian_id is not None:
        preference = await UserPreference.get_or_none(telegram_user_id=row.chat_id)
        frequency = preference.updates if preference else UpdateFrequency.INSTANT
        if frequency is not UpdateFrequency.INSTANT:
            return Hold(next_digest(now, zone, frequency), digest=True)
    if kind.delivery is DeliveryClass.MEETING and await _meeting_is_today(row, now, zone):
        return None
    morning = quiet_ends_after(
        now, zone, parse_clock(school.quiet_starts), parse_clock(school.quiet_ends)
    )
    return None if morning is None else Hold(morning, digest=row.digest)


def _may_wait(kind: NoticeKind, row: Notification) -> bool:
    if kind.delivery is DeliveryClass.ANNOUNCEMENT:
        return row.params.get("critical") is not True
    return kind.delivery in (DeliveryClass.ROUTINE, DeliveryClass.MEETING)


async def _meeting_is_today(row: Notification, now: datetime, zone: ZoneInfo) -> bool:
    booking_id = row.params.get("booking_id")
    if not isinstance(booking_id, int):
        return False
    booking = await Booking.filter(id=booking_id).select_related("slot").first()
    if booking is None or booking.slot is None:
        return False
    return booking.slot.starts_at.astimezone(zone).date() == now.astimezone(zone).date()
