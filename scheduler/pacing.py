"""One send rate shared by every delivery process: slots handed out from a single database row.

Each claim reserves send times `pace` seconds apart, starting at the row's `next_at`, and only
as many as fit before the end of the current tick. The row is locked for the reservation
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite runs one process and serialises writes), so two
processes never get the same slot and together they never exceed 1/pace sends a second.
A 429 pushes `next_at` past Telegram's `retry_after`, which pauses every process at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.delivery.outbox import DeliveryPace

OUTBOX = "outbox"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


async def _locked_pace() -> DeliveryPace:
    """The pace row, locked for this transaction; created on first use."""
    pace = await DeliveryPace.filter(name=OUTBOX).select_for_update().first()
    if pace is not None:
        return pace
    try:
        # A fresh database: the first process to get here creates the row.
        return await DeliveryPace.create(name=OUTBOX, next_at=_EPOCH)
    except IntegrityError:
        return await DeliveryPace.filter(name=OUTBOX).select_for_update().get()


async def reserve_slots(
    wanted: int, *, now: datetime, pace: float, horizon: float
) -> list[datetime]:
    """Up to `wanted` send times, `pace` seconds apart, none later than now + horizon.

    Call inside the claiming transaction. Fewer (or none) come back while the budget is spent.
    """
    if wanted <= 0:
        return []
    record = await _locked_pace()
    next_at = record.next_at
    if next_at.tzinfo is None:
        next_at = next_at.replace(tzinfo=now.tzinfo)
    start = max(now, next_at)
    room = int((now + timedelta(seconds=horizon) - start).total_seconds() / pace) + 1
    count = max(0, min(wanted, room))
    if count:
        await DeliveryPace.filter(name=OUTBOX).update(
            next_at=start + timedelta(seconds=pace * count)
        )
    return [start + timedelta(seconds=pace * index) for index in range(count)]


async def pause_until(until: datetime) -> None:
    """Telegram said "too many requests": nobody sends before `until`."""
    async with in_transaction():
        record = await _locked_pace()
        next_at = record.next_at
        if next_at.tzinfo is None:
            next_at = next_at.replace(tzinfo=until.tzinfo)
        if until > next_at:
            await DeliveryPace.filter(name=OUTBOX).update(next_at=until)
