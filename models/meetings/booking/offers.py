"""A slot a family gave up goes to the family that has waited longest for that teacher."""

from __future__ import annotations

from datetime import datetime

from models.meetings.booking.family import Family, family_guardians, reachable
from models.meetings.booking.queue import queue_for
from models.meetings.notices import MeetingNotice
from models.meetings.tables import Booking, Slot, WaitingListEntry
from models.people.tables import GuardianLink


async def offer_freed_slot(slot: Slot, declined_key: str, booking_id: int, now: datetime) -> None:
    """Tell the longest-waiting family of this teacher's classes that the slot is free."""
    entries = await (
        WaitingListEntry.filter(
            round_id=slot.round_id,
            pupil__school_class__staff__id=slot.staff_id,
            pupil__left_at=None,
        )
        .select_related("pupil")
        .order_by("created_at", "id")
    )
    links = {
        (link.guardian_id, link.pupil_id): link
        for link in await GuardianLink.filter(
            pupil_id__in=[e.pupil_id for e in entries], receives_reports=True
        )
    }
    families = []
    for entry in entries:
        link = links.get((entry.guardian_id, entry.pupil_id))
        if link is not None:
            separate = link.guardian_id if link.separate else None
            families.append(Family(entry.pupil, separate, link.guardian_id, None))
    keys = [f.key(slot.round_id) for f in families]
    held = set(await Booking.filter(holds_family__in=keys).values_list("holds_family", flat=True))
    for waiting, key in zip(families, keys, strict=True):
        if key in held or key == declined_key:
            continue
        to = reachable(await family_guardians(waiting))
        params = {"slot_id": slot.id, "round_id": slot.round_id}
        offer_key = f"offer-s{slot.id}-p{waiting.pupil.id}-b{booking_id}"
        await queue_for(
            to, waiting.pupil.id, MeetingNotice.MEETING_OFFER, params, due_at=now, key=offer_key
        )
        return
