"""Choosing a pupil: by part of a name (`/assess maja`), or class then pupil."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.i18n import _, strip_isolates
from handlers.common import callback_data
from handlers.common.buttons import not_modified
from handlers.common.context import MentorContext
from handlers.common.pickers import button, int_arg, pupil_keyboard, rows
from handlers.common.texts import stale_button_text
from models.common.errors import DomainError
from models.people.access import Actor
from models.people.overview import class_list, class_pupils
from models.records.mentoring_file import PupilMatch, find_pupils

KIND = "pc"


def is_staff_chat(update: Update, context: MentorContext) -> bool:
    """Staff flows run in private chats with a linked staff member."""
    chat = update.effective_chat
    return (
        chat is not None
        and chat.type == ChatType.PRIVATE
        and context.actor is not None
        and context.actor.staff is not None
    )


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup
        )


async def show(
    update: Update, text: str, markup: InlineKeyboardMarkup | None, *, edit: bool
) -> None:
    """Edit the pressed message in place, or answer with a new one."""
    query = update.callback_query
    if edit and query is not None:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    else:
        await reply(update, text, markup)


async def choose_pupil(update: Update, context: MentorContext, kind: str) -> int | None:
    """The pupil named in the command's arguments if exactly one matches; else ask with buttons.

    Buttons carry `v1:<kind>:<pupil id>`; the flow's handler takes it from there.
    """
    if context.actor is None:
        return None
    query = strip_isolates(" ".join(context.args or [])).strip()
    if query:
        matches = await find_pupils(context.actor, query)
        if len(matches) == 1:
            return matches[0].pupil_id
        if not matches:
            await reply(
                update,
                escape(
                    _("No pupil found for “{query}”. Try part of a first or last name.").format(
                        query=query[:40]
                    )
                ),
            )
            return None
        await reply(
            update, escape(_("Which pupil?")), pupil_keyboard(kind, matches, show_class=True)
        )
        return None
    classes = await class_list(context.actor)
    if not classes:
        await reply(update, escape(_("You have no classes yet. Please ask the school office.")))
    elif len(classes) == 1:
        markup = await _pupils_markup(context.actor, kind, classes[0].class_id)
        await reply(update, escape(_("Which pupil?")), markup)
    else:
        buttons = [button(c.name, KIND, kind, c.class_id) for c in classes]
        await reply(update, escape(_("Which class?")), InlineKeyboardMarkup(rows(buttons, 3)))
    return None


async def _pupils_markup(actor: Actor, kind: str, class_id: int) -> InlineKeyboardMarkup:
    pupils = await class_pupils(actor, class_id)
    matches = [PupilMatch(p.pupil_id, p.full_name, None) for p in pupils]
    return pupil_keyboard(kind, matches, show_class=False)


async def class_chosen(update: Update, context: MentorContext) -> None:
    """A class button: show that class's pupils for the flow that asked."""
    query = update.callback_query
    if query is None:
        return
    parsed = callback_data.decode(query.data)
    try:
        if parsed is None or len(parsed.args) != 2 or context.actor is None:
            raise DomainError()
        kind, class_id = parsed.args[0], int_arg(parsed.args[1])
        if class_id is None or context.actor.staff is None:
            raise DomainError()
        markup = await _pupils_markup(context.actor, kind, class_id)
    except DomainError:
        await query.answer(stale_button_text())
        return
    await query.answer()
    try:
        await query.edit_message_text(escape(_("Which pupil?")), reply_markup=markup)
    except BadRequest as error:
        if not not_modified(error):  # the same class pressed again
            raise


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(class_chosen, pattern=callback_data.pattern(KIND)))
