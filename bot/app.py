"""Build the python-telegram-bot Application from settings (tests inject their own)."""

from __future__ import annotations

import logging
from typing import Any, cast

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest

import handlers
from bot import jobs
from bot.config import Settings
from bot.outgoing import Outgoing
from handlers.common.context import BotServices, MentorContext
from models.common.processed_updates import take_update

logger = logging.getLogger(__name__)


class MentorApplication(
    Application[Any, MentorContext, dict[Any, Any], dict[Any, Any], BotServices, Any]
):
    """PTB's Application that applies each Telegram update once, whichever replica gets it."""

    async def process_update(self, update: object) -> None:
        """Skip an update another process (or this one, before a restart) already took."""
        if isinstance(update, Update) and not await take_update(update.update_id):
            logger.info("Skipped an update that was already processed")
            return
        await super().process_update(update)

    async def shutdown(self) -> None:
        """Also give up planning, so another process takes over at once."""
        try:
            await super().shutdown()
        finally:
            if self.bot_data.leadership is not None:
                await self.bot_data.leadership.release()


def build_application(
    settings: Settings,
    requests: tuple[BaseRequest, BaseRequest] | None = None,
) -> MentorApplication:
    """The bot with every handler registered, talking to `settings.telegram_api_url`.

    `requests` (for calls, for getUpdates) replaces the HTTP layer, as tests do. There is no
    Updater: long polling is `bot.polling.InboxPolling`, the webhook is `bot.webhook`.
    """
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    api = settings.telegram_api_url
    builder = ApplicationBuilder().application_class(MentorApplication)
    if requests is not None:
        builder = builder.request(requests[0]).get_updates_request(requests[1])
    builder = builder.updater(None)
    application = cast(
        MentorApplication,
        builder.token(settings.token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .context_types(ContextTypes(context=MentorContext, bot_data=BotServices))
        .rate_limiter(Outgoing())
        .build(),
    )
    application.bot_data.settings = settings
    handlers.register(application)
    jobs.register(application)
    return application
