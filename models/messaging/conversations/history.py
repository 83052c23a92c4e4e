"""A pupil's messages as part of the mentoring file; the callers decide who may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.common.enums import MessageDirection
from models.messaging.tables import ThreadMessage
from models.people.tables import GuardianLink


@dataclass(frozen=True)
class MessageEntry:
    """One message between a family and the school (for staff views and the export only)."""

    at: datetime
    from_family: bool
    guardian: str  # full name
    guardian_first_name: str
    relationship: str
    staff: str  # who wrote it, or whom it was for
    text: str
    attachment_kind: str
    attachment_name: str
    read_at: datetime | None
    read_by: str

    @property
    def family_label(self) -> str:
        """`Ewa (mother)`: how staff see who wrote."""
        if self.relationship:
            return f"{self.guardian_first_name} ({self.relationship})"
        return self.guardian_first_name


async def pupil_messages(pupil_id: int) -> list[MessageEntry]:
    """Every message about a pupil, oldest first, in two queries however many there are."""
    messages = (
        await ThreadMessage.filter(thread__pupil_id=pupil_id)
        .select_related("thread__guardian", "staff", "read_by")
        .order_by("created_at", "id")
    )
    relationships = dict(
        await GuardianLink.filter(pupil_id=pupil_id).values_list("guardian_id", "relationship")
    )
    return [
        MessageEntry(
            at=m.created_at,
            from_family=m.direction == MessageDirection.FROM_GUARDIAN,
            guardian=m.thread.guardian.full_name,
            guardian_first_name=m.thread.guardian.first_name,
            relationship=str(relationships.get(m.thread.guardian_id, "")),
            staff=m.staff.full_name if m.staff else "",
            text=m.text,
            attachment_kind=m.attachment_kind,
            attachment_name=m.attachment_name,
            read_at=m.read_at,
            read_by=m.read_by.full_name if m.read_by else "",
        )
        for m in messages
    ]
