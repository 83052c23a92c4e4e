"""What callers get back: plain frozen views of slots and bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.common.enums import BookingStatus
from models.meetings.tables import Booking, Slot
from models.people.tables import Pupil, Staff


@dataclass(frozen=True)
class SlotView:
    slot_id: int
    starts_at: datetime
    ends_at: datetime
    staff_name: str
    staff_id: int


@dataclass(frozen=True)
class BookingView:
    booking_id: int
    slot: SlotView
    pupil_id: int
    pupil_name: str
    status: BookingStatus
    booked_by_school: bool
    confirmed: bool
    # Why the family cannot come, as they wrote it (declined bookings; "" when none given).
    decline_reason: str = ""


def slot_view(slot: Slot) -> SlotView:
    """The view of a slot whose staff member is loaded."""
    staff: Staff = slot.staff
    return SlotView(slot.id, slot.starts_at, slot.ends_at, staff.full_name, slot.staff_id)


def booking_view(booking: Booking, slot: Slot, pupil: Pupil) -> BookingView:
    """The view of a booking, given its slot (staff loaded) and pupil."""
    return BookingView(
        booking_id=booking.id,
        slot=slot_view(slot),
        pupil_id=pupil.id,
        pupil_name=pupil.full_name,
        status=BookingStatus(booking.status),
        booked_by_school=booking.booked_by_staff_id is not None,
        confirmed=booking.confirmed_at is not None,
        decline_reason=booking.decline_reason,
    )
