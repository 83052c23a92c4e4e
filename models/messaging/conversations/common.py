"""What the conversations share: a draft, the view of one message, and the rules' refusals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models.common.enums import MessageDirection
from models.common.errors import N_, DomainError
from models.messaging.notices import MessagingNotice
from models.messaging.tables import ThreadMessage
from models.people.tables import GuardianLink

MAX_TEXT = 3000
PHOTO, DOCUMENT = "photo", "document"
ATTACHMENT_KINDS = frozenset({PHOTO, DOCUMENT})
# Outbox kinds (declared in models.messaging.notices), by the names the conversations use.
FAMILY_MESSAGE = MessagingNotice.FAMILY_MESSAGE
MESSAGE_DIGEST = MessagingNotice.MESSAGE_DIGEST
STAFF_ANSWER = MessagingNotice.STAFF_ANSWER
MESSAGE_READ = MessagingNotice.MESSAGE_READ
MESSAGE_FILE = MessagingNotice.MESSAGE_FILE
COVER_STARTED = MessagingNotice.COVER_STARTED
_RELATED = ("thread__pupil__school_class", "thread__guardian", "staff", "read_by")


class MessageEmpty(DomainError):
    message = N_("Please write your message, or send a photo or a document.")


class MessageTooLong(DomainError):
    message = N_("Please keep your message under {limit} characters.")


class FamilyUnreachable(DomainError):
    message = N_(
        "This family can no longer receive messages here. Please contact them another way."
    )


@dataclass(frozen=True)
class Attachment:
    """A photo or document already on Telegram's servers, passed on by its file id."""

    kind: str
    file_id: str
    name: str = ""


@dataclass(frozen=True)
class Draft:
    """What someone sent: typed text (or a caption) and perhaps one photo or document."""

    text: str = ""
    attachment: Attachment | None = None

    def to_data(self) -> dict[str, Any]:
        """A flow-storable form (JSON)."""
        data: dict[str, Any] = {"text": self.text}
        if self.attachment is not None:
            a = self.attachment
            data["attachment"] = {"kind": a.kind, "file_id": a.file_id, "name": a.name}
        return data

    @classmethod
    def from_data(cls, data: object) -> Draft | None:
        """A draft read back from a flow, or None if it is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return None
        stored = data.get("attachment")
        attachment = None
        if isinstance(stored, dict):
            kind, file_id, name = stored.get("kind"), stored.get("file_id"), stored.get("name")
            if kind not in ATTACHMENT_KINDS or not isinstance(file_id, str) or not file_id:
                return None
            attachment = Attachment(str(kind), file_id, name if isinstance(name, str) else "")
        return cls(data["text"], attachment)


def checked(draft: Draft) -> Draft:
    """The draft with its text trimmed; refused when empty or too long."""
    text = draft.text.strip()
    attachment = draft.attachment
    if attachment is not None and (
        attachment.kind not in ATTACHMENT_KINDS or not attachment.file_id
    ):
        attachment = None
    if not text and attachment is None:
        raise MessageEmpty()
    if len(text) > MAX_TEXT:
        raise MessageTooLong(limit=MAX_TEXT)
    return Draft(text, attachment)


def new_message(
    thread_id: int,
    direction: MessageDirection,
    staff_id: int | None,
    draft: Draft,
    *,
    now: datetime,
    deliver_after: datetime,
) -> ThreadMessage:
    """An unsaved thread message carrying a checked draft."""
    a = draft.attachment
    return ThreadMessage(
        thread_id=thread_id,
        direction=direction,
        staff_id=staff_id,
        text=draft.text,
        attachment_kind=a.kind if a else "",
        attachment_file_id=a.file_id if a else "",
        attachment_name=a.name if a else "",
        created_at=now,
        deliver_after=deliver_after,
    )


@dataclass(frozen=True)
class MessageView:
    """One message as staff and its own family see it: never a phone number or an email."""

    message_id: int
    thread_id: int
    pupil_id: int
    pupil_name: str
    pupil_first_name: str
    class_name: str | None
    guardian_id: int
    guardian_first_name: str
    relationship: str
    direction: MessageDirection
    # Who wrote it (to the family), or whom it was for (from the family); "" for nobody.
    staff_id: int | None
    staff_name: str
    text: str
    attachment: Attachment | None
    created_at: datetime
    deliver_after: datetime
    read_at: datetime | None
    read_by: str

    @property
    def from_family(self) -> bool:
        return self.direction is MessageDirection.FROM_GUARDIAN


async def load_views(messages: Iterable[int]) -> list[MessageView]:
    """Views of these messages in id order, in two queries however many there are."""
    ids = sorted(set(messages))
    if not ids:
        return []
    rows = await ThreadMessage.filter(id__in=ids).select_related(*_RELATED).order_by("id")
    pairs = {(m.thread.guardian_id, m.thread.pupil_id) for m in rows}
    links = await GuardianLink.filter(
        guardian_id__in=sorted({g for g, _ in pairs}), pupil_id__in=sorted({p for _, p in pairs})
    ).values_list("guardian_id", "pupil_id", "relationship")
    relationships = {(g, p): str(r) for g, p, r in links}
    return [
        view_of(m, relationships.get((m.thread.guardian_id, m.thread.pupil_id), "")) for m in rows
    ]


def view_of(message: ThreadMessage, relationship: str) -> MessageView:
    """The view of a message loaded with its thread, pupil, class, guardian and staff."""
    thread = message.thread
    pupil, guardian = thread.pupil, thread.guardian
    attachment = None
    if message.attachment_kind in ATTACHMENT_KINDS and message.attachment_file_id:
        attachment = Attachment(
            message.attachment_kind, message.attachment_file_id, message.attachment_name
        )
    return MessageView(
        message_id=message.id,
        thread_id=thread.id,
        pupil_id=pupil.id,
        pupil_name=pupil.full_name,
        pupil_first_name=pupil.first_name,
        class_name=pupil.school_class.name if pupil.school_class else None,
        guardian_id=guardian.id,
        guardian_first_name=guardian.first_name,
        relationship=relationship,
        direction=MessageDirection(message.direction),
        staff_id=message.staff_id,
        staff_name=message.staff.full_name if message.staff else "",
        text=message.text,
        attachment=attachment,
        created_at=message.created_at,
        deliver_after=message.deliver_after,
        read_at=message.read_at,
        read_by=message.read_by.full_name if message.read_by else "",
    )
