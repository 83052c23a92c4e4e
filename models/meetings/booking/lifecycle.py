"""A booking after it is made: looked up, confirmed, declined; the waiting list behind it."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.common.enums import BookingStatus
from models.common.errors import NotAllowed
from models.meetings.booking.errors import AlreadyBooked, BookingMoved, BookingNotLive
from models.meetings.booking.family import (
    CHANGEABLE,
    Family,
    family_for_booking,
    family_of_actor,
)
from models.meetings.booking.making import ensure_changeable, retry_when_locked
from models.meetings.booking.offers import offer_freed_slot
from models.meetings.booking.queue import audit, cancel_reminders
from models.meetings.booking.teacher_news import BookingChange, tell_teacher
from models.meetings.booking.views import BookingView, booking_view
from models.meetings.tables import Booking, MentoringRound, WaitingListEntry
from models.people.access import Actor
from models.targets.targeting import clean_text


async def live_booking(actor: Actor, round_id: int, pupil_id: int) -> BookingView | None:
    """The family's booking in the round that still holds its slot, if any."""
    family = await family_of_actor(actor, pupil_id)
    booking = await (
        Booking.filter(holds_family=family.key(round_id)).select_related("slot__staff").first()
    )
    if booking is None and family.staff_id is not None:
        # Staff see a separated guardian's own booking when there is no shared one.
        booking = await (
            Booking.filter(
                pupil_id=family.pupil.id, slot__round_id=round_id, holds_slot__not_isnull=True
            )
            .select_related("slot__staff")
            .order_by("id")
            .first()
        )
    return None if booking is None else booking_view(booking, booking.slot, family.pupil)


async def confirm_booking(actor: Actor, booking_id: int, *, now: datetime) -> BookingView:
    """A guardian of the family confirms they will come; confirming twice changes nothing."""
    booking = await _booking(booking_id)
    family = await family_for_booking(actor, booking, staff=False)
    if booking.holds_slot is None or booking.status not in CHANGEABLE:
        raise BookingNotLive()
    if booking.status is not BookingStatus.CONFIRMED:
        async with in_transaction():
            done = await Booking.filter(
                id=booking.id, status=BookingStatus.BOOKED, holds_slot__not_isnull=True
            ).update(
                status=BookingStatus.CONFIRMED, confirmed_by_id=family.guardian_id, confirmed_at=now
            )
            if done:
                await audit(family, "booking_confirmed", "booking", booking.id)
        booking = await _booking(booking_id)
    return booking_view(booking, booking.slot, family.pupil)


async def decline_booking(actor: Actor, booking_id: int, reason: str, *, now: datetime) -> None:
    """Give the slot back, then offer it to the first family waiting for that teacher."""
    booking = await _booking(booking_id)
    family = await family_for_booking(actor, booking, staff=True)
    ensure_changeable(booking, now=now)
    why = clean_text(reason, required=False)
    await retry_when_locked(lambda: _decline(family, booking, why, now))


async def join_waiting_list(actor: Actor, round_id: int, pupil_id: int) -> None:
    """A guardian asks to hear when a time frees up; asking again changes nothing."""
    family = await family_of_actor(actor, pupil_id)
    if family.guardian_id is None:
        raise NotAllowed()
    pupil = family.pupil
    if not await MentoringRound.exists(id=round_id, school_id=pupil.school_id):
        raise NotAllowed()
    if await Booking.exists(holds_family=family.key(round_id)):
        raise AlreadyBooked(name=pupil.first_name)
    # IntegrityError: the other guardian put the pupil on the list at the same moment.
    with suppress(IntegrityError):
        await WaitingListEntry.get_or_create(
            round_id=round_id, pupil_id=pupil.id, defaults={"guardian_id": family.guardian_id}
        )


async def _booking(booking_id: int) -> Booking:
    booking = await Booking.get_or_none(id=booking_id).select_related("slot__staff")
    if booking is None:
        raise NotAllowed()
    return booking


async def _decline(family: Family, booking: Booking, why: str, now: datetime) -> None:
    async with in_transaction():
        current = await Booking.filter(id=booking.id).select_for_update().first()
        if current is None or current.holds_slot != booking.slot_id:
            raise BookingMoved()
        if current.status not in CHANGEABLE:
            raise BookingNotLive()
        await Booking.filter(id=booking.id).update(
            status=BookingStatus.DECLINED, holds_slot=None, holds_family=None, decline_reason=why
        )
        await cancel_reminders(booking.id, booking.slot_id)
        by_school = family.staff_id is not None
        await audit(
            family,
            "booking_declined",
            "booking",
            booking.id,
            slot_id=booking.slot_id,
            by_school=by_school,
        )
        await tell_teacher(family, booking.id, booking.slot, BookingChange.DECLINED, now=now)
        await offer_freed_slot(booking.slot, family.key(booking.slot.round_id), booking.id, now)
