"""Outbox notices on their way out: the reader loaded, their language chosen, the row handed to
its kind's renderer (or gathered into a digest).

Each feature binds its own kinds (`handlers.delivery.kinds.notice`); `handlers.notices` imports
every feature's bindings, so whatever kind is produced has its renderer loaded here.
"""

from __future__ import annotations

from telegram import Bot

from bot.i18n import choose_locale, use_locale
from handlers.delivery import digests
from handlers.delivery.kinds import (
    STALE,
    Reader,
    StaffReader,
    classify,
    renderer_for,
    staff_renderer_for,
    stale,
)
from handlers.notices import FEATURE_NOTICES
from models.common.errors import DomainError
from models.delivery.outbox import Notification, notice_view
from models.delivery.readers import guardian_reader, staff_reader
from scheduler.delivery import Undeliverable

__all__ = ["FEATURE_NOTICES", "STALE", "classify", "send_notice"]


async def send_notice(bot: Bot, row: Notification, *, default_locale: str = "en") -> int | None:
    """Render a row for its guardian or staff member, in their language, and send it."""
    if row.staff_id is not None:
        return await _send_staff_notice(bot, row, default_locale)
    loaded = await guardian_reader(row)
    if loaded is None:
        raise stale()
    renderer = None if row.digest else renderer_for(row.kind)
    if renderer is None and not row.digest:
        raise Undeliverable("unknown_kind")
    locale = choose_locale(*loaded.languages, default_locale)
    reader = Reader(loaded.person_id, loaded.actor, locale, loaded.timezone)
    with use_locale(locale):
        try:
            if renderer is None:
                return await digests.send_digest(bot, row, reader)
            return await renderer(bot, notice_view(row), reader)
        except DomainError as error:  # the domain refuses this reader now: no longer news
            raise stale() from error


async def _send_staff_notice(bot: Bot, row: Notification, default_locale: str) -> int | None:
    loaded = await staff_reader(row)
    if loaded is None:
        raise stale()
    renderer = staff_renderer_for(row.kind)
    if renderer is None:
        raise Undeliverable("unknown_kind")
    locale = choose_locale(*loaded.languages, default_locale)
    reader = StaffReader(loaded.person_id, loaded.actor, locale, loaded.timezone)
    with use_locale(locale):
        try:
            return await renderer(bot, notice_view(row), reader)
        except DomainError as error:
            raise stale() from error
