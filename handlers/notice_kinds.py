"""The outbox kinds each feature renders: `@renders("kind")` and the helpers renderers share.

A renderer gets the bot, the claimed row and its reader (the guardian, as the domain sees them,
with the language and timezone to write in; the locale is already in use) and sends the notice
itself, returning the main message's id. It raises `Undeliverable(STALE)` when the news no longer
holds; a refusal from the domain (the link was restricted meanwhile) counts as stale too.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from models.access import Actor
from models.outbox import Notification
from models.people import Guardian
from scheduler.delivery import DeliveryError, RetryLater, Undeliverable, Unreachable

logger = logging.getLogger(__name__)

STALE = "stale"


@dataclass(frozen=True)
class Reader:
    """Who a notice is for: the guardian row (school loaded), as an actor, and in which language."""

    guardian: Guardian
    actor: Actor
    locale: str

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.guardian.school.timezone)


Renderer = Callable[[Bot, Notification, Reader], Awaitable[int | None]]
_RENDERERS: dict[str, Renderer] = {}


def renders(*kinds: str) -> Callable[[Renderer], Renderer]:
    """Register the renderer of one or more outbox kinds."""

    def register(renderer: Renderer) -> Renderer:
        for kind in kinds:
            _RENDERERS[kind] = renderer
        return renderer

    return register


def renderer_for(kind: str) -> Renderer | None:
    return _RENDERERS.get(kind)


def stale() -> Undeliverable:
    return Undeliverable(STALE)


def int_param(row: Notification, name: str) -> int:
    """An id from the row's parameters; a row without it is stale."""
    value = row.params.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise stale()
    return value


async def send_html(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> int:
    """Send the notice itself; Telegram's errors become delivery errors."""
    try:
        message = await bot.send_message(
            chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
        )
    except TelegramError as error:
        raise classify(error) from error
    return message.message_id


async def send_extra_file(bot: Bot, chat_id: int, data: bytes, filename: str) -> None:
    """A file that goes with a notice already sent: a failure must not resend the notice."""
    try:
        await bot.send_document(chat_id, document=data, filename=filename)
    except TelegramError as error:
        logger.warning("A notice's file was not sent: %s", type(error).__name__)


def classify(error: TelegramError) -> DeliveryError:
    """Telegram's error as the scheduler understands it."""
    if isinstance(error, Forbidden):
        return Unreachable()
    if isinstance(error, RetryAfter):
        return RetryLater(_retry_seconds(error), "RetryAfter")
    # BadRequest is a NetworkError subclass, but retrying a malformed request never helps.
    if isinstance(error, BadRequest | ChatMigrated):
        return Undeliverable(type(error).__name__)
    return RetryLater(None, type(error).__name__)


def _retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB warns that the int form is going away; both forms are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
