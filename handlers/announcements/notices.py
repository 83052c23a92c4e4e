"""Announcements as a guardian gets them: English text, "👍 Seen", and a translation on request.

The message is in English as the school wrote it, with a "🌐 <language>" button when a
translation into the guardian's language was stored with it; pressing it edits the message to
the translation (machine translations say so) with a way back to English. Buttons carry only
the announcement id, the language shown and whether it is a reminder; who may read or mark it
is decided in `models.announcements.reading`.
"""

from __future__ import annotations

import re
from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application

from bot.i18n import _, language_name
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.pickers import button, int_arg
from handlers.delivery.kinds import Reader, int_param, notice, send_html, stale
from models.announcements.notices import AnnouncementNotice
from models.announcements.reading import (
    ReadableAnnouncement,
    acknowledge_announcement,
    announcement_for,
    reader_language,
)
from models.common import clock
from models.common.enums import AudienceKind, YearGroup
from models.common.errors import N_, DomainError
from models.common.translation import SOURCE_LANGUAGE
from models.delivery.outbox import NoticeView

SEEN = "ank"  # v1:ank:<announcement>:<language shown>:<a|r>
VIEW = "anl"  # v1:anl:<announcement>:<language to show>:<a|r>
ANNOUNCEMENT, REMINDER = "a", "r"
STALE = N_("This button is no longer active.")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def audience_label(kind: AudienceKind, ref: str, class_name: str | None) -> str:
    """`3B`, `Year 3`, `Reception` or `Whole school`, in the current language."""
    if kind is AudienceKind.CLASS:
        return class_name or ""
    if kind is AudienceKind.YEAR:
        if ref == YearGroup.RECEPTION.value:
            return _("Reception")
        return _("Year {number}").format(number=ref)
    return _("Whole school")


def announcement_text(item: ReadableAnnouncement, language: str, *, reminder: bool) -> str:
    """The message in HTML: heading, reminder line, the text (or its translation) and its label."""
    where = audience_label(item.audience.kind, item.audience.ref, item.class_name)
    if item.critical:
        important = _("Important message from {school}").format(school=item.school_name)
        heading = "🚨 <b>" + escape(important) + "</b>"
    else:
        heading = "📢 <b>" + escape(item.school_name) + "</b>"
    lines = [heading + " · " + escape(where)]
    if reminder:
        lines.append(
            "🔔 <i>"
            + escape(_("Reminder: please press 👍 Seen to let the school know you have read it."))
            + "</i>"
        )
    translation = item.translations.get(language) if language != SOURCE_LANGUAGE else None
    lines += ["", escape(translation.text if translation else item.text)]
    if translation is not None and translation.machine:
        # Translators: under a text a computer translated, so the reader knows it may be rough.
        lines += ["", "<i>🤖 " + escape(_("Machine translation")) + "</i>"]
    return "\n".join(lines)


def announcement_keyboard(
    item: ReadableAnnouncement, shown: str, offered: str, *, reminder: bool
) -> InlineKeyboardMarkup | None:
    """The "👍 Seen" button when asked, and one to the translation or back to English."""
    which = REMINDER if reminder else ANNOUNCEMENT
    row: list[InlineKeyboardButton] = []
    if item.needs_ack:
        label = ("✅ " if item.seen else "👍 ") + _("Seen")
        row.append(button(label, SEEN, item.announcement_id, shown, which))
    if shown != SOURCE_LANGUAGE:
        row.append(
            button(
                "🌐 " + language_name(SOURCE_LANGUAGE),
                VIEW,
                item.announcement_id,
                SOURCE_LANGUAGE,
                which,
            )
        )
    elif offered != SOURCE_LANGUAGE and offered in item.translations:
        row.append(
            button("🌐 " + language_label(offered), VIEW, item.announcement_id, offered, which)
        )
    return InlineKeyboardMarkup([row]) if row else None


def language_label(code: str) -> str:
    """A language's own name for itself (`Polski`), or its code when Babel does not know it."""
    try:
        return language_name(code)
    except (ValueError, LookupError):  # Babel knows no such language: show the code
        return code


async def announcement_notice(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """The announcement (or a reminder of it) in English, with its buttons."""
    item = await announcement_for(reader.actor, int_param(row, "announcement_id"))
    reminder = row.kind == AnnouncementNotice.ANNOUNCEMENT_REMINDER
    if reminder and item.seen:
        raise stale()  # seen since the reminder was queued: nothing to remind of
    offered = await reader_language(reader.actor)
    text = announcement_text(item, SOURCE_LANGUAGE, reminder=reminder)
    markup = announcement_keyboard(item, SOURCE_LANGUAGE, offered, reminder=reminder)
    return await send_html(bot, row.chat_id, text, markup)


notice(AnnouncementNotice.ANNOUNCEMENT, render=announcement_notice)
notice(AnnouncementNotice.ANNOUNCEMENT_REMINDER, render=announcement_notice)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    announcement_id = int_arg(args[0]) if len(args) == 3 else None
    query = update.callback_query
    if (
        announcement_id is None
        or query is None
        or not _LANGUAGE.match(args[1])
        or args[2] not in (ANNOUNCEMENT, REMINDER)
    ):
        raise DomainError(STALE)
    actor, language, reminder = acting(context), args[1], args[2] == REMINDER
    answer = None
    if kind == SEEN:
        first_time = await acknowledge_announcement(actor, announcement_id, now=clock.now())
        answer = (
            _("Thank you! The school can see that you have read it.")
            if first_time
            else _("Already marked as seen.")
        )
    item = await announcement_for(actor, announcement_id)
    if language != SOURCE_LANGUAGE and language not in item.translations:
        raise DomainError(STALE)
    offered = await reader_language(actor)
    markup = announcement_keyboard(item, language, offered, reminder=reminder)
    try:
        if kind == SEEN:
            await query.edit_message_reply_markup(markup)
        else:
            text = announcement_text(item, language, reminder=reminder)
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message:  # an old button pressed again is fine
            raise
    return answer


def register(app: Application) -> None:
    register_buttons(app, _dispatch, SEEN, VIEW)
