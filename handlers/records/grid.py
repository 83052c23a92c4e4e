"""/grid: a class's latest bands as one colour picture, with who is behind marked."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.pickers import class_keyboard, int_arg
from handlers.common.pupil_choice import is_staff_chat, reply
from handlers.records.pictures import send_class_grid
from models.common.errors import N_, DomainError
from models.people.overview import class_list

CLASS = "grd"  # v1:grd:<class>


async def grid(update: Update, context: MentorContext) -> None:
    """Send the grid of the teacher's class, or ask which class when there are several."""
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return
    classes = await class_list(acting(context))
    if not classes:
        await reply(update, escape(_("You have no classes yet. Please ask the school office.")))
        return
    if len(classes) > 1:
        await reply(update, escape(_("The grid of which class?")), class_keyboard(CLASS, classes))
        return
    await send_class_grid(context.bot, chat_id(update), acting(context), classes[0].class_id)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    class_id = int_arg(args[0]) if len(args) == 1 else None
    if class_id is None:
        raise DomainError(N_("This button is no longer active."))
    await send_class_grid(context.bot, chat_id(update), acting(context), class_id)
    return None


def register(app: Application) -> None:
    app.add_handler(CommandHandler("grid", grid))
    register_buttons(app, _dispatch, CLASS)
