"""Staff answer a family and mark their messages read; replies find their thread by its copy.

Every Telegram message that carries a thread message is remembered (`MessageCopy`: chat and
message id), so a reply to it finds the thread after a restart and on any replica. The copy
only says which thread: who may answer is decided here, every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.common.enums import MessageDirection
from models.common.errors import NotAllowed
from models.delivery.kinds import NoticeKind
from models.delivery.outbox import Notification
from models.messaging.conversations.common import (
    MESSAGE_READ,
    STAFF_ANSWER,
    Draft,
    FamilyUnreachable,
    MessageView,
    checked,
    load_views,
    new_message,
)
from models.messaging.conversations.recipients import answerable_classes, may_answer
from models.messaging.tables import MessageCopy, MessageThread, ThreadMessage
from models.people.access import Actor, visible_pupils
from models.people.tables import Guardian, GuardianLink, Pupil, Staff


@dataclass(frozen=True)
class ReplyTarget:
    """The thread message a Telegram reply answers; `as_family` when it is the writer's own."""

    message_id: int
    pupil_id: int
    as_family: bool


@dataclass(frozen=True)
class ReadMark:
    first_time: bool
    read_by: str


async def remember_copy(message_id: int, chat_id: int, telegram_message_id: int) -> None:
    """Note that a Telegram message carries this thread message (once; repeats are harmless)."""
    try:
        await MessageCopy.get_or_create(
            chat_id=chat_id,
            telegram_message_id=telegram_message_id,
            defaults={"message_id": message_id},
        )
    except IntegrityError:
        return  # another process noted the same copy a moment ago


async def copy_in_chat(message_id: int, chat_id: int) -> int | None:
    """The first Telegram message in this chat that carries the thread message, if any."""
    copy = await MessageCopy.filter(message_id=message_id, chat_id=chat_id).order_by("id").first()
    return copy.telegram_message_id if copy is not None else None


async def reply_target(actor: Actor, chat_id: int, telegram_message_id: int) -> ReplyTarget | None:
    """The thread message a reply in this private chat answers; None if it carries none."""
    if chat_id != actor.telegram_user_id or not actor.is_linked:
        raise NotAllowed()
    copy = (
        await MessageCopy.filter(chat_id=chat_id, telegram_message_id=telegram_message_id)
        .select_related("message__thread")
        .first()
    )
    if copy is None:
        return None
    thread: MessageThread = copy.message.thread
    if actor.guardian is not None and thread.guardian_id == actor.guardian.guardian_id:
        return ReplyTarget(copy.message_id, thread.pupil_id, as_family=True)
    if actor.staff is not None:
        return ReplyTarget(copy.message_id, thread.pupil_id, as_family=False)
    raise NotAllowed()


async def message_for_staff(actor: Actor, message_id: int, *, now: datetime) -> MessageView:
    """A thread message, for staff who may answer that family now."""
    message = await _answerable(actor, message_id, now=now)
    (view,) = await load_views([message.id])
    return view


async def messages_for_staff(
    actor: Actor, message_ids: list[int], *, now: datetime
) -> list[MessageView]:
    """The messages of a digest this staff member may still answer, oldest first (fixed queries)."""
    if actor.staff is None:
        raise NotAllowed()
    views = await load_views(message_ids)
    if not views:
        return []
    classes = await answerable_classes(actor.staff, now=now)
    pupils = await Pupil.filter(id__in=sorted({v.pupil_id for v in views}))
    allowed = {
        p.id
        for p in pupils
        if p.school_id == actor.staff.school_id
        and (classes is None or p.school_class_id in classes)
    }
    return [v for v in views if v.pupil_id in allowed]


