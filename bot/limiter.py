"""Telegram's flood limits, met without making people wait behind a broadcast.

Replies go out as soon as they are ready. Bulk delivery is paced across every process by the
outbox (`scheduler.pacing`), below Telegram's ~30 messages/s, which leaves headroom for them.
When Telegram still answers 429 to a reply, only that request waits `retry_after` and tries
again; nothing else is held (PTB's AIORateLimiter stops every request during a flood wait,
so one 429 on a broadcast made every reply wait). Outbox sends are never retried here: the
outbox reschedules the row and pauses delivery everywhere instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

_DELIVERING: ContextVar[bool] = ContextVar("delivering_outbox", default=False)
MAX_WAIT_SECONDS = 30.0

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


@contextlib.contextmanager
def outbox_delivery() -> Iterator[None]:
    """Mark the requests made inside as outbox sends: a 429 goes back to the outbox."""
    token = _DELIVERING.set(True)
    try:
        yield
    finally:
        _DELIVERING.reset(token)


def delivering_outbox() -> bool:
    """Whether the requests made now are outbox sends."""
    return _DELIVERING.get()


def retry_after_seconds(error: RetryAfter) -> float:
    """Telegram's `retry_after` in seconds, whichever form PTB gives it in."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ReplyRetry(BaseRateLimiter[None]):
    """Retries a reply after a 429, up to `max_retries` times, holding only that request."""

    def __init__(self, max_retries: int = 3) -> None:
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> JSONResult:
        """Send now; after a 429 wait as told and try again, unless this is an outbox send."""
        retries = 0 if delivering_outbox() else self.max_retries
        attempt = 0
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = retry_after_seconds(error)
                if attempt >= retries or wait > MAX_WAIT_SECONDS:
                    raise
                attempt += 1
                await asyncio.sleep(wait + 0.1)
