"""Targets as outbox notices to parents: a new target or praise for one achieved, at once or as a
digest paragraph, and the "👍 Seen" button under a new target."""

from __future__ import annotations

from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.i18n import _
from handlers.common import callback_data
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.labels import area_label, shown_text
from handlers.delivery.kinds import Reader, int_param, notice, send_html, stale
from models.common.enums import TargetStatus
from models.delivery.outbox import NoticeView
from models.targets.news import TargetNews, target_news
from models.targets.notices import TargetNotice
from models.targets.targeting import acknowledge_target

KIND = "seen"


def seen_keyboard(target_id: int, *, done: bool = False, kind: str = KIND) -> InlineKeyboardMarkup:
    """One button; once pressed it shows a tick and only says it was already pressed.

    A digest's button (`kind`) carries the digest's first row instead of a target.
    """
    # Translators: a parent's button meaning "I have read this".
    label = ("✅ " if done else "👍 ") + _("Seen")
    button = InlineKeyboardButton(label, callback_data=callback_data.encode(kind, target_id))
    return InlineKeyboardMarkup([[button]])


async def target_notice(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """A new target with its home idea and a "👍 Seen" button, or praise for one achieved."""
    news = await _news(row, reader)
    name, area = escape(news.first_name), escape(area_label(news.area))
    if row.kind == TargetNotice.TARGET_SET:
        text = "🎯 " + _("<b>New target for {name}</b> ({area})").format(name=name, area=area)
        text += "\n" + shown_text(news.text)
        if news.home_support:
            text += "\n\n🏠 <b>" + escape(_("How you can help at home")) + "</b>\n"
            text += shown_text(news.home_support)
        return await send_html(bot, row.chat_id, text, seen_keyboard(news.target_id))
    text = "🌟 " + _("{name} has achieved a target in {area}:").format(name=name, area=area)
    text += "\n" + shown_text(news.text) + "\n\n"
    text += _("Well done, {name}! A word of praise at home means a lot.").format(name=name)
    return await send_html(bot, row.chat_id, text)


async def target_paragraph(row: NoticeView, reader: Reader) -> str:
    """A new target with its home idea, or an achieved one."""
    news = await _news(row, reader)
    name, area = escape(news.first_name), escape(area_label(news.area))
    if row.kind == TargetNotice.TARGET_ACHIEVED:
        heading = _("{name} has achieved a target in {area}:").format(name=name, area=area)
        return f"🌟 {heading}\n{shown_text(news.text)}"
    heading = _("<b>New target for {name}</b> ({area})").format(name=name, area=area)
    text = f"🎯 {heading}\n{shown_text(news.text)}"
    if news.home_support:
        text += "\n🏠 " + shown_text(news.home_support)
    return text


async def _news(row: NoticeView, reader: Reader) -> TargetNews:
    """The target, if it still exists and this guardian may still see the child."""
    news = await target_news(reader.actor, int_param(row, "target_id"), int_param(row, "pupil_id"))
    # A target set by mistake and dropped before delivery is no news.
    dropped = news is not None and news.status is TargetStatus.DROPPED
    if news is None or (row.kind == TargetNotice.TARGET_SET and dropped):
        raise stale()
    return news


notice(TargetNotice.TARGET_SET, render=target_notice, digest=target_paragraph)
notice(TargetNotice.TARGET_ACHIEVED, render=target_notice, digest=target_paragraph)


async def seen(update: Update, context: MentorContext, kind: str, args: tuple[str, ...]) -> str:
    """A parent pressed "👍 Seen": record it once and turn the button into a tick."""
    target_id = callback_data.one_id(args)
    if target_id is None:
        return _("This button is no longer active.")
    if not await acknowledge_target(acting(context), target_id):
        return _("Already marked as seen.")
    if update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(seen_keyboard(target_id, done=True))
    return _("Thank you! Your child's teacher can see that you have read it.")


def register(app: Application) -> None:
    register_buttons(app, seen, KIND)
