"""A person's own choices, such as the language the bot writes in."""

from __future__ import annotations

from bot.i18n import SHIPPED_LOCALES
from models.people import UserPreference


async def choose_language(telegram_user_id: int, code: str) -> str | None:
    """Store a /language choice; None (and no change) for a language we do not ship."""
    if code not in SHIPPED_LOCALES:
        return None
    await UserPreference.update_or_create(
        defaults={"language": code}, telegram_user_id=telegram_user_id
    )
    return code
