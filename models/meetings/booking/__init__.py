"""Parents book, confirm, change or decline mentoring meetings; teachers run them."""

# One live booking per slot, and per family and round: the unique `holds_slot` and
# `holds_family` keys of Booking decide every race, in the database.

from models.meetings.booking.errors import (
    AlreadyBooked,
    BookingMoved,
    BookingNotLive,
    MeetingNotYet,
    MeetingStarted,
    NotesTooLong,
    NotPupilsTeacher,
    OtherRound,
    PupilLeft,
    SlotInPast,
    SlotTaken,
    SlotUnavailable,
)
from models.meetings.booking.history import calendar_sequence, guardian_acted_last
from models.meetings.booking.lifecycle import (
    confirm_booking,
    decline_booking,
    join_waiting_list,
    live_booking,
)
from models.meetings.booking.lookups import Invitation, invitation, own_booking, round_of_slot
from models.meetings.booking.making import book, change_booking
from models.meetings.booking.meeting import (
    bookings_for_day,
    declines_for_day,
    mark_attendance,
    record_meeting,
    slots_for_day,
)
from models.meetings.booking.slots import free_slots, next_to_siblings
from models.meetings.booking.views import BookingView, SlotView

__all__ = [
    "AlreadyBooked",
    "BookingMoved",
    "BookingNotLive",
    "BookingView",
    "Invitation",
    "MeetingNotYet",
    "MeetingStarted",
    "NotPupilsTeacher",
    "NotesTooLong",
    "OtherRound",
    "PupilLeft",
    "SlotInPast",
    "SlotTaken",
    "SlotUnavailable",
    "SlotView",
    "book",
    "bookings_for_day",
    "calendar_sequence",
    "change_booking",
    "confirm_booking",
    "decline_booking",
    "declines_for_day",
    "free_slots",
    "guardian_acted_last",
    "invitation",
    "join_waiting_list",
    "live_booking",
    "mark_attendance",
    "next_to_siblings",
    "own_booking",
    "record_meeting",
    "round_of_slot",
    "slots_for_day",
]
