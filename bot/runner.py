"""Run the bot: migrate, open the database, then poll or serve a webhook until told to stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
import sys

from telegram.error import InvalidToken

from bot import database
from bot.app import MentorApplication, build_application
from bot.config import Settings
from bot.i18n import _
from bot.polling import InboxPolling
from bot.webhook import (
    WebhookOptions,
    WebhookServer,
    WebhookSettingsError,
    register_webhook,
    webhook_options,
)
from handlers.common.menu import set_default_menus

logger = logging.getLogger(__name__)

# What @BotFather gives: the bot's number, a colon, then letters, digits, _ and -.
TOKEN_FORM = re.compile(r"\d+:[A-Za-z0-9_-]+")


async def serve(settings: Settings, stop: asyncio.Event) -> None:
    """Run until `stop` is set. The database is opened before the Application starts.

    Long polling by default; a webhook server when WEBHOOK_URL is set.
    """
    # Checked first: a webhook without a usable secret must not start at all.
    webhook = webhook_options(settings) if settings.webhook_url else None
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
            if webhook is None:
                await poll(application, stop)
            else:
                await serve_webhook(application, webhook, stop)
    finally:
        await database.disconnect()
        if lock is not None:
            lock.release()


async def poll(application: MentorApplication, stop: asyncio.Event) -> None:
    """Long polling until `stop` is set (the Application is initialised).

    Updates are kept in the database before they are confirmed (`bot.polling`).
    """
    polling = InboxPolling(application)
    await application.start()
    try:
        await polling.start()
        logger.info("Mentorbot is running (long polling)")
        await polling.until(stop)
    finally:
        await application.stop()


async def serve_webhook(
    application: MentorApplication, options: WebhookOptions, stop: asyncio.Event
) -> None:
    """Serve the webhook until `stop` is set (the Application is initialised)."""
    await application.start()  # runs the JobQueue, as in polling mode
    server = WebhookServer(application, options)
    try:
        port = await server.start()
        await register_webhook(application, options)
        logger.info("Mentorbot is running (webhook, listening on port %s)", port)
        await stop.wait()
    finally:
        # Stop accepting and finish the requests in flight before the Application stops.
        # The webhook stays set: the other replicas go on serving it.
        await server.stop()
        await application.stop()


def run(settings: Settings) -> int:
    """Blocking entry point for `mentorbot run`; stops cleanly on Ctrl+C or SIGTERM.

    A token Telegram cannot accept ends it with a plain sentence and status 2: the exception
    would quote the token, and its traceback says nothing more useful.
    """
    if not TOKEN_FORM.fullmatch(settings.token or ""):
        print(
            _(
                "TELEGRAM_BOT_TOKEN is not a bot token: it should be the bot's number, a colon, "
                "then letters and digits, exactly as @BotFather gave it."
            ),
            file=sys.stderr,
        )
        return 2

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await serve(settings, stop)

    try:
        asyncio.run(main())
    except WebhookSettingsError as error:
        print(error, file=sys.stderr)
        return 2
    except InvalidToken:  # raised by getMe at start-up, when Telegram answers 401 or 404
        print(_("Telegram rejected the token: check TELEGRAM_BOT_TOKEN."), file=sys.stderr)
        return 2
    return 0
