"""Build the python-telegram-bot Application from settings (tests inject their own)."""

from __future__ import annotations

from typing import Any

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest

import handlers
from bot.config import Settings
from handlers.context import BotServices, MentorContext

MentorApplication = Application[
    Any, MentorContext, dict[Any, Any], dict[Any, Any], BotServices, Any
]


def build_application(
    settings: Settings, requests: tuple[BaseRequest, BaseRequest] | None = None
) -> MentorApplication:
    """The bot with every handler registered, talking to `settings.telegram_api_url`.

    `requests` (for calls, for getUpdates) replaces the HTTP layer, as tests do.
    """
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    api = settings.telegram_api_url
    builder = ApplicationBuilder()
    if requests is not None:
        builder = builder.request(requests[0]).get_updates_request(requests[1])
    application: MentorApplication = (
        builder.token(settings.token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        .context_types(ContextTypes(context=MentorContext, bot_data=BotServices))
        .rate_limiter(
            AIORateLimiter(
                overall_max_rate=settings.rate_limit_per_second,
                overall_time_period=1,
                max_retries=3,
            )
        )
        .build()
    )
    application.bot_data.settings = settings
    handlers.register(application)
    return application
