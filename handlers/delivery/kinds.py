"""How each outbox kind reaches its reader: one `notice(...)` per kind, and the helpers they share.

A feature declares a kind once in its domain (`models/<feature>/notices.py`: its delivery class
and audience) and binds it once here, in its `handlers/<feature>/notices.py`:

    notice(TargetNotice.TARGET_SET, render=target_notice, digest=target_paragraph)

`render` is for guardians, `render_for_staff` for staff (rows with `staff_id`); a routine kind
also says in `digest` how it reads as one paragraph of a daily or weekly digest. `notice` refuses
a binding that leaves out what the declaration calls for, and `handlers/notices.py` imports
every feature's bindings wherever rows are delivered.

A renderer gets the bot, a frozen view of the claimed row and its reader (as the domain sees
them, with the language and timezone to write in; the locale is already in use) and sends the
notice itself, returning the main message's id. It raises `Undeliverable(STALE)` when the news
no longer holds; a refusal from the domain (the link was restricted meanwhile) counts as stale
too.
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
from models.delivery.kinds import Audience, NoticeKind
from models.delivery.outbox import NoticeView
from models.people.access import Actor
from scheduler.delivery import DeliveryError, RetryLater, Undeliverable, Unreachable

logger = logging.getLogger(__name__)

STALE = "stale"


@dataclass(frozen=True)
class Reader:
    """The guardian a notice is for, as an actor, in which language and school timezone."""

    guardian_id: int
    actor: Actor
    locale: str
    timezone_name: str

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)


@dataclass(frozen=True)
class StaffReader:
    """The staff member a notice is for, as an actor, in which language and school timezone."""

    staff_id: int
    actor: Actor
    locale: str
    timezone_name: str

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)


Renderer = Callable[[Bot, NoticeView, Reader], Awaitable[int | None]]
StaffRenderer = Callable[[Bot, NoticeView, StaffReader], Awaitable[int | None]]
DigestLine = Callable[[NoticeView, Reader], Awaitable[str]]


@dataclass(frozen=True)
class Notice:
    """A declared kind bound to how it renders."""

    kind: NoticeKind
    render: Renderer | None
    render_for_staff: StaffRenderer | None
    digest: DigestLine | None


class IncompleteNotice(TypeError):
    """A binding that leaves out what its kind's declaration calls for, or binds it twice."""


_NOTICES: dict[str, Notice] = {}


def notice(
    kind: NoticeKind,
    *,
    render: Renderer | None = None,
    render_for_staff: StaffRenderer | None = None,
    digest: DigestLine | None = None,
) -> Notice:
    """Bind a declared kind to its renderer(s) and, for a routine kind, its digest line."""
    bound = Notice(kind, render, render_for_staff, digest)
    if kind in _NOTICES:
        raise IncompleteNotice(f"{kind}: bound twice")
    renderers = (
        ("guardians", Audience.GUARDIAN, render),
        ("staff", Audience.STAFF, render_for_staff),
    )
    for readers, audience, renderer in renderers:
        if audience in kind.audience and renderer is None:
            raise IncompleteNotice(f"{kind}: needs a renderer for {readers}")
        if audience not in kind.audience and renderer is not None:
            raise IncompleteNotice(f"{kind}: has a renderer for {readers} but is not for them")
    if kind.digestible != (digest is not None):
        wanted = "needs" if kind.digestible else "is never in"
        raise IncompleteNotice(f"{kind}: {wanted} a digest line ({kind.delivery} delivery)")
    _NOTICES[kind] = bound
    return bound


def bound_notices() -> tuple[Notice, ...]:
    """Every binding made so far (all of them once `handlers.notices` is imported)."""
    return tuple(_NOTICES.values())


def digest_line_for(kind: str) -> DigestLine | None:
    bound = _NOTICES.get(kind)
    return bound.digest if bound else None


def renderer_for(kind: str) -> Renderer | None:
    bound = _NOTICES.get(kind)
    return bound.render if bound else None


def staff_renderer_for(kind: str) -> StaffRenderer | None:
    bound = _NOTICES.get(kind)
    return bound.render_for_staff if bound else None


def stale() -> Undeliverable:
    return Undeliverable(STALE)


def int_param(row: NoticeView, name: str) -> int:
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
