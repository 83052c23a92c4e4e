"""Outbox notices to parents, each in the reader's language, and the targets' "👍 Seen" button.

Each feature renders its own kinds (`handlers.delivery.kinds.renders`); this module loads the
reader, picks their language, hands the row to the kind's renderer and runs the delivery job.
"""

from __future__ import annotations

from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.i18n import _, choose_locale, use_locale
from handlers.announcements import notices as announcement_notices
from handlers.calendar import halfterm as halfterm_notices
from handlers.common import callback_data
from handlers.common.context import MentorContext, acting
from handlers.common.labels import area_label, shown_text
from handlers.delivery import digests as digest_notices
from handlers.delivery import files as notice_files
from handlers.delivery.kinds import (
    STALE,
    Reader,
    StaffReader,
    classify,
    int_param,
    renderer_for,
    renders,
    send_html,
    staff_renderer_for,
    stale,
)
from handlers.meetings import notices as meeting_notices
from handlers.messaging import notices as message_notices
from models.common.enums import Area, TargetStatus
from models.common.errors import DomainError
from models.delivery.outbox import Notification
from models.people.access import Actor, GuardianRole, resolve_actor, visible_pupils
from models.people.tables import Guardian, Pupil, Staff, UserPreference
from models.targets.tables import Target
from models.targets.targeting import acknowledge_target
from scheduler.delivery import Undeliverable

__all__ = ["STALE", "classify", "register", "seen_keyboard", "send_notice"]

# Every feature's renderers must be loaded wherever rows are delivered: an unknown kind is dead.
FEATURE_RENDERERS = (
    meeting_notices,
    notice_files,
    digest_notices,
    halfterm_notices,
    announcement_notices,
    message_notices,
)
KIND = "seen"
_MAX_ID = 2**31


def seen_keyboard(target_id: int, *, done: bool = False) -> InlineKeyboardMarkup:
    """One button; once pressed it shows a tick and only says it was already pressed."""
    # Translators: a parent's button meaning "I have read this".
    label = ("✅ " if done else "👍 ") + _("Seen")
    button = InlineKeyboardButton(label, callback_data=callback_data.encode(KIND, target_id))
    return InlineKeyboardMarkup([[button]])


@renders("target_set", "target_achieved")
async def target_notice(bot: Bot, row: Notification, reader: Reader) -> int:
    """A new target with its home idea and a "👍 Seen" button, or praise for one achieved."""
    target, pupil = await _target_subject(row, reader.actor)
    name, area = escape(pupil.first_name), escape(area_label(Area(target.area)))
    if row.kind == "target_set":
        text = "🎯 " + _("<b>New target for {name}</b> ({area})").format(name=name, area=area)
        text += "\n" + shown_text(target.text)
        if target.home_support:
            text += "\n\n🏠 <b>" + escape(_("How you can help at home")) + "</b>\n"
            text += shown_text(target.home_support)
        return await send_html(bot, row.chat_id, text, seen_keyboard(target.id))
    text = "🌟 " + _("{name} has achieved a target in {area}:").format(name=name, area=area)
    text += "\n" + shown_text(target.text) + "\n\n"
    text += _("Well done, {name}! A word of praise at home means a lot.").format(name=name)
    return await send_html(bot, row.chat_id, text)


async def _target_subject(row: Notification, reader: Actor) -> tuple[Target, Pupil]:
    """The target and pupil, if they still exist and this guardian may still see them."""
    target_id, pupil_id = int_param(row, "target_id"), int_param(row, "pupil_id")
    target = await Target.get_or_none(id=target_id, pupil_id=pupil_id)
    pupil = await visible_pupils(reader).filter(id=pupil_id).first()
    # A target set by mistake and dropped before delivery is no news.
    dropped = target is not None and target.status is TargetStatus.DROPPED
    if target is None or pupil is None or (row.kind == "target_set" and dropped):
        raise stale()
    return target, pupil


async def send_notice(bot: Bot, row: Notification, *, default_locale: str = "en") -> int | None:
    """Render a row for its guardian or staff member, in their language, and send it."""
    if row.staff_id is not None:
        return await _send_staff_notice(bot, row, default_locale)
    guardian = None
    if row.guardian_id is not None:
        guardian = (
            await Guardian.filter(id=row.guardian_id, left_at=None).select_related("school").first()
        )
    # Re-linked to another Telegram account since: the old account must not get it.
    if guardian is None or guardian.telegram_user_id != row.chat_id:
        raise stale()
    renderer = digest_notices.send_digest if row.digest else renderer_for(row.kind)
    if renderer is None:
        raise Undeliverable("unknown_kind")
    preference = await UserPreference.get_or_none(telegram_user_id=row.chat_id)
    locale = choose_locale(
        preference.language if preference else None,
        guardian.language,
        guardian.school.default_locale,
        default_locale,
    )
    actor = Actor(row.chat_id, guardian=GuardianRole(guardian.id, guardian.school_id))
    with use_locale(locale):
        try:
            return await renderer(bot, row, Reader(guardian, actor, locale))
        except DomainError as error:  # the domain refuses this reader now: no longer news
            raise stale() from error


async def _send_staff_notice(bot: Bot, row: Notification, default_locale: str) -> int | None:
    staff = await Staff.filter(id=row.staff_id, left_at=None).select_related("school").first()
    if staff is None or staff.telegram_user_id != row.chat_id:
        raise stale()
    renderer = staff_renderer_for(row.kind)
    if renderer is None:
        raise Undeliverable("unknown_kind")
    actor = await resolve_actor(row.chat_id)
    if actor.staff is None:
        raise stale()
    preference = await UserPreference.get_or_none(telegram_user_id=row.chat_id)
    locale = choose_locale(
        preference.language if preference else None,
        staff.language,
        staff.school.default_locale,
        default_locale,
    )
    with use_locale(locale):
        try:
            return await renderer(bot, row, StaffReader(staff, actor, locale))
        except DomainError as error:
            raise stale() from error


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


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(seen, pattern=callback_data.pattern(KIND)))
