"""A family writes to the school about one child: checked, stored, and passed on or held.

Each guardian has a thread of their own per child (two parents of one child never see each
other's messages). In office hours the message goes to its recipients at once through the
outbox; outside them it waits (`deliver_after`) for the morning digest (`digest.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from models.common.enums import MessageDirection
from models.common.errors import N_, DomainError, NotAllowed
from models.delivery.outbox import Notification
from models.messaging.conversations.common import (
    FAMILY_MESSAGE,
    Draft,
    MessageView,
    checked,
    load_views,
    new_message,
)
from models.messaging.conversations.recipients import Routing, routings
from models.messaging.office_hours import office_hours
from models.messaging.tables import MessageThread, ThreadMessage
from models.people.access import Actor, visible_pupils
from models.people.tables import Pupil

FLOOD_WINDOW = timedelta(minutes=10)
FLOOD_MAX = 10
DAY = timedelta(days=1)
DAY_MAX = 40


class TooManyMessages(DomainError):
    message = N_(
        "You have sent {count} messages in the last {minutes} minutes, as many as I can pass "
        "on. Please wait a few minutes before writing again; if it is urgent, please phone "
        "the school office."
    )


class TooManyToday(DomainError):
    message = N_(
        "You have sent {count} messages since this time yesterday, as many as I can pass on "
        "in a day. Please write again later; if it is urgent, please phone the school office."
    )


class NobodyToReceive(DomainError):
    message = N_(
        "Nobody at school can receive messages here yet. Please contact the school office "
        "another way."
    )


@dataclass(frozen=True)
class ChildChoice:
    pupil_id: int
    name: str
    first_name: str
    class_name: str | None


@dataclass(frozen=True)
class FamilyMessageSent:
    """The stored message and where it went; `routing` is None while it waits."""

    view: MessageView
    routing: Routing | None
    deliver_after: datetime
    zone: ZoneInfo

    @property
    def held(self) -> bool:
        return self.routing is None


async def family_children(actor: Actor) -> list[ChildChoice]:
    """The children a guardian may write about, by first name (one query)."""
    if actor.guardian is None:
        raise NotAllowed()
    pupils = (
        await visible_pupils(_guardian_only(actor))
        .order_by("first_name", "last_name", "id")
        .select_related("school_class")
    )
    return [
        ChildChoice(
            p.id, p.full_name, p.first_name, p.school_class.name if p.school_class else None
        )
        for p in pupils
    ]


async def send_family_message(
    actor: Actor, pupil_id: int, draft: Draft, *, now: datetime
) -> FamilyMessageSent:
    """Store a guardian's message about their child and pass it on, or hold it till opening."""
    if actor.guardian is None:
        raise NotAllowed()
    guardian_id = actor.guardian.guardian_id
    pupil = (
        await visible_pupils(_guardian_only(actor))
        .filter(id=pupil_id)
        .select_related("school")
        .first()
    )
    if pupil is None:
        raise NotAllowed()
    draft = checked(draft)
    await _check_flood(guardian_id, now)
    hours = await office_hours(pupil.school, now=now)
    opening = hours.next_opening(now)
    routing = (await routings(pupil.school_id, [pupil.school_class_id], now=now))[
        pupil.school_class_id
    ]
    if not routing.recipients:
        raise NobodyToReceive()
    held = opening > now
    async with in_transaction():
        thread, _created = await MessageThread.get_or_create(
            guardian_id=guardian_id,
            pupil_id=pupil.id,
            defaults={"school_id": pupil.school_id, "created_at": now},
        )
        # Held messages get their `staff` when passed on: none yet marks them for the digest.
        message = new_message(
            thread.id,
            MessageDirection.FROM_GUARDIAN,
            None if held else routing.for_staff_id,
            draft,
            now=now,
            deliver_after=opening,
        )
        await message.save()
        await MessageThread.filter(id=thread.id).update(last_message_at=now)
        if not held:
            await Notification.bulk_create(staff_rows(message.id, pupil, routing, now=now))
    (view,) = await load_views([message.id])
    return FamilyMessageSent(view, None if held else routing, opening, hours.zone)


def staff_rows(
    message_id: int, pupil: Pupil, routing: Routing, *, now: datetime
) -> list[Notification]:
    """One outbox row per recipient of a message passed on at once."""
    return [
        Notification(
            school_id=pupil.school_id,
            staff_id=recipient.staff_id,
            chat_id=recipient.chat_id,
            kind=FAMILY_MESSAGE,
            params={"message_id": message_id, "covering": list(recipient.covering)},
            due_at=now,
            idempotency_key=f"fm-{message_id}-s{recipient.staff_id}",
        )
        for recipient in routing.recipients
    ]


async def _check_flood(guardian_id: int, now: datetime) -> None:
    """At most FLOOD_MAX messages in ten minutes and DAY_MAX in a day, per guardian."""
    recent: list[datetime] = await ThreadMessage.filter(  # type: ignore[assignment]
        thread__guardian_id=guardian_id,
        direction=MessageDirection.FROM_GUARDIAN,
        created_at__gt=now - DAY,
    ).values_list("created_at", flat=True)
    if len(recent) >= DAY_MAX:
        raise TooManyToday(count=DAY_MAX)
    if sum(1 for at in recent if at > now - FLOOD_WINDOW) >= FLOOD_MAX:
        raise TooManyMessages(count=FLOOD_MAX, minutes=int(FLOOD_WINDOW.total_seconds() // 60))


def _guardian_only(actor: Actor) -> Actor:
    # A parent who also works at the school writes as a parent here, through their child links.
    return Actor(actor.telegram_user_id, guardian=actor.guardian)
