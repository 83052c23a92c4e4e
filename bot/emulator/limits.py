"""Flood limits, injected faults and the counters benchmarks read."""

from __future__ import annotations

import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.emulator.errors import ApiError, error_for_status, too_many_requests

SENDING_METHODS = frozenset(
    name.lower()
    for name in (
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendMediaGroup",
        "sendLocation",
        "sendContact",
        "sendPoll",
        "sendDice",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    )
)


@dataclass(frozen=True)
class RateLimits:
    """Telegram-like flood limits over sliding windows; None switches a limit off."""

    overall_per_second: float | None = 30
    per_chat_per_second: float | None = 1
    per_group_per_minute: float | None = 20


class _Window:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.stamps: deque[float] = deque()

    def wait_needed(self, now: float, limit: float) -> float:
        while self.stamps and self.stamps[0] <= now - self.seconds:
            self.stamps.popleft()
        if len(self.stamps) < limit:
            return 0.0
        return self.stamps[0] + self.seconds - now


class RateLimiter:
    """Enforces RateLimits over the sending methods."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._overall = _Window(1.0)
        self._chats: dict[int, _Window] = {}
        self._groups: dict[int, _Window] = {}

    def check(self, method: str, chat_id: int | None) -> int | None:
        """Retry-after seconds if this send would exceed a limit; else count it and None."""
        if method.lower() not in SENDING_METHODS:
            return None
        now = self._clock()
        checks: list[tuple[_Window, float]] = []
        if self.limits.overall_per_second is not None:
            checks.append((self._overall, self.limits.overall_per_second))
        if chat_id is not None and self.limits.per_chat_per_second is not None:
            window = self._chats.setdefault(chat_id, _Window(1.0))
            checks.append((window, self.limits.per_chat_per_second))
        if chat_id is not None and chat_id < 0 and self.limits.per_group_per_minute is not None:
            window = self._groups.setdefault(chat_id, _Window(60.0))
            checks.append((window, self.limits.per_group_per_minute))
        wait = max((window.wait_needed(now, limit) for window, limit in checks), default=0.0)
        if wait > 0:
            return max(1, math.ceil(wait))
        for window, _ in checks:
            window.stamps.append(now)
        return None


@dataclass
class FaultRule:
    """Answer the next `times` calls of a method (optionally in one chat) with an error."""

    method: str
    status: int = 429
    retry_after: int = 1
    times: int = 1
    chat_id: int | None = None
    description: str | None = None


class FaultInjector:
    """Holds pending fault rules and hands out their errors."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []

    def add(self, rule: FaultRule) -> None:
        """Queue a rule; rules are used in the order they were added."""
        self.rules.append(rule)

    def take(self, method: str, chat_id: int | None) -> ApiError | None:
        """The error for this call if a rule matches (consuming one use of it)."""
        for rule in self.rules:
            if rule.method.lower() != method.lower():
                continue
            if rule.chat_id is not None and rule.chat_id != chat_id:
                continue
            rule.times -= 1
            if rule.times <= 0:
                self.rules.remove(rule)
            return error_for_status(rule.status, rule.retry_after, rule.description)
        return None


@dataclass
class EmulatorStats:
    """Counters over everything the emulator answered."""

    requests: Counter[str] = field(default_factory=Counter)
    errors: Counter[int] = field(default_factory=Counter)
    rate_limited: int = 0
    rate_limited_by_chat: Counter[int] = field(default_factory=Counter)

    def count_error(self, error: ApiError, chat_id: int | None) -> None:
        """Count an error answer; 429s are also counted per chat."""
        self.errors[error.code] += 1
        if error.code == 429:
            self.rate_limited += 1
            if chat_id is not None:
                self.rate_limited_by_chat[chat_id] += 1


def flood_error(retry_after: int) -> ApiError:
    """The 429 answer for an enforced limit."""
    return too_many_requests(retry_after)
