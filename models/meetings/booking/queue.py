"""What a booking writes besides itself: outbox rows for the family and audit entries."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from models.common.audit import AuditEntry
from models.common.enums import NotificationState
from models.delivery.kinds import NoticeKind
from models.delivery.outbox import Notification
from models.meetings.booking.family import Family
from models.meetings.notices import MeetingNotice
from models.meetings.tables import Booking, Slot
from models.people.tables import Guardian

REMINDER_HOURS = (24, 2)
CANCELLED = "cancelled"


async def queue_for(
    guardians: list[Guardian],
    pupil_id: int,
    kind: NoticeKind,
    params: dict[str, Any],
    *,
    due_at: datetime,
    key: str,
) -> int:
    """One row per (reachable) guardian, idempotent by `key`; a cancelled one comes back."""
    # A meeting moved away and back again reuses its reminder keys: revive, do not skip.
    keys = {g.id: f"{key}:g{g.id}" for g in guardians}
    existing = {
        row.idempotency_key: row
        for row in await Notification.filter(idempotency_key__in=list(keys.values()))
    }
    fresh: list[Notification] = []
    revive: list[int] = []
    for guardian in guardians:
        row = existing.get(keys[guardian.id])
        if row is None:
            fresh.append(
                Notification(
                    school_id=guardian.school_id,
                    guardian_id=guardian.id,
                    chat_id=guardian.telegram_user_id,
                    kind=kind,
                    params={**params, "pupil_id": pupil_id},
                    due_at=due_at,
                    idempotency_key=keys[guardian.id],
                )
            )
        elif row.state is NotificationState.DEAD and row.last_error == CANCELLED:
            revive.append(row.id)
    if fresh:
        await Notification.bulk_create(fresh)
    if revive:
        await Notification.filter(id__in=revive).update(
            state=NotificationState.PENDING,
            last_error="",
            attempts=0,
            due_at=due_at,
            claimed_until=None,
        )
    return len(fresh) + len(revive)


def reminder_key(booking_id: int, slot_id: int) -> str:
    return f"remind-b{booking_id}-s{slot_id}-"


async def queue_reminders(
    booking: Booking, slot: Slot, guardians: list[Guardian], *, now: datetime
) -> None:
    """Reminders 24 h and 2 h before the meeting; one already due is left out."""
    for hours in REMINDER_HOURS:
        due_at = slot.starts_at - timedelta(hours=hours)
        if due_at <= now:
            continue
        await queue_for(
            guardians,
            booking.pupil_id,
            MeetingNotice.MEETING_REMINDER,
            {"booking_id": booking.id, "hours": hours},
            due_at=due_at,
            key=f"{reminder_key(booking.id, slot.id)}{hours}h",
        )


async def cancel_reminders(booking_id: int, slot_id: int) -> None:
    """Reminders for a slot the booking no longer holds must never go out."""
    await Notification.filter(
        kind=MeetingNotice.MEETING_REMINDER,
        state=NotificationState.PENDING,
        idempotency_key__startswith=reminder_key(booking_id, slot_id),
    ).update(state=NotificationState.DEAD, last_error=CANCELLED)


async def audit(
    family: Family, action: str, subject_kind: str, subject_id: int, **details: Any
) -> None:
    """Who did what to which booking; ids and codes only, never typed text."""
    await AuditEntry.create(
        school_id=family.pupil.school_id,
        actor_kind=family.actor_kind,
        actor_id=family.actor_id,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        pupil_id=family.pupil.id,
        details=details,
    )
