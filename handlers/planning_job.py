"""The planning job: every tick, the leading process turns due timed work into outbox rows.

It also runs a second after start-up, so work that fell due while no process ran is done then.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram.ext import Application

from handlers.context import MentorContext
from scheduler.leader import Leadership
from scheduler.planning import plan_due_work

logger = logging.getLogger(__name__)

JOB_NAME = "planning"
TICK_SECONDS = 30.0
FIRST_TICK_SECONDS = 1.0


async def plan(context: MentorContext) -> None:
    """Plan if this process leads; another process takes over within a tick if it dies."""
    services = context.services
    if services.leadership is None:
        services.leadership = Leadership(services.settings.database_url)
    if not await services.leadership.lead():
        return
    done = await plan_due_work(now=datetime.now(UTC))
    if any(done.values()):
        logger.info("Planned: %s", ", ".join(f"{k}={v}" for k, v in done.items()))


def register(app: Application) -> None:
    if app.job_queue is None:
        raise RuntimeError("the job queue is missing: install python-telegram-bot[job-queue]")
    app.job_queue.run_repeating(
        plan, interval=TICK_SECONDS, first=FIRST_TICK_SECONDS, name=JOB_NAME
    )
