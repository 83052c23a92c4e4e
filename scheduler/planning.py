"""Timed work planned from the database, the source of truth: what is due becomes outbox rows.

Every step is idempotent (deterministic idempotency keys) and looks at what is due now,
including what fell due while no process ran, so a restart or deploy neither skips nor
repeats anything. Only the leader runs it (`scheduler.leader`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from models.calendar.halfterm_reminders import plan_halfterm_reminders
from models.common.processed_updates import forget_processed
from models.messaging.conversations import plan_message_digests

logger = logging.getLogger(__name__)

Step = Callable[..., Awaitable[int]]
STEPS: tuple[tuple[str, Step], ...] = (
    ("halfterm_reminders", plan_halfterm_reminders),
    ("message_digests", plan_message_digests),
    ("forget_processed_updates", forget_processed),
)


async def plan_due_work(*, now: datetime) -> dict[str, int]:
    """Run every planning step once; a failing step is logged and the others still run."""
    done: dict[str, int] = {}
    for name, step in STEPS:
        try:
            done[name] = await step(now=now)
        except Exception as error:
            logger.exception("Planning step %s failed: %s", name, type(error).__name__)
    return done
