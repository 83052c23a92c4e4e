"""/announcements: the sender's recent announcements with counts, a reminder and a refresh.

Counts only: nobody sees which families received an announcement or who has seen it.
"""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_datetime, ngettext
from handlers.announcements.notices import audience_label
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import is_staff_chat, reply
from models.announcements.report import (
    AnnouncementStatus,
    announcement_status,
    recent_announcements,
    remind_unseen,
)
from models.announcements.sending import may_announce
from models.common import clock
from models.common.errors import N_, DomainError
from models.people.access import Actor

OPEN = "anv"  # v1:anv:<announcement>: its counts (pressed again: refreshed)
LIST = "anf"  # v1:anf: the list (pressed again: refreshed)
REMIND = "anr"  # v1:anr:<announcement>
EXCERPT = 80
DETAIL_EXCERPT = 600
WHEN = "d MMM, HH:mm"
STALE = N_("This button is no longer active.")


async def show_announcements(update: Update, context: MentorContext) -> None:
    """`/announcements`: the list, newest first."""
    if not is_staff_chat(update, context) or not may_announce(acting(context)):
        await reply(update, escape(_("Announcements are sent by teachers and senior leaders.")))
        return
    text, markup = await _list_screen(acting(context))
    await reply(update, text, markup)


def _excerpt(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _heading(item: AnnouncementStatus) -> str:
    where = audience_label(item.audience.kind, item.audience.ref, item.class_name)
    heading = f"{where} · {format_datetime(item.sent_at, ZoneInfo(item.timezone), WHEN)}"
    return ("🚨 " if item.critical else "") + heading


def count_parts(item: AnnouncementStatus) -> list[str]:
    """The counts, each with its mark: delivered, waiting, seen (if asked), unreachable, muted."""
    parts = [
        "📬 " + _("Delivered: {n}").format(n=item.delivered),
        "⏳ " + _("Waiting: {n}").format(n=item.waiting),
    ]
    if item.needs_ack:
        parts.append("👍 " + _("Seen: {n}").format(n=item.seen))
    parts.append("📵 " + _("Unreachable: {n}").format(n=item.unreachable))
    parts.append("🔕 " + _("Muted: {n}").format(n=item.muted))
    return parts


async def _list_screen(actor: Actor) -> tuple[str, InlineKeyboardMarkup | None]:
    items = await recent_announcements(actor)
    if not items:
        return escape(_("No announcements yet. Send /announce to write one.")), None
    lines = ["📢 <b>" + escape(_("Recent announcements")) + "</b>"]
    for number, item in enumerate(items, 1):
        lines += [
            "",
            f"<b>{number}.</b> " + escape(_heading(item)),
            "<i>" + escape(_excerpt(item.text, EXCERPT)) + "</i>",
            escape(" · ".join(count_parts(item))),
        ]
    numbers = [
        button(str(number), OPEN, item.announcement_id) for number, item in enumerate(items, 1)
    ]
    keyboard = [*rows(numbers, 4), [button("🔄 " + _("Refresh"), LIST)]]
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


async def _detail_screen(actor: Actor, announcement_id: int) -> tuple[str, InlineKeyboardMarkup]:
    item = await announcement_status(actor, announcement_id)
    lines = [
        "📢 <b>" + escape(_heading(item)) + "</b>",
        "",
        escape(_excerpt(item.text, DETAIL_EXCERPT)),
        "",
        escape(
            ngettext(
                "For {n} parent or carer:", "For {n} parents and carers:", item.recipients
            ).format(n=item.recipients)
        ),
        *(escape(part) for part in count_parts(item)),
    ]
    if not item.needs_ack:
        lines.append(escape(_("“👍 Seen” was not asked for.")))
    now = clock.now()
    if item.reminded_at is not None:
        when = format_datetime(item.reminded_at, ZoneInfo(item.timezone), WHEN)
        lines.append("🔔 " + escape(_("Reminder sent: {when}.").format(when=when)))
    keyboard = []
    if item.may_remind(now):
        label = "🔔 " + _("Remind those who have not seen it")
        keyboard.append([button(label, REMIND, item.announcement_id)])
    keyboard.append(
        [
            button("🔄 " + _("Refresh"), OPEN, item.announcement_id),
            button("⬅️ " + _("All announcements"), LIST),
        ]
    )
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor = acting(context)
    if kind == LIST and not args:
        text, markup = await _list_screen(actor)
        return await _edit(update, text, markup)
    announcement_id = int_arg(args[0]) if len(args) == 1 else None
    if announcement_id is None:
        raise DomainError(STALE)
    answer = None
    if kind == REMIND:
        count = await remind_unseen(actor, announcement_id, now=clock.now())
        answer = ngettext(
            "A reminder is on its way to {n} parent or carer.",
            "A reminder is on its way to {n} parents and carers.",
            count,
        ).format(n=count)
    elif kind != OPEN:
        raise DomainError(STALE)
    text, markup = await _detail_screen(actor, announcement_id)
    unchanged = await _edit(update, text, markup)
    return answer or unchanged


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> str | None:
    """Edit the screen in place; "Up to date." when a refresh finds nothing new."""
    query = update.callback_query
    if query is None:
        return None
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise
        return _("Up to date.")
    return None


def register(app: Application) -> None:
    app.add_handler(CommandHandler("announcements", show_announcements))
    register_buttons(app, _dispatch, OPEN, LIST, REMIND)
