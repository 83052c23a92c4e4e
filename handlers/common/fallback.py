"""Polite answers to anything no other handler took: unknown commands, stale buttons, chatter."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.i18n import _
from handlers.common.context import MentorContext
from handlers.common.texts import not_linked_text, stale_button_text
from handlers.people import start


async def unknown_command(update: Update, context: MentorContext) -> None:
    """A command we do not have."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            _("Sorry, I don't know that command. Send /help to see what I can do.")
        )


async def other_message(update: Update, context: MentorContext) -> None:
    """Text, photos or anything else we were not expecting."""
    if update.effective_message is None:
        return
    if context.actor is None or not context.actor.is_linked:
        text = update.effective_message.text
        if text is not None and start.looks_like_a_code(text):  # typed from a printed letter
            await start.link_with_code(update, context, text)
            return
        await update.effective_message.reply_text(not_linked_text())
    else:
        await update.effective_message.reply_text(
            _("I didn't catch that. Send /help to see what I can do.")
        )


async def stale_button(update: Update, context: MentorContext) -> None:
    """A button from an old message, or data no other handler matched (forged, foreign)."""
    if update.callback_query is not None:
        await update.callback_query.answer(stale_button_text())


def register(app: Application) -> None:
    """Register last: in one group Telegram updates go to the first handler that matches."""
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    app.add_handler(
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, other_message),
    )
    # Every callback query, whatever its data (or none): each press must get an answer.
    app.add_handler(CallbackQueryHandler(stale_button))
