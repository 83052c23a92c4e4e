"""The Telegram conversation layer: parse the update, call the domain, render the reply.

One package per feature (see docs/architecture.md); shared helpers live in `handlers.common`.
Timed jobs are registered by `bot.jobs`, not here.
"""

from __future__ import annotations

from telegram.ext import Application

from handlers.announcements import announce
from handlers.announcements import notices as announcement_notices
from handlers.announcements import sent as announcements_sent
from handlers.assessment import assess, expect, sweep
from handlers.calendar import terms
from handlers.common import errors, fallback, flow_text, groups, help, middleware, pupil_choice
from handlers.delivery import digests
from handlers.delivery import report as delivery_report
from handlers.meetings import availability, family, meeting, rounds, sheet, today, week
from handlers.meetings import overview as meeting_overview
from handlers.messaging import ask, away, hours, incoming, staff
from handlers.people import language, letters, membership, overview, settings, start
from handlers.records import export, grid, profile, pupil_file
from handlers.targets import notices as target_notices
from handlers.targets import support, target

# Order matters: the middleware runs first in its own group, then the gate that keeps the bot
# out of groups and channels in the next; within the default group the first matching handler
# wins, so typed-text routing and the catch-all fallbacks come last.
MODULES = (
    middleware,
    groups,
    membership,
    start,
    help,
    hours,
    language,
    settings,
    overview,
    pupil_choice,
    assess,
    sweep,
    pupil_file,
    profile,
    grid,
    target,
    support,
    expect,
    rounds,
    terms,
    availability,
    today,
    week,
    meeting,
    sheet,
    meeting_overview,
    family,
    export,
    letters,
    delivery_report,
    announce,
    announcements_sent,
    announcement_notices,
    ask,
    staff,
    away,
    incoming,
    flow_text,
    target_notices,
    digests,
    fallback,
    errors,
)


def register(app: Application) -> None:
    """Register every feature's handlers in the written order."""
    for module in MODULES:
        module.register(app)
