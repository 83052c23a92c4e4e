"""Telegram update ids already taken, so a redelivered update cannot apply a change twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from models.common.runtime import InboxUpdate, ProcessedUpdate

KEEP_FOR = timedelta(days=1)


async def take_update(update_id: int) -> bool:
    """True for the first process to take this update; False if it was taken before.

    Taken before it is handled: a crash half-way loses that one update (the person sends it
    again) rather than applying it twice when Telegram redelivers it. Taking it also clears
    its row from the polling inbox (`models.common.inbox`); a crash in between leaves the row,
    and the restart that hands it over again finds it taken.
    """
    try:
        await ProcessedUpdate.create(update_id=update_id)
    except IntegrityError:
        taken = False
    else:
        taken = True
    await InboxUpdate.filter(update_id=update_id).delete()
    return taken


async def forget_processed(*, now: datetime) -> int:
    """Drop ids older than a day: Telegram gives up redelivering long before that."""
    return await ProcessedUpdate.filter(processed_at__lt=now - KEEP_FOR).delete()
