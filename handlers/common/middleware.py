"""Runs before every other handler: who is this, and which language do we answer in."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.i18n import choose_locale, set_locale
from handlers.common.context import MentorContext
from models.people.access import resolve_actor
from models.people.preferences import chosen_language

GROUP = -10


async def load_actor(update: Update, context: MentorContext) -> None:
    """Resolve the acting person and the locale for this update."""
    user = update.effective_user
    settings = context.services.settings
    if user is None:
        set_locale(settings.default_locale)
        return
    context.actor = await resolve_actor(user.id)
    chosen = await chosen_language(user.id)
    # An explicit /language choice wins over the roster, then Telegram's own setting.
    set_locale(
        choose_locale(
            chosen,
            context.actor.language,
            user.language_code,
            settings.default_locale,
        )
    )


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, load_actor), group=GROUP)
