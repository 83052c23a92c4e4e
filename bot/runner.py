"""Run the bot: migrate, open the database, poll Telegram until told to stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram import Update

from bot import database
from bot.app import build_application
from bot.config import Settings
from handlers.menu import set_default_menus

logger = logging.getLogger(__name__)


async def serve(settings: Settings, stop: asyncio.Event) -> None:
    """Run until `stop` is set. The database is opened before the Application starts."""
    lock = None
    sqlite_path = settings.sqlite_path()
    if sqlite_path is not None:
        lock = database.SingleProcessLock(sqlite_path)
        lock.acquire()
    try:
        # Only one process runs on SQLite (the lock above), so migrating here is safe.
        await database.migrate(settings.database_url)
        await database.connect(settings.database_url)
        application = build_application(settings)
        async with application:
            await set_default_menus(application.bot)
            updater = application.updater
            if updater is None:
                raise RuntimeError("the application was built without an updater")
            await updater.start_polling(allowed_updates=Update.ALL_TYPES)
            await application.start()
            logger.info("Mentorbot is running (long polling)")
            await stop.wait()
            await updater.stop()
            await application.stop()
    finally:
        await database.disconnect()
        if lock is not None:
            lock.release()


def run(settings: Settings) -> int:
    """Blocking entry point for `mentorbot run`; stops cleanly on Ctrl+C or SIGTERM."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await serve(settings, stop)

    asyncio.run(main())
    return 0
