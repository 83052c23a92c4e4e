"""The meeting itself: the teacher's day, who came, and what was said."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from models.calendar.school import School
from models.common.enums import BookingStatus, TargetStatus
from models.common.errors import NotAllowed
from models.meetings.booking.errors import BookingNotLive, MeetingNotYet, NotesTooLong
from models.meetings.booking.family import Family, family_guardians, reachable, teacher_for_booking
from models.meetings.booking.queue import audit, queue_for
from models.meetings.booking.views import BookingView, booking_view
from models.meetings.notices import MeetingNotice
from models.meetings.tables import Booking, MeetingRecord, Slot
from models.people.access import Actor, acting_staff_id
from models.targets.tables import Target

HELD = frozenset(
    {BookingStatus.BOOKED, BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.MISSED}
)
MAX_NOTES = 4000


async def mark_attendance(
    actor: Actor, booking_id: int, attended: bool, *, now: datetime
) -> BookingView:
    """The pupil's teacher (or a senior leader) records whether the family came."""
    booking, family = await _held_booking(actor, booking_id)
    if booking.slot.starts_at > now:
        raise MeetingNotYet()
    status = BookingStatus.ATTENDED if attended else BookingStatus.MISSED
    async with in_transaction():
        await Booking.filter(id=booking.id).update(status=status)
        await audit(family, f"booking_{status.value}", "booking", booking.id)
    booking.status = status
    return booking_view(booking, booking.slot, family.pupil)


async def record_meeting(
    actor: Actor,
    booking_id: int,
    *,
    notes: str,
    child_voice: str,
    parent_attended: bool,
    now: datetime,
    staff_notes: str | None = None,
) -> MeetingRecord:
    """Write (or correct) what was said; parents are told a summary exists, by its id only."""
    booking, family = await _held_booking(actor, booking_id)
    slot = booking.slot
    if slot.starts_at > now:
        raise MeetingNotYet()
    notes, child_voice = notes.strip(), child_voice.strip()
    private = staff_notes.strip() if staff_notes is not None else None
    if max(len(notes), len(child_voice), len(private or "")) > MAX_NOTES:
        raise NotesTooLong(limit=MAX_NOTES)
    # Targets carry dates, not times: those set or closed on the meeting's day or since.
    since = slot.starts_at.astimezone(UTC).date()
    async with in_transaction():
        record = await MeetingRecord.get_or_none(booking_id=booking.id)
        if record is None:
            action = "meeting_recorded"
            record = await MeetingRecord.create(
                booking_id=booking.id,
                pupil_id=family.pupil.id,
                staff_id=acting_staff_id(actor),
                held_at=slot.starts_at,
                notes=notes,
                child_voice=child_voice,
                staff_notes=private or "",
                parent_attended=parent_attended,
            )
        else:
            action = "meeting_record_corrected"
            # A correction leaves the staff-only notes alone unless new ones are given.
            kept = {} if private is None else {"staff_notes": private}
            await MeetingRecord.filter(id=record.id).update(
                notes=notes, child_voice=child_voice, parent_attended=parent_attended, **kept
            )
            await record.targets_reviewed.clear()
            await record.targets_set.clear()
        targets = Target.filter(pupil_id=family.pupil.id)
        reviewed = await targets.filter(
            closed_on__gte=since, status__not=TargetStatus.ACTIVE
        ).order_by("id")
        set_now = await targets.filter(set_on__gte=since).order_by("id")
        if reviewed:
            await record.targets_reviewed.add(*reviewed)
        if set_now:
            await record.targets_set.add(*set_now)
        if booking.status in (BookingStatus.BOOKED, BookingStatus.CONFIRMED):
            came = BookingStatus.ATTENDED if parent_attended else BookingStatus.MISSED
            await Booking.filter(id=booking.id).update(status=came)
        to = reachable(await family_guardians(family))
        params = {"record_id": record.id}
        key = f"summary-r{record.id}"
        await queue_for(
            to, family.pupil.id, MeetingNotice.MEETING_SUMMARY, params, due_at=now, key=key
        )
        await audit(family, action, "meeting_record", record.id, booking_id=booking.id)
    return await MeetingRecord.get(id=record.id)


async def bookings_for_day(actor: Actor, day: date) -> list[BookingView]:
    """The acting staff member's booked slots on a day of the school's calendar, by time."""
    return await _staff_day(actor, day, holds_slot__not_isnull=True)


async def declines_for_day(actor: Actor, day: date) -> list[BookingView]:
    """The families who said they cannot come to the acting teacher's meetings on a day."""
    return await _staff_day(actor, day, status=BookingStatus.DECLINED)


async def _staff_day(actor: Actor, day: date, **which: object) -> list[BookingView]:
    """The acting staff member's bookings on a day, narrowed by `which`, by time."""
    if actor.staff is None:
        raise NotAllowed()
    staff_id, school = actor.staff.staff_id, await School.get(id=actor.staff.school_id)
    zone = ZoneInfo(school.timezone)
    # Local midnight to local midnight: 23 or 25 hours on the days the clocks change.
    starts = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
    ends = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
    rows = (
        await Booking.filter(
            slot__staff_id=staff_id, slot__starts_at__gte=starts, slot__starts_at__lt=ends, **which
        )
        .select_related("slot__staff", "pupil")
        .order_by("slot__starts_at", "id")
    )
    return [booking_view(b, b.slot, b.pupil) for b in rows]


async def _held_booking(actor: Actor, booking_id: int) -> tuple[Booking, Family]:
    booking = await Booking.get_or_none(id=booking_id).select_related("slot__staff")
    if booking is None:
        raise NotAllowed()
    family = await teacher_for_booking(actor, booking)
    if booking.holds_slot is None or booking.status not in HELD:
        raise BookingNotLive()
    return booking, family


async def slots_for_day(actor: Actor, day: date) -> list[Slot]:
    """The acting teacher's own slots on a day of the school's calendar, by time."""
    staff_id = acting_staff_id(actor)
    school = await School.get(staff__id=staff_id)
    zone = ZoneInfo(school.timezone)
    starts = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
    ends = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
    return await Slot.filter(staff_id=staff_id, starts_at__gte=starts, starts_at__lt=ends).order_by(
        "starts_at", "id"
    )
