"""Why a booking, change or meeting record was refused (msgids with placeholders)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.common.errors import N_, DomainError

if TYPE_CHECKING:
    from models.meetings.booking.views import SlotView


class SlotTaken(DomainError):
    """Someone else holds the slot; `alternatives` are the nearest free ones."""

    message = N_("Sorry, someone has just taken that time.")

    def __init__(self, alternatives: list[SlotView]) -> None:
        super().__init__()
        self.alternatives = alternatives


class AlreadyBooked(DomainError):
    message = N_("{name} already has a meeting in this round. You can change that one instead.")


class SlotInPast(DomainError):
    message = N_("That time has already passed. Please choose a later one.")


class SlotUnavailable(DomainError):
    message = N_("That time is not available. Please choose another one.")


class NotPupilsTeacher(DomainError):
    message = N_("That time is with a teacher who does not teach {name}.")


class OtherRound(DomainError):
    message = N_("That time belongs to a different round of meetings.")


class PupilLeft(DomainError):
    message = N_("{name} has left the school, so there are no more meetings to book.")


class BookingNotLive(DomainError):
    message = N_("This meeting is no longer booked.")


class BookingMoved(DomainError):
    message = N_("This meeting was changed a moment ago. Please look at it again.")


class MeetingStarted(DomainError):
    message = N_("This meeting has already started, so it can no longer be changed.")


class MeetingNotYet(DomainError):
    message = N_("This meeting has not started yet.")


class NotesTooLong(DomainError):
    message = N_("Please keep the notes under {limit} characters.")
