"""The outbox's states: claim due rows, then mark each sent, rescheduled or dead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from models.common.enums import NotificationState
from models.delivery.outbox import Notification
from models.people.tables import Guardian
from scheduler.pacing import reserve_slots

CLAIM_FOR = timedelta(seconds=60)
MAX_ATTEMPTS = 8
BLOCKED = "blocked"
# How far past `batch` to look so that a chat with many due rows does not fill a whole tick.
LOOK_AHEAD = 5
PER_CHAT_GAP = timedelta(seconds=1)


@dataclass(frozen=True)
class Claim:
    """A row this process now holds, and the moment it may be sent."""

    row: Notification
    send_at: datetime


def _claimable(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)


async def claim_due(
    *, now: datetime, batch: int, pace: float = 0.0, horizon: float = 0.0
) -> list[Claim]:
    """Up to `batch` due rows, oldest first and one per chat, held for us for CLAIM_FOR.

    The conditional update is what makes a claim exclusive (on SQLite, where row locks are
    a no-op, and on PostgreSQL alike); SKIP LOCKED lets other processes pass our rows by.
    A chat with a row in flight (claimed by any process) or sent within the last second is
    passed over, which keeps each chat under Telegram's ~1 message/s. With `pace`, each claim
    also gets its send time from the shared pace (`scheduler.pacing`), so all processes
    together stay under 1/pace messages a second. Rows looked at but not taken stay locked
    only until this short transaction commits.
    """
    until = now + CLAIM_FOR
    busy = Notification.filter(
        Q(claimed_until__gt=now, state=NotificationState.PENDING)
        | Q(sent_at__gt=now - PER_CHAT_GAP, state=NotificationState.SENT)
    ).values("chat_id")
    claimed: list[Claim] = []
    async with in_transaction():
        candidates = (
            await Notification.filter(
                _claimable(now),
                ~Q(chat_id__in=Subquery(busy)),
                state=NotificationState.PENDING,
                due_at__lte=now,
            )
            .order_by("due_at", "id")
            .limit(batch * LOOK_AHEAD)
            .select_for_update(skip_locked=True)
        )
        picked: list[Notification] = []
        chats: set[int] = set()
        for row in candidates:
            if len(picked) < batch and row.chat_id not in chats:
                picked.append(row)
                chats.add(row.chat_id)
        if pace > 0:
            slots = await reserve_slots(len(picked), now=now, pace=pace, horizon=horizon)
        else:
            slots = [now] * len(picked)
        for row, send_at in zip(picked, slots, strict=False):
            taken = await Notification.filter(
                _claimable(now), id=row.id, state=NotificationState.PENDING
            ).update(claimed_until=until)
            if taken:
                row.claimed_until = until
                claimed.append(Claim(row, send_at))
    return claimed


async def mark_sent(row: Notification, *, message_id: int | None, now: datetime) -> None:
    """Sent: state, time and Telegram's message id in one statement."""
    await Notification.filter(id=row.id).update(
        state=NotificationState.SENT,
        sent_at=now,
        telegram_message_id=message_id,
        claimed_until=None,
    )


async def mark_sent_together(ids: list[int], *, message_id: int | None, now: datetime) -> None:
    """Rows delivered inside another row's message (a digest): sent with that message's id."""
    if ids:
        await Notification.filter(id__in=ids).update(
            state=NotificationState.SENT,
            sent_at=now,
            telegram_message_id=message_id,
            claimed_until=None,
        )


async def postpone(row: Notification, *, until: datetime, digest: bool) -> None:
    """Hold a row (quiet hours, a digest) without counting an attempt.

    `until` is stored in UTC: SQLite compares the stored text, and a school's local time in
    summer ("18:00+01:00") would sort an hour after the UTC moment it names.
    """
    await Notification.filter(id=row.id).update(
        due_at=until.astimezone(UTC), digest=digest, claimed_until=None
    )


async def mark_dead(row: Notification, *, error: str) -> None:
    """Give up on a row for good; `error` is a short code, never personal data."""
    await Notification.filter(id=row.id).update(
        state=NotificationState.DEAD, last_error=error[:200], claimed_until=None
    )


async def reschedule(row: Notification, *, delay: float, error: str, now: datetime) -> bool:
    """Try again after `delay` seconds; False when that was the last attempt (now dead)."""
    attempts = row.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        await Notification.filter(id=row.id).update(
            state=NotificationState.DEAD,
            attempts=attempts,
            last_error=error[:200],
            claimed_until=None,
        )
        return False
    await Notification.filter(id=row.id).update(
        attempts=attempts,
        due_at=now + timedelta(seconds=delay),
        last_error=error[:200],
        claimed_until=None,
    )
    return True


async def mark_unreachable(row: Notification, *, now: datetime) -> int:
    """The recipient blocked the bot: this row and their other pending rows die; returns how many.

    The guardian is marked unreachable once (the first time), so nothing new is queued.
    """
    async with in_transaction():
        await mark_dead(row, error=BLOCKED)
        if row.guardian_id is None:
            return 1
        others = await Notification.filter(
            guardian_id=row.guardian_id, state=NotificationState.PENDING
        ).update(state=NotificationState.DEAD, last_error=BLOCKED, claimed_until=None)
        await Guardian.filter(id=row.guardian_id, unreachable_at__isnull=True).update(
            unreachable_at=now
        )
    return 1 + others


async def claim_digest_companions(row: Notification, *, now: datetime) -> list[Notification]:
    """The chat's other digest rows due with `row` or before, claimed to go in its message."""
    candidates = (
        await Notification.filter(
            _claimable(now),
            chat_id=row.chat_id,
            digest=True,
            state=NotificationState.PENDING,
            due_at__lte=max(now, row.due_at),
        )
        .exclude(id=row.id)
        .order_by("due_at", "id")
    )
    until = now + CLAIM_FOR
    taken: list[Notification] = []
    for candidate in candidates:
        if await Notification.filter(
            _claimable(now), id=candidate.id, state=NotificationState.PENDING
        ).update(claimed_until=until):
            taken.append(candidate)
    return taken


async def release_claims(ids: list[int]) -> None:
    """Let claimed rows go again, untouched, for the next tick."""
    if ids:
        await Notification.filter(id__in=ids, state=NotificationState.PENDING).update(
            claimed_until=None
        )
