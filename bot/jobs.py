"""The application's timed jobs, registered in one place: outbox delivery and planning.

Delivery ticks every second in every process. Planning ticks every 30 s (and a second after
start-up, so work that fell due while no process ran is done then), but only the process that
leads plans; another takes over within a tick if it dies.
"""

from __future__ import annotations

import logging
import math

from telegram.ext import Application

from bot.limiter import outbox_delivery
from handlers.common.context import MentorContext
from handlers.delivery.notices import send_notice
from models.common.clock import now
from models.delivery.outbox import Notification
from scheduler.delivery import deliver_due
from scheduler.leader import Leadership
from scheduler.planning import plan_due_work

logger = logging.getLogger(__name__)

DELIVERY_JOB = "outbox"
DELIVERY_TICK_SECONDS = 1.0
# Slots are booked only this far ahead, so one tick's sending ends before the next begins.
DELIVERY_HORIZON_SECONDS = 0.9
PLANNING_JOB = "planning"
PLANNING_TICK_SECONDS = 30.0
FIRST_TICK_SECONDS = 1.0


async def deliver_notices(context: MentorContext) -> None:
    """Send the notices due, at the shared pace, within this tick."""
    settings = context.services.settings
    bot, default_locale = context.bot, settings.default_locale
    pace = 1 / settings.delivery_rate_per_second

    async def send(row: Notification) -> int | None:
        with outbox_delivery():
            return await send_notice(bot, row, default_locale=default_locale)

    await deliver_due(
        send,
        now=now(),
        batch=math.ceil(DELIVERY_HORIZON_SECONDS / pace) + 1,
        pace=pace,
        horizon=DELIVERY_HORIZON_SECONDS,
    )


async def plan(context: MentorContext) -> None:
    """Plan if this process leads."""
    services = context.services
    if services.leadership is None:
        services.leadership = Leadership(services.settings.database_url)
    if not await services.leadership.lead():
        return
    done = await plan_due_work(now=now())
    if any(done.values()):
        logger.info("Planned: %s", ", ".join(f"{k}={v}" for k, v in done.items()))


def register(app: Application) -> None:
    """Start both repeating jobs on the application's job queue."""
    if app.job_queue is None:
        raise RuntimeError("the job queue is missing: install python-telegram-bot[job-queue]")
    app.job_queue.run_repeating(
        deliver_notices,
        interval=DELIVERY_TICK_SECONDS,
        first=FIRST_TICK_SECONDS,
        name=DELIVERY_JOB,
    )
    app.job_queue.run_repeating(
        plan, interval=PLANNING_TICK_SECONDS, first=FIRST_TICK_SECONDS, name=PLANNING_JOB
    )
