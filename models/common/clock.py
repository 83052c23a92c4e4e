"""The one place the code asks for "now": an aware UTC datetime.

Everything that needs the current time calls `now()` (or `today(zone)`) instead of reading
the system clock itself, so tests move time for the whole program with time-machine.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now() -> datetime:
    """The current moment, aware, in UTC."""
    return datetime.now(UTC)


def today(zone: ZoneInfo) -> date:
    """Today's date where `zone` is (a school's day starts at its own midnight)."""
    return now().astimezone(zone).date()
