"""/language: choose from the shipped languages."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.i18n import SHIPPED_LOCALES, _, language_name, set_locale
from handlers.common import callback_data
from handlers.common.context import MentorContext
from handlers.common.menu import apply_chat_menu
from handlers.common.texts import stale_button_text
from models.people.preferences import choose_language

KIND = "lang"


def language_keyboard() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(language_name(code), callback_data=callback_data.encode(KIND, code))
        for code in SHIPPED_LOCALES
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


async def ask_language(update: Update, context: MentorContext) -> None:
    """Offer the languages as buttons, each named in its own language."""
    message = update.effective_message
    if message is None:
        return
    await message.reply_text(_("Choose your language:"), reply_markup=language_keyboard())


async def set_language(update: Update, context: MentorContext) -> None:
    """Store the choice and answer in the new language straight away."""
    query = update.callback_query
    if query is None:
        return
    parsed = callback_data.decode(query.data)
    locale = None
    if parsed is not None and len(parsed.args) == 1:
        locale = await choose_language(query.from_user.id, parsed.args[0])
    if locale is None:
        await query.answer(stale_button_text())
        return
    set_locale(locale)
    await query.answer()
    await query.edit_message_text(
        _("Done. I will write to you in {language}.").format(language=language_name(locale))
    )
    if query.message is not None and query.message.chat.type == ChatType.PRIVATE:
        await apply_chat_menu(context.bot, query.message.chat.id, context.actor)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("language", ask_language))
    app.add_handler(CallbackQueryHandler(set_language, pattern=callback_data.pattern(KIND)))
