"""Whose meeting it is: the family a booking belongs to, who may act for it, who hears of it."""

from __future__ import annotations

from dataclasses import dataclass

from models.common.enums import BookingStatus, Role
from models.common.errors import NotAllowed
from models.meetings.booking.errors import PupilLeft
from models.meetings.tables import Booking
from models.people.access import Actor
from models.people.tables import Guardian, GuardianLink, Pupil

# A booking in these states may still be confirmed, moved or declined.
CHANGEABLE = frozenset({BookingStatus.BOOKED, BookingStatus.CONFIRMED})


@dataclass(frozen=True)
class Family:
    """A pupil's family for one booking, and who is acting for it."""

    pupil: Pupil
    # Set when the booking is one separated guardian's own; None for the shared family booking.
    separate_guardian_id: int | None
    guardian_id: int | None
    staff_id: int | None

    def key(self, round_id: int) -> str:
        """The value of Booking.holds_family while this family's booking is live."""
        base = f"{round_id}:{self.pupil.id}"
        if self.separate_guardian_id is None:
            return base
        return f"{base}:g{self.separate_guardian_id}"

    @property
    def actor_kind(self) -> str:
        return "staff" if self.staff_id is not None else "guardian"

    @property
    def actor_id(self) -> int | None:
        return self.staff_id if self.staff_id is not None else self.guardian_id


def separate_guardian_of(booking: Booking) -> int | None:
    """The separated guardian a live booking belongs to, read from its family key."""
    _, _, guardian = (booking.holds_family or "").partition(":g")
    return int(guardian) if guardian else None


async def family_of_actor(actor: Actor, pupil_id: int) -> Family:
    """The family this actor books for: as a reporting guardian, or as staff of the pupil."""
    if actor.guardian is not None:
        link = await _reporting_link(actor.guardian.guardian_id, pupil_id)
        if link is not None:
            separate = link.guardian_id if link.separate else None
            return _present(Family(link.pupil, separate, link.guardian_id, None))
    pupil = await _pupil_of_staff(actor, pupil_id, teachers_only=False)
    return _present(Family(pupil, None, None, actor.staff.staff_id if actor.staff else None))


async def family_for_booking(actor: Actor, booking: Booking, *, staff: bool) -> Family:
    """The booking's family if the actor is in it (or, when `staff`, staff of the pupil)."""
    separate = separate_guardian_of(booking)
    if actor.guardian is not None:
        me = actor.guardian.guardian_id
        link = await _reporting_link(me, booking.pupil_id)
        if link is not None and (separate == me if separate else not link.separate):
            return _present(Family(link.pupil, separate, me, None))
    if not staff:
        raise NotAllowed()
    pupil = await _pupil_of_staff(actor, booking.pupil_id, teachers_only=False)
    return _present(Family(pupil, separate, None, actor.staff.staff_id if actor.staff else None))


async def teacher_for_booking(actor: Actor, booking: Booking) -> Family:
    """The booking's family seen by the pupil's teacher or a senior leader; NotAllowed otherwise."""
    pupil = await _pupil_of_staff(actor, booking.pupil_id, teachers_only=True)
    staff_id = actor.staff.staff_id if actor.staff else None
    return _present(Family(pupil, separate_guardian_of(booking), None, staff_id))


async def family_guardians(family: Family) -> list[Guardian]:
    """Every guardian who belongs to the family's booking (reachable or not)."""
    links = GuardianLink.filter(pupil_id=family.pupil.id, receives_reports=True)
    if family.separate_guardian_id is None:
        links = links.filter(separate=False)
    else:
        links = links.filter(guardian_id=family.separate_guardian_id)
    return [
        link.guardian for link in await links.select_related("guardian").order_by("guardian_id")
    ]


def reachable(guardians: list[Guardian]) -> list[Guardian]:
    """Those we may write to: linked, still at the school, not blocking the bot."""
    return [
        g
        for g in guardians
        if g.telegram_user_id is not None and g.left_at is None and g.unreachable_at is None
    ]


async def _reporting_link(guardian_id: int, pupil_id: int) -> GuardianLink | None:
    return (
        await GuardianLink.filter(
            guardian_id=guardian_id,
            pupil_id=pupil_id,
            receives_reports=True,
            guardian__left_at=None,
        )
        .select_related("pupil")
        .first()
    )


async def _pupil_of_staff(actor: Actor, pupil_id: int, *, teachers_only: bool) -> Pupil:
    staff = actor.staff
    if staff is None or (teachers_only and staff.role is Role.ASSISTANT):
        raise NotAllowed()
    pupil = await Pupil.get_or_none(id=pupil_id, school_id=staff.school_id)
    if pupil is None:
        raise NotAllowed()
    if staff.role is not Role.ADMIN and pupil.school_class_id not in staff.class_ids:
        raise NotAllowed()
    return pupil


def _present(family: Family) -> Family:
    if family.pupil.left_at is not None:
        raise PupilLeft(name=family.pupil.first_name)
    return family
