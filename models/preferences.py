"""A person's own choices, such as the language the bot writes in."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import SHIPPED_LOCALES
from models.people import Guardian, UserPreference


async def choose_language(telegram_user_id: int, code: str) -> str | None:
    """Store a /language choice; None (and no change) for a language we do not ship."""
    if code not in SHIPPED_LOCALES:
        return None
    await UserPreference.update_or_create(
        defaults={"language": code}, telegram_user_id=telegram_user_id
    )
    return code


async def set_reachable(telegram_user_id: int, *, reachable: bool, now: datetime) -> None:
    """A guardian blocked or unblocked the bot: stop or resume queuing messages for them."""
    await Guardian.filter(telegram_user_id=telegram_user_id).update(
        unreachable_at=None if reachable else now
    )
