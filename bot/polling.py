"""Long polling that keeps every update in the database before Telegram is told it arrived.

PTB's Updater confirms a batch when it asks for the next one, before the batch is handled, so
a process killed half-way through loses the rest of it. Here a batch is stored first
(`models.common.inbox`), confirmed only by the next request, and handed to the Application,
which takes each update once (`MentorApplication.process_update`). On start the updates still
stored go first, oldest first, so a restart finishes what a crash left. Per crash, at most the
update being handled at that moment is cut off: it was taken, so it is never applied twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut

from bot.app import MentorApplication
from bot.limiter import retry_after_seconds
from models.common import clock, inbox
from models.common.processed_updates import take_update

logger = logging.getLogger(__name__)

BATCH = 100
LONG_POLL_SECONDS = 10
FIRST_PAUSE_SECONDS = 0.5
LONGEST_PAUSE_SECONDS = 30.0


def fetched(update: Update) -> inbox.Fetched:
    """What the inbox keeps of an update: its id, its chat and its JSON."""
    chat = update.effective_chat
    return inbox.Fetched(update.update_id, chat.id if chat else None, update.to_dict())


class InboxPolling:
    """Polls Telegram into the inbox and the Application's queue until stopped."""

    def __init__(
        self, application: MentorApplication, *, long_poll_seconds: int = LONG_POLL_SECONDS
    ) -> None:
        self._application = application
        self._long_poll = long_poll_seconds
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._offset: int | None = None

    async def start(self) -> None:
        """Remove any webhook, hand over what a previous run left, then poll in the background.

        Call after `application.start()`, so the handed-over updates are handled at once.
        """
        await self._application.bot.delete_webhook()
        left = await inbox.waiting()
        if left:
            logger.info("Handling %s updates kept from before the restart", len(left))
        for kept in left:
            await self._hand_over_kept(kept)
        self._task = asyncio.create_task(self._poll(), name="mentorbot-polling")

    async def stop(self) -> None:
        """Stop polling, and let go of the updates queued but not started.

        They are all in the inbox, so the next start handles them; the Application's own stop
        then waits only for the update in hand, not for a whole backlog.
        """
        self._stopping.set()
        task, self._task = self._task, None
        try:
            if task is not None:
                await task
        finally:
            queue = self._application.update_queue
            while not queue.empty():
                queue.get_nowait()
                queue.task_done()

    async def until(self, stop: asyncio.Event) -> None:
        """Wait for `stop`, then stop; a fatal polling error (a rejected token) is raised."""
        task = self._task
        if task is None:
            raise RuntimeError("polling was not started")
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        await self.stop()

    async def _hand_over_kept(self, kept: inbox.Fetched) -> None:
        try:
            update = Update.de_json(kept.payload, self._application.bot)
        except (KeyError, TypeError, ValueError) as error:
            logger.error("A kept update could not be read (%s); dropped", type(error).__name__)
            await take_update(kept.update_id)
            return
        await self._application.update_queue.put(update)

    async def _poll(self) -> None:
        pause = FIRST_PAUSE_SECONDS
        while not self._stopping.is_set():
            try:
                await self._poll_once()
            except InvalidToken:
                logger.critical("Telegram rejected the token: polling stopped")
                raise
            except TimedOut:
                continue  # a long poll that outlived the HTTP timeout: ask again
            except RetryAfter as error:
                await self._pause(retry_after_seconds(error))
            except (TelegramError, OSError) as error:
                # Conflict: another process polls (or a webhook was set) for the moment.
                level = logging.INFO if isinstance(error, Conflict) else logging.WARNING
                logger.log(level, "Polling paused: %s", type(error).__name__)
                await self._pause(pause)
                pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
            except Exception as error:  # the database, most likely: keep nothing, confirm nothing
                logger.error("Fetched updates could not be kept (%s)", type(error).__name__)
                await self._pause(pause)
                pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
            else:
                pause = FIRST_PAUSE_SECONDS

    async def _poll_once(self) -> None:
        request = asyncio.ensure_future(
            self._application.bot.get_updates(
                offset=self._offset,
                limit=BATCH,
                timeout=self._long_poll,
                allowed_updates=Update.ALL_TYPES,
            )
        )
        stopping = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait({request, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not request.done():
            request.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await request
            return
        stopping.cancel()
        updates = request.result()
        if not updates:
            return
        fresh = await inbox.keep([fetched(update) for update in updates], now=clock.now())
        # Only now may the next request confirm the batch to Telegram.
        self._offset = updates[-1].update_id + 1
        new_ids = {kept.update_id for kept in fresh}
        for update in updates:
            if update.update_id in new_ids:
                await self._application.update_queue.put(update)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)
