"""The outbox kinds each feature renders: `@renders("kind")` and the helpers renderers share.

A renderer gets the bot, the claimed row and its reader (the guardian, as the domain sees them,
with the language and timezone to write in; the locale is already in use) and sends the notice
itself, returning the main message's id. It raises `Undeliverable(STALE)` when the news no longer
holds; a refusal from the domain (the link was restricted meanwhile) counts as stale too.
Notices for staff (rows with `staff_id`) register with `@renders_for_staff` and get a
`StaffReader` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.limiter import retry_after_seconds
from models.delivery.outbox import Notification
from models.people.access import Actor
from models.people.tables import Guardian, Staff
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


@dataclass(frozen=True)
class StaffReader:
    """A staff member a notice is for (school loaded), as an actor, and in which language."""

    staff: Staff
    actor: Actor
    locale: str

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.staff.school.timezone)


Renderer = Callable[[Bot, Notification, Reader], Awaitable[int | None]]
StaffRenderer = Callable[[Bot, Notification, StaffReader], Awaitable[int | None]]
_RENDERERS: dict[str, Renderer] = {}
_STAFF_RENDERERS: dict[str, StaffRenderer] = {}
# Routine kinds also say what they are in one short HTML paragraph, for a daily/weekly digest.
DigestLine = Callable[[Notification, Reader], Awaitable[str]]
_DIGEST_LINES: dict[str, DigestLine] = {}


def renders(*kinds: str) -> Callable[[Renderer], Renderer]:
    """Register the renderer of one or more outbox kinds."""

    def register(renderer: Renderer) -> Renderer:
        for kind in kinds:
            _RENDERERS[kind] = renderer
        return renderer

    return register


def renders_for_staff(*kinds: str) -> Callable[[StaffRenderer], StaffRenderer]:
    """Register the renderer of outbox kinds addressed to staff (rows with `staff_id`)."""

    def register(renderer: StaffRenderer) -> StaffRenderer:
        for kind in kinds:
            _STAFF_RENDERERS[kind] = renderer
        return renderer

    return register


def digest_line(*kinds: str) -> Callable[[DigestLine], DigestLine]:
    """Register how a routine kind reads as one paragraph of a digest (raise `stale()` if gone)."""

    def register(line: DigestLine) -> DigestLine:
        for kind in kinds:
            _DIGEST_LINES[kind] = line
        return line

    return register


def digest_line_for(kind: str) -> DigestLine | None:
    return _DIGEST_LINES.get(kind)


def renderer_for(kind: str) -> Renderer | None:
    return _RENDERERS.get(kind)


def staff_renderer_for(kind: str) -> StaffRenderer | None:
    return _STAFF_RENDERERS.get(kind)


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


def classify(error: TelegramError) -> DeliveryError:
    """Telegram's error as the scheduler understands it."""
    if isinstance(error, Forbidden):
        return Unreachable()
    if isinstance(error, RetryAfter):
        return RetryLater(retry_after_seconds(error), "RetryAfter")
    # BadRequest is a NetworkError subclass, but retrying a malformed request never helps.
    if isinstance(error, BadRequest | ChatMigrated):
        return Undeliverable(type(error).__name__)
    return RetryLater(None, type(error).__name__)
