"""The Telegram conversation layer: parse the update, call the domain, render the reply."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    assess,
    availability,
    errors,
    expect,
    fallback,
    flow_text,
    help,
    language,
    meeting,
    meeting_overview,
    meetings_family,
    membership,
    middleware,
    notices,
    overview,
    profile,
    pupil_choice,
    pupil_file,
    rounds,
    start,
    support,
    sweep,
    targets,
    today,
)

# Order matters: the middleware runs first in its own group; within the default group the
# first matching handler wins, so typed-text routing and the catch-all fallbacks come last.
MODULES = (
    middleware,
    membership,
    start,
    help,
    language,
    overview,
    pupil_choice,
    assess,
    sweep,
    pupil_file,
    profile,
    targets,
    support,
    expect,
    rounds,
    availability,
    today,
    meeting,
    meeting_overview,
    meetings_family,
    flow_text,
    notices,
    fallback,
    errors,
)


def register(app: Application) -> None:
    """Register every feature's handlers in the written order."""
    for module in MODULES:
        module.register(app)
