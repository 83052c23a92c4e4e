"""Deliver due outbox rows through a `send` callable, at a pace Telegram is happy with.

The guarantee, exactly. A row is claimed (`scheduler.outbox.CLAIM_FOR`) before it is sent, and
marked sent, with its message id, in one statement as soon as Telegram answers. A process sends
one row at a time and starts no send once half of a claim has gone (a request ends within
PTB's timeouts, far sooner), so no other process can claim a row while it is being sent.
Hence a committed row is never lost (it ends sent, or dead after MAX_ATTEMPTS, a refusal or a
block) and goes out at most once, except:
- a process dies (or loses its database) after Telegram took the message and before that
  statement commits: that one message goes again once its claim expires. Each crash repeats
  at most one message; the rest of its claimed rows go once, when their claims expire.
- a send times out after Telegram took it: Telegram has no idempotency key, so the retry
  repeats it.

`send` reports how a row failed by raising one of the exceptions below; anything else it
raises counts as a temporary failure, so one bad row never stops the rest of the batch.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from models.common import clock
from models.delivery.outbox import Notification
from models.delivery.policy import hold_for
from scheduler.outbox import (
    claim_due,
    mark_dead,
    mark_sent,
    mark_unreachable,
    postpone,
    reschedule,
)
from scheduler.pacing import pause_until

logger = logging.getLogger(__name__)

# ≤ 25 sends/s from delivery, across every process: under Telegram's ~30/s, with room left
# for interactive replies, which go straight out and are never queued behind a broadcast.
PACE_SECONDS = 0.04
# Each claim takes only the slots of the next tick, so a big backlog never books far ahead.
HORIZON_SECONDS = 2.0
MAX_BACKOFF_SECONDS = 300.0
JITTER = 0.2
_random = secrets.SystemRandom()

Send = Callable[[Notification], Awaitable[int | None]]


class DeliveryError(Exception):
    """A row could not be sent; `reason` is what `last_error` records (a class name or code)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Unreachable(DeliveryError):
    """The recipient blocked the bot or never started it (Telegram's 403)."""

    def __init__(self, reason: str = "blocked") -> None:
        super().__init__(reason)


class RetryLater(DeliveryError):
    """Try again after `seconds` (the server's retry_after), or after a backoff when None."""

    def __init__(self, seconds: float | None = None, reason: str = "RetryLater") -> None:
        super().__init__(reason)
        self.seconds = seconds


class Undeliverable(DeliveryError):
    """Never worth retrying: the content is stale or Telegram refused it as malformed."""


@dataclass
class DeliveryResult:
    """What one call did, as counts only."""

    sent: int = 0
    rescheduled: int = 0
    dead: int = 0
    held: int = 0
    flood_waits: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.rescheduled + self.dead


def backoff(attempts: int) -> float:
    """Seconds before retry number `attempts`: doubling up to five minutes, ±20 % jitter."""
    base = min(MAX_BACKOFF_SECONDS, 2.0**attempts)
    return base * _random.uniform(1 - JITTER, 1 + JITTER)


async def deliver_due(
    send: Send,
    *,
    now: datetime,
    batch: int = 20,
    pace: float = PACE_SECONDS,
    horizon: float = HORIZON_SECONDS,
) -> DeliveryResult:
    """Claim up to `batch` due rows and send each at the time the shared pace gave it.

    Rows that must wait (quiet hours, a digest) are put back at once, without an attempt.
    """
    started = time.monotonic()  # the moment `now` stands for: waits and send times count on
    claims = await claim_due(now=now, batch=batch, pace=pace, horizon=horizon)
    result = DeliveryResult()
    for claim in claims:
        claimed_for = ((claim.row.claimed_until or now) - now).total_seconds()
        if time.monotonic() - started > claimed_for / 2:
            # Telegram has been slow to answer: a send must end well before the claim does,
            # or another process could claim the row and send it too. The rest go once their
            # claims lapse.
            break
        hold = await hold_for(claim.row, now=now)
        if hold is not None:
            await postpone(claim.row, until=hold.until, digest=hold.digest)
            result.held += 1
            continue
        wait = (claim.send_at - now).total_seconds() - (time.monotonic() - started)
        if wait > 0:
            await asyncio.sleep(wait)
        await _deliver(send, claim.row, now, result, started)
    if claims:
        logger.info(
            "Outbox: %d sent, %d rescheduled, %d dead, %d held",
            result.sent,
            result.rescheduled,
            result.dead,
            result.held,
        )
    return result


async def _deliver(
    send: Send, row: Notification, now: datetime, result: DeliveryResult, started: float
) -> None:
    try:
        message_id = await send(row)
    except Unreachable:
        result.dead += await mark_unreachable(row, now=now)
    except Undeliverable as error:
        await mark_dead(row, error=error.reason)
        result.dead += 1
    except RetryLater as error:
        if error.seconds is not None:
            # Telegram's flood wait holds every process, not just this row.
            await pause_until(clock.now() + timedelta(seconds=error.seconds))
            result.flood_waits += 1
        delay = error.seconds if error.seconds is not None else backoff(row.attempts + 1)
        await _retry(row, delay, error.reason, now, result)
    except Exception as error:
        # A bug rendering one row must not hold up the others; it gets the usual retries.
        logger.warning("Sending a notification failed: %s", type(error).__name__)
        await _retry(row, backoff(row.attempts + 1), type(error).__name__, now, result)
    else:
        # When it went out, not when the tick began: the chat's next message is a second later.
        sent_at = now + timedelta(seconds=time.monotonic() - started)
        await mark_sent(row, message_id=message_id, now=sent_at)
        result.sent += 1


async def _retry(
    row: Notification, delay: float, reason: str, now: datetime, result: DeliveryResult
) -> None:
    if await reschedule(row, delay=delay, error=reason, now=now):
        result.rescheduled += 1
    else:
        result.dead += 1
