"""What a family's booking screens name by id: their own booking, a slot's round, the invitation.

Every id comes from a button and is only a wish: a refusal looks the same whether the record is
missing or someone else's.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.common.errors import NotAllowed
from models.meetings.booking.errors import BookingNotLive
from models.meetings.booking.lifecycle import live_booking
from models.meetings.booking.views import BookingView
from models.meetings.tables import Booking, MentoringRound, Slot
from models.people.access import Actor
from models.people.pupils import visible_pupil


@dataclass(frozen=True)
class Invitation:
    """Who a round's meeting is about and how long it lasts."""

    pupil_first_name: str
    slot_minutes: int


async def own_booking(actor: Actor, booking_id: int) -> tuple[BookingView, int]:
    """The actor's live booking with this id and its round; NotAllowed or stale otherwise."""
    row = await Booking.get_or_none(id=booking_id).select_related("slot")
    if row is None:
        raise NotAllowed()
    view = await live_booking(actor, row.slot.round_id, row.pupil_id)
    if view is None or view.booking_id != booking_id:
        raise BookingNotLive()
    return view, row.slot.round_id


async def round_of_slot(slot_id: int) -> int:
    """The round of a slot the domain has just named (in SlotTaken or AlreadyBooked)."""
    slot = await Slot.get_or_none(id=slot_id)
    if slot is None:
        raise NotAllowed()
    return slot.round_id


async def invitation(actor: Actor, round_id: int, pupil_id: int) -> Invitation:
    """The pupil and meeting length of an invitation; NotAllowed for a pupil not theirs."""
    pupil = await visible_pupil(actor, pupil_id)
    mentoring_round = await MentoringRound.get_or_none(id=round_id)
    if pupil is None or mentoring_round is None:
        raise NotAllowed()
    return Invitation(pupil.first_name, mentoring_round.slot_minutes)
