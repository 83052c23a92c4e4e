"""Outbox notices to parents, each in the reader's language, and their "👍 Seen" button."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, CallbackQueryHandler
from telegram.warnings import PTBDeprecationWarning

from bot.i18n import _, choose_locale, use_locale
from handlers import callback_data
from handlers.context import MentorContext, acting
from handlers.labels import area_label, shown_text
from models.access import Actor, GuardianRole, visible_pupils
from models.enums import Area, TargetStatus
from models.errors import DomainError
from models.outbox import Notification
from models.people import Guardian, Pupil, UserPreference
from models.targeting import acknowledge_target
from models.targets import Target
from scheduler.delivery import (
    DeliveryError,
    RetryLater,
    Undeliverable,
    Unreachable,
    deliver_due,
)

KIND = "seen"
JOB_NAME = "outbox"
TICK_SECONDS = 2.0
FIRST_TICK_SECONDS = 1.0
STALE = "stale"
_MAX_ID = 2**31


@dataclass(frozen=True)
class Notice:
    text: str
    keyboard: InlineKeyboardMarkup | None = None


def seen_keyboard(target_id: int, *, done: bool = False) -> InlineKeyboardMarkup:
    """One button; once pressed it shows a tick and only says it was already pressed."""
    # Translators: a parent's button meaning "I have read this".
    label = ("✅ " if done else "👍 ") + _("Seen")
    button = InlineKeyboardButton(label, callback_data=callback_data.encode(KIND, target_id))
    return InlineKeyboardMarkup([[button]])


def render(kind: str, target: Target, pupil: Pupil) -> Notice:
    """The notice for one outbox kind, in the current locale (HTML)."""
    name, area = escape(pupil.first_name), escape(area_label(Area(target.area)))
    if kind == "target_set":
        text = "🎯 " + _("<b>New target for {name}</b> ({area})").format(name=name, area=area)
        text += "\n" + shown_text(target.text)
        if target.home_support:
            text += "\n\n🏠 <b>" + escape(_("How you can help at home")) + "</b>\n"
            text += shown_text(target.home_support)
        return Notice(text, seen_keyboard(target.id))
    if kind == "target_achieved":
        text = "🌟 " + _("{name} has achieved a target in {area}:").format(name=name, area=area)
        text += "\n" + shown_text(target.text) + "\n\n"
        text += _("Well done, {name}! A word of praise at home means a lot.").format(name=name)
        return Notice(text)
    raise Undeliverable("unknown_kind")


async def send_notice(bot: Bot, row: Notification, *, default_locale: str = "en") -> int:
    """Render a row for its guardian and send it; Telegram's errors become delivery errors."""
    guardian = None
    if row.guardian_id is not None:
        guardian = (
            await Guardian.filter(id=row.guardian_id, left_at=None).select_related("school").first()
        )
    # Re-linked to another Telegram account since: the old account must not get it.
    if guardian is None or guardian.telegram_user_id != row.chat_id:
        raise Undeliverable(STALE)
    target, pupil = await _subject(row, guardian)
    preference = await UserPreference.get_or_none(telegram_user_id=row.chat_id)
    locale = choose_locale(
        preference.language if preference else None,
        guardian.language,
        guardian.school.default_locale,
        default_locale,
    )
    with use_locale(locale):
        notice = render(row.kind, target, pupil)
    try:
        message = await bot.send_message(
            row.chat_id, notice.text, parse_mode=ParseMode.HTML, reply_markup=notice.keyboard
        )
    except TelegramError as error:
        raise classify(error) from error
    return message.message_id


async def _subject(row: Notification, guardian: Guardian) -> tuple[Target, Pupil]:
    """The target and pupil, if they still exist and this guardian may still see them."""
    target_id, pupil_id = row.params.get("target_id"), row.params.get("pupil_id")
    if not isinstance(target_id, int) or not isinstance(pupil_id, int):
        raise Undeliverable(STALE)
    target = await Target.get_or_none(id=target_id, pupil_id=pupil_id)
    reader = Actor(row.chat_id, guardian=GuardianRole(guardian.id, guardian.school_id))
    pupil = await visible_pupils(reader).filter(id=pupil_id).first()
    # A target set by mistake and dropped before delivery is no news.
    dropped = target is not None and target.status is TargetStatus.DROPPED
    if target is None or pupil is None or (row.kind == "target_set" and dropped):
        raise Undeliverable(STALE)
    return target, pupil


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


async def seen(update: Update, context: MentorContext) -> None:
    """A parent pressed "👍 Seen": record it once and turn the button into a tick."""
    query = update.callback_query
    if query is None:
        return
    parsed = callback_data.decode(query.data)
    arg = parsed.args[0] if parsed and len(parsed.args) == 1 else ""
    if not arg.isdigit() or not 0 < int(arg) < _MAX_ID:
        await query.answer(_("This button is no longer active."))
        return
    target_id = int(arg)
    try:
        first_time = await acknowledge_target(acting(context), target_id)
    except DomainError as error:
        await query.answer(_(error.message).format(**error.params))
        return
    if not first_time:
        await query.answer(_("Already marked as seen."))
        return
    await query.answer(_("Thank you! Your child's teacher can see that you have read it."))
    await query.edit_message_reply_markup(seen_keyboard(target_id, done=True))


async def deliver_notices(context: MentorContext) -> None:
    """The repeating job: send one batch of due notices."""
    bot, default_locale = context.bot, context.services.settings.default_locale

    async def send(row: Notification) -> int:
        return await send_notice(bot, row, default_locale=default_locale)

    await deliver_due(send, now=datetime.now(UTC))


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(seen, pattern=callback_data.pattern(KIND)))
    if app.job_queue is None:
        raise RuntimeError("the job queue is missing: install python-telegram-bot[job-queue]")
    app.job_queue.run_repeating(
        deliver_notices, interval=TICK_SECONDS, first=FIRST_TICK_SECONDS, name=JOB_NAME
    )
