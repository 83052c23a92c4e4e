"""The polling inbox: updates kept in the database before Telegram is told they arrived.

Long polling confirms a batch by asking for the next one, so a batch only held in memory is
lost when the process dies. Kept here first, a batch survives: a restart hands every row
still here to the Application again, and a row leaves when its update is taken
(`models.common.processed_updates.take_update`), which also makes a second hand-over harmless.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from models.common.runtime import InboxUpdate


@dataclass(frozen=True)
class Fetched:
    """One update as Telegram sent it: its id, its chat (if any) and its JSON."""

    update_id: int
    chat_id: int | None
    payload: dict[str, Any]


async def keep(batch: Sequence[Fetched], *, now: datetime) -> list[Fetched]:
    """Store a fetched batch; returns the updates that were not stored before, in order.

    Telegram sends a batch again until it is confirmed, so part of it may be here already.
    """
    ids = [update.update_id for update in batch]
    async with in_transaction():
        known = set(await InboxUpdate.filter(update_id__in=ids).values_list("update_id", flat=True))
        fresh = [update for update in batch if update.update_id not in known]
        await InboxUpdate.bulk_create(
            [
                InboxUpdate(
                    update_id=update.update_id,
                    chat_id=update.chat_id,
                    payload=update.payload,
                    received_at=now,
                )
                for update in fresh
            ]
        )
    return fresh


async def waiting() -> list[Fetched]:
    """Every update kept but not yet taken, oldest first."""
    rows = await InboxUpdate.all().order_by("update_id")
    return [Fetched(row.update_id, row.chat_id, row.payload) for row in rows]


async def count_waiting() -> int:
    """How many kept updates are not yet taken."""
    return await InboxUpdate.all().count()
