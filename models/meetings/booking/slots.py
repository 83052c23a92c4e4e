"""Which slots a pupil's family may take: free ones, checks before booking, near alternatives."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import Subquery

from models.common.errors import NotAllowed
from models.meetings.booking.errors import NotPupilsTeacher, SlotInPast, SlotUnavailable
from models.meetings.booking.family import Family, family_of_actor
from models.meetings.booking.views import SlotView, slot_view
from models.meetings.tables import Booking, Slot
from models.people.access import Actor
from models.people.tables import GuardianLink, Pupil

ALTERNATIVES = 3


async def free_slots(
    actor: Actor, round_id: int, pupil_id: int, *, now: datetime
) -> list[SlotView]:
    """Free future slots of the pupil's teachers in the round, those next to a sibling's first."""
    family = await family_of_actor(actor, pupil_id)
    views = [slot_view(slot) for slot in await free_slot_rows(family.pupil, round_id, now=now)]
    near = await _next_to_siblings(family, round_id, views)
    return [v for v in views if v.slot_id in near] + [v for v in views if v.slot_id not in near]


async def next_to_siblings(
    actor: Actor, round_id: int, pupil_id: int, slots: Sequence[SlotView]
) -> frozenset[int]:
    """The slots right before or after a brother's or sister's meeting in the round.

    Only a guardian booking for their own child has siblings here, even when they also teach.
    """
    return await _next_to_siblings(await family_of_actor(actor, pupil_id), round_id, slots)


async def free_slot_rows(pupil: Pupil, round_id: int, *, now: datetime) -> list[Slot]:
    """Unheld, unblocked future slots of the pupil's class staff in the round, by time."""
    if pupil.school_class_id is None:
        return []
    held = Booking.filter(slot__round_id=round_id, holds_slot__not_isnull=True).values("holds_slot")
    return (
        await Slot.filter(
            round_id=round_id,
            round__school_id=pupil.school_id,
            staff__classes__id=pupil.school_class_id,
            staff__left_at=None,
            blocked=False,
            starts_at__gt=now,
        )
        .exclude(id__in=Subquery(held))
        .select_related("staff")
        .order_by("starts_at", "id")
    )


async def bookable_slot(pupil: Pupil, slot_id: int, *, now: datetime) -> Slot:
    """The slot if this pupil's family could take it now; a clear refusal otherwise."""
    slot = (
        await Slot.filter(id=slot_id, round__school_id=pupil.school_id)
        .select_related("staff")
        .first()
    )
    if slot is None:
        raise NotAllowed()
    if slot.starts_at <= now:
        raise SlotInPast()
    if slot.blocked:
        raise SlotUnavailable()
    teaches = pupil.school_class_id is not None and slot.staff.left_at is None
    if teaches:
        teaches = await slot.staff.classes.filter(id=pupil.school_class_id).exists()
    if not teaches:
        raise NotPupilsTeacher(name=pupil.first_name)
    return slot


async def nearest_free(pupil: Pupil, taken: Slot, *, now: datetime) -> list[SlotView]:
    """The free slots closest in time to one that has just gone."""
    rows = [s for s in await free_slot_rows(pupil, taken.round_id, now=now) if s.id != taken.id]
    rows.sort(key=lambda s: (abs(s.starts_at - taken.starts_at), s.starts_at))
    return [slot_view(slot) for slot in rows[:ALTERNATIVES]]


async def lock_slots(slot_ids: list[int]) -> dict[int, Slot]:
    """Lock slot rows in id order (PostgreSQL; SQLite serialises writers anyway)."""
    # Whoever gives a slot to a booking or moves a booking off it locks it first, always in
    # id order, so two meetings swapping places cannot deadlock.
    rows = await Slot.filter(id__in=slot_ids).order_by("id").select_for_update()
    return {row.id: row for row in rows}


async def _next_to_siblings(
    family: Family, round_id: int, slots: Sequence[SlotView]
) -> frozenset[int]:
    if family.guardian_id is None:
        return frozenset()
    siblings = await _sibling_meetings(family, round_id)
    return frozenset(
        v.slot_id for v in slots if any(v.ends_at == s or v.starts_at == e for s, e in siblings)
    )


async def _sibling_meetings(family: Family, round_id: int) -> list[tuple[datetime, datetime]]:
    """When this guardian's other children already meet someone in the round."""
    guardian_id = family.guardian_id
    others = await GuardianLink.filter(
        guardian_id=guardian_id, receives_reports=True, pupil__left_at=None
    ).values_list("pupil_id", flat=True)
    keys = [f"{round_id}:{p}" for p in others if p != family.pupil.id]
    keys += [f"{key}:g{guardian_id}" for key in keys]
    bookings = await Booking.filter(holds_family__in=keys).select_related("slot")
    return [(b.slot.starts_at, b.slot.ends_at) for b in bookings]
