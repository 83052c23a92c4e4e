"""/help: what this person can do, by role."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler

from bot.i18n import _, isolate_ltr
from handlers.common.context import MentorContext
from handlers.common.menu import commands_for
from handlers.common.texts import not_linked_text
from models.people.access import Actor


def help_text(actor: Actor | None) -> str:
    """The commands this person has, one per line, with what each does."""
    lines = [escape(_("Here is what I can do for you:")), ""]
    lines += [f"{isolate_ltr('/' + name)} — {escape(text)}" for name, text in commands_for(actor)]
    if actor is None or not actor.is_linked:
        lines += ["", escape(not_linked_text())]
    return "\n".join(lines)


async def show_help(update: Update, context: MentorContext) -> None:
    """Answer /help."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(help_text(context.actor), parse_mode=ParseMode.HTML)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("help", show_help))
