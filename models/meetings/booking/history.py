"""What a booking's audit trail answers: how often it moved, and who last acted on it."""

from __future__ import annotations

from models.common.audit import AuditEntry


async def calendar_sequence(booking_id: int) -> int:
    """The calendar entry's SEQUENCE: how often the booking has been moved."""
    return await AuditEntry.filter(
        action="booking_changed", subject_kind="booking", subject_id=booking_id
    ).count()


async def guardian_acted_last(booking_id: int, action: str, guardian_id: int) -> bool:
    """Whether this guardian made the booking's latest `action` (and so saw it in their chat)."""
    entry = (
        await AuditEntry.filter(action=action, subject_kind="booking", subject_id=booking_id)
        .order_by("-id")
        .first()
    )
    return entry is not None and (entry.actor_kind, entry.actor_id) == ("guardian", guardian_id)
