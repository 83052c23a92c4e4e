"""The Telegram conversation layer: parse the update, call the domain, render the reply."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    announce,
    announcement_notices,
    announcements,
    ask,
    assess,
    availability,
    away,
    delivery_report,
    digest_notices,
    errors,
    expect,
    export,
    fallback,
    flow_text,
    grid,
    help,
    incoming,
    language,
    letters,
    meeting,
    meeting_overview,
    meetings_family,
    membership,
    mentoring_sheet,
    middleware,
    notices,
    overview,
    planning_job,
    profile,
    pupil_choice,
    pupil_file,
    rounds,
    settings,
    staff_messages,
    start,
    support,
    sweep,
    targets,
    terms,
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
    settings,
    overview,
    pupil_choice,
    assess,
    sweep,
    pupil_file,
    profile,
    grid,
    targets,
    support,
    expect,
    rounds,
    terms,
    availability,
    today,
    meeting,
    mentoring_sheet,
    meeting_overview,
    meetings_family,
    export,
    letters,
    delivery_report,
    announce,
    announcements,
    announcement_notices,
    ask,
    staff_messages,
    away,
    incoming,
    flow_text,
    notices,
    digest_notices,
    planning_job,
    fallback,
    errors,
)


def register(app: Application) -> None:
    """Register every feature's handlers in the written order."""
    for module in MODULES:
        module.register(app)
