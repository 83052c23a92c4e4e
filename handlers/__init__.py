"""The Telegram conversation layer: parse the update, call the domain, render the reply."""

from __future__ import annotations

from telegram.ext import Application

from handlers import errors, fallback, help, language, middleware, overview, start

# Order matters: the middleware runs first in its own group; within the default group the
# first matching handler wins, so the catch-all fallbacks come last.
MODULES = (middleware, start, help, language, overview, fallback, errors)


def register(app: Application) -> None:
    """Register every feature's handlers in the written order."""
    for module in MODULES:
        module.register(app)