async def answer_family(
    actor: Actor, message_id: int, draft: Draft, *, now: datetime
) -> MessageView:
    """Staff answer a thread: stored, sent to that guardian only, earlier messages marked read."""
    message = await _answerable(actor, message_id, now=now)
    thread: MessageThread = message.thread
    guardian: Guardian = thread.guardian
    link = await GuardianLink.get_or_none(guardian_id=guardian.id, pupil_id=thread.pupil_id)
    if not _reachable(guardian) or link is None or not link.receives_reports:
        raise FamilyUnreachable()
    draft = checked(draft)
    staff_id = _staff_id(actor)
    async with in_transaction():
        answer = new_message(
            thread.id, MessageDirection.FROM_STAFF, staff_id, draft, now=now, deliver_after=now
        )
        await answer.save()
        await MessageThread.filter(id=thread.id).update(last_message_at=now)
        unread: list[int] = await ThreadMessage.filter(  # type: ignore[assignment]
            thread_id=thread.id, direction=MessageDirection.FROM_GUARDIAN, read_at=None
        ).values_list("id", flat=True)
        for unread_id in unread:
            await _mark(unread_id, staff_id, thread, guardian, now)
        await _family_row(thread, guardian, now, answer.id, STAFF_ANSWER).save()
    (view,) = await load_views([answer.id])
    return view


async def mark_read(actor: Actor, message_id: int, *, now: datetime) -> ReadMark:
    """Mark a family's message read; the family is told once, by whoever read it first."""
    message = await _answerable(actor, message_id, now=now)
    if message.direction != MessageDirection.FROM_GUARDIAN:
        raise NotAllowed()
    thread: MessageThread = message.thread
    async with in_transaction():
        first = await _mark(message.id, _staff_id(actor), thread, thread.guardian, now)
    if first:
        staff = await Staff.get(id=_staff_id(actor))
        return ReadMark(True, staff.full_name)
    (view,) = await load_views([message.id])
    return ReadMark(False, view.read_by)


async def message_for_guardian(actor: Actor, message_id: int) -> MessageView:
    """A message of the guardian's own thread about a child they may still hear about."""
    if actor.guardian is None:
        raise NotAllowed()
    message = (
        await ThreadMessage.filter(id=message_id, thread__guardian_id=actor.guardian.guardian_id)
        .select_related("thread")
        .first()
    )
    guardian_only = Actor(actor.telegram_user_id, guardian=actor.guardian)
    if (
        message is None
        or not await visible_pupils(guardian_only).filter(id=message.thread.pupil_id).exists()
    ):
        raise NotAllowed()
    (view,) = await load_views([message.id])
    return view


async def _mark(
    message_id: int, staff_id: int, thread: MessageThread, guardian: Guardian, now: datetime
) -> bool:
    """Read by `staff_id` if nobody read it before; the family's receipt is queued with it."""
    marked = await ThreadMessage.filter(id=message_id, read_at=None).update(
        read_at=now, read_by_id=staff_id
    )
    if not marked:
        return False
    if _reachable(guardian):
        await _family_row(thread, guardian, now, message_id, MESSAGE_READ).save()
    return True


def _family_row(
    thread: MessageThread, guardian: Guardian, now: datetime, message_id: int, kind: NoticeKind
) -> Notification:
    prefix = "sa" if kind == STAFF_ANSWER else "mr"
    return Notification(
        school_id=guardian.school_id,
        guardian_id=guardian.id,
        chat_id=guardian.telegram_user_id,
        kind=kind,
        params={"message_id": message_id, "pupil_id": thread.pupil_id},
        due_at=now,
        idempotency_key=f"{prefix}-{message_id}",
    )


async def _answerable(actor: Actor, message_id: int, *, now: datetime) -> ThreadMessage:
    """The message (with thread, pupil and guardian), if this staff member may answer it."""
    if actor.staff is None:
        raise NotAllowed()
    message = (
        await ThreadMessage.filter(id=message_id)
        .select_related("thread__pupil", "thread__guardian")
        .first()
    )
    if message is None or not await may_answer(actor.staff, message.thread.pupil, now=now):
        raise NotAllowed()
    return message


def _staff_id(actor: Actor) -> int:
    if actor.staff is None:
        raise NotAllowed()
    return actor.staff.staff_id


def _reachable(guardian: Guardian) -> bool:
    return (
        guardian.telegram_user_id is not None
        and guardian.left_at is None
        and guardian.unreachable_at is None
    )
