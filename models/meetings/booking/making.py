"""Taking a slot and moving to another one; the database's unique keys decide who wins."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from models.common.audit import AuditEntry
from models.common.enums import BookingStatus
from models.common.errors import NotAllowed
from models.meetings.booking.errors import (
    AlreadyBooked,
    BookingMoved,
    BookingNotLive,
    MeetingStarted,
    OtherRound,
    SlotTaken,
    SlotUnavailable,
)
from models.meetings.booking.family import (
    CHANGEABLE,
    Family,
    family_for_booking,
    family_guardians,
    family_of_actor,
    reachable,
)
from models.meetings.booking.offers import offer_freed_slot
from models.meetings.booking.queue import audit, cancel_reminders, queue_for, queue_reminders
from models.meetings.booking.slots import bookable_slot, lock_slots, nearest_free
from models.meetings.booking.teacher_news import BookingChange, tell_teacher
from models.meetings.booking.views import BookingView, booking_view
from models.meetings.notices import MeetingNotice
from models.meetings.tables import Booking, Slot, WaitingListEntry
from models.people.access import Actor
from models.people.tables import Guardian

T = TypeVar("T")
LOCKED_ATTEMPTS = 5
FIRST_PAUSE = 0.05


async def book(actor: Actor, slot_id: int, pupil_id: int, *, now: datetime) -> BookingView:
    """Take a slot for the actor's family (or for a family, as staff), all or nothing."""
    family = await family_of_actor(actor, pupil_id)
    slot = await bookable_slot(family.pupil, slot_id, now=now)
    guardians = await family_guardians(family)
    try:
        booking = await retry_when_locked(lambda: _insert(family, slot, guardians, now))
    except IntegrityError as exc:
        raise await _refusal(exc, family, slot, now) from None
    return booking_view(booking, slot, family.pupil)


async def change_booking(
    actor: Actor, booking_id: int, slot_id: int, *, now: datetime
) -> BookingView:
    """Move a live booking to another free slot of the same round in one step."""
    found = await Booking.get_or_none(id=booking_id).select_related("slot")
    if found is None:
        raise NotAllowed()
    booking = found
    family = await family_for_booking(actor, booking, staff=True)
    ensure_changeable(booking, now=now)
    slot = await bookable_slot(family.pupil, slot_id, now=now)
    if slot.round_id != booking.slot.round_id:
        raise OtherRound()
    if slot.id != booking.slot_id:
        guardians = await family_guardians(family)
        try:
            await retry_when_locked(lambda: _move(family, booking, slot, guardians, now))
        except IntegrityError as exc:
            raise await _refusal(exc, family, slot, now) from None
        booking = await Booking.get(id=booking.id)
    return booking_view(booking, slot, family.pupil)


def ensure_changeable(booking: Booking, *, now: datetime) -> None:
    """Only a live meeting that has not started yet may be moved or declined."""
    if booking.holds_slot is None or booking.status not in CHANGEABLE:
        raise BookingNotLive()
    if booking.slot.starts_at <= now:
        raise MeetingStarted()


async def _insert(family: Family, slot: Slot, guardians: list[Guardian], now: datetime) -> Booking:
    async with in_transaction():
        locked = (await lock_slots([slot.id])).get(slot.id)
        if locked is None or locked.blocked:
            raise SlotUnavailable()
        booking = await Booking.create(
            slot_id=slot.id,
            holds_slot=slot.id,
            holds_family=family.key(slot.round_id),
            pupil_id=family.pupil.id,
            guardian_id=family.guardian_id,
            booked_by_staff_id=family.staff_id,
            status=BookingStatus.BOOKED,
        )
        await WaitingListEntry.filter(
            round_id=slot.round_id,
            pupil_id=family.pupil.id,
            guardian_id__in=[g.id for g in guardians],
        ).delete()
        to = reachable(guardians)
        await queue_reminders(booking, slot, to, now=now)
        params = {"booking_id": booking.id}
        key = f"booked-b{booking.id}"
        await queue_for(
            to, family.pupil.id, MeetingNotice.BOOKING_CONFIRMED, params, due_at=now, key=key
        )
        by_school = family.staff_id is not None
        await audit(
            family, "booking_made", "booking", booking.id, slot_id=slot.id, by_school=by_school
        )
        await tell_teacher(family, booking.id, slot, BookingChange.BOOKED, now=now)
    return booking


async def _move(
    family: Family, booking: Booking, slot: Slot, guardians: list[Guardian], now: datetime
) -> None:
    async with in_transaction():
        current = await Booking.filter(id=booking.id).select_for_update().first()
        if current is None or current.holds_slot != booking.slot_id:
            raise BookingMoved()
        if current.status not in CHANGEABLE:
            raise BookingNotLive()
        locked = (await lock_slots([booking.slot_id, slot.id])).get(slot.id)
        if locked is None or locked.blocked:
            raise SlotUnavailable()
        await Booking.filter(id=booking.id).update(
            slot_id=slot.id,
            holds_slot=slot.id,
            # The family agreed to the old time; the new one asks them again.
            status=BookingStatus.BOOKED,
            confirmed_by_id=None,
            confirmed_at=None,
        )
        await cancel_reminders(booking.id, booking.slot_id)
        to = reachable(guardians)
        await queue_reminders(booking, slot, to, now=now)
        changes = await AuditEntry.filter(
            action="booking_changed", subject_kind="booking", subject_id=booking.id
        ).count()
        params = {"booking_id": booking.id}
        key = f"changed-b{booking.id}-n{changes + 1}"
        await queue_for(
            to, family.pupil.id, MeetingNotice.BOOKING_CHANGED, params, due_at=now, key=key
        )
        await audit(
            family,
            "booking_changed",
            "booking",
            booking.id,
            from_slot=booking.slot_id,
            to_slot=slot.id,
        )
        await tell_teacher(
            family, booking.id, slot, BookingChange.MOVED, now=now, from_slot=booking.slot
        )
        await offer_freed_slot(booking.slot, family.key(slot.round_id), booking.id, now)


async def _refusal(exc: IntegrityError, family: Family, slot: Slot, now: datetime) -> Exception:
    """Which unique key refused the write: the family's (AlreadyBooked) or the slot's."""
    text = str(exc)
    if "holds_family" in text:
        return AlreadyBooked(name=family.pupil.first_name)
    if "holds_slot" in text:
        return SlotTaken(alternatives=await nearest_free(family.pupil, slot, now=now))
    return exc


async def retry_when_locked(attempt: Callable[[], Awaitable[T]]) -> T:
    """Await `attempt()`, repeating it with a short backoff while SQLite says "locked"."""
    # Tortoise begins SQLite transactions DEFERRED: they read first and take the write lock
    # at their first write. When another connection (a CLI command, a backup) commits in
    # between, SQLite answers SQLITE_BUSY at once, without its busy timeout, as waiting
    # cannot refresh the stale snapshot. Only a fresh transaction helps, and repeating is
    # safe: nothing of the failed attempt was committed.
    for n in range(LOCKED_ATTEMPTS - 1):
        try:
            return await attempt()
        except (OperationalError, sqlite3.OperationalError) as exc:
            if "database is locked" not in str(exc):
                raise
        await asyncio.sleep(FIRST_PAUSE * 2**n)
    return await attempt()
