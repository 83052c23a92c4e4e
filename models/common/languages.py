"""The languages the bot ships catalogues for: what a person may choose to be written to in."""

from __future__ import annotations

SOURCE_LOCALE = "en"
# One catalogue per language under locales/ (bot.catalogues keeps them in step).
SHIPPED_LOCALES: tuple[str, ...] = ("en", "pl", "ro", "ur", "ar", "uk")
