"""The tests' hand on the one clock (models.common.clock), through time-machine.

`MENTORBOT_TEST_CLOCK` (an ISO datetime with an offset) moves the clock for a whole run: every
test starts at that moment and time flows from there. CI sets it to 23:30 in London the evening
before British Summer Time begins, in another school year, so a test that leans on the real
date, the hour or the clock change shows itself. A test that needs a moment of its own asks for
the `clock` fixture, which travels on top of the moved clock.

Child processes (`python -m bot ...`) get the same moment: `child_env` passes the parent's "now"
and puts `tests/clock_shim` (a `sitecustomize`) first on the child's PYTHONPATH.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine

VARIABLE = "MENTORBOT_TEST_CLOCK"
ROOT = Path(__file__).resolve().parents[1]
SHIM = Path(__file__).resolve().with_name("clock_shim")


def moment(text: str) -> datetime:
    """An ISO datetime that names its offset (a bare local time would mean a different moment
    on every machine)."""
    when = datetime.fromisoformat(text)
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{VARIABLE}={text!r} needs an offset, e.g. 2028-03-25T23:30:00+00:00")
    return when


def moved_to() -> datetime | None:
    """The moment MENTORBOT_TEST_CLOCK moves the whole run to, if it is set."""
    text = os.environ.get(VARIABLE, "").strip()
    return moment(text) if text else None


class Clock:
    """Travel to a moment (`tick=False` stops time there, `tick=True` lets it run on) and
    move on with `shift`. Undone when the test ends."""

    def __init__(self) -> None:
        self._travel: time_machine.travel | None = None
        self._traveller: time_machine.Traveller | None = None

    def travel(self, when: datetime, *, tick: bool = True) -> None:
        if when.tzinfo is None:
            raise ValueError("travel to an aware datetime")
        if self._traveller is None:
            self._travel = time_machine.travel(when, tick=tick)
            self._traveller = self._travel.start()
        else:
            self._traveller.move_to(when, tick=tick)

    def shift(self, delta: timedelta) -> None:
        if self._traveller is None:
            raise RuntimeError("clock.travel(...) first")
        self._traveller.shift(delta)

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = self._traveller = None


def child_env(env: Mapping[str, str]) -> dict[str, str]:
    """The environment for a child `python -m bot ...`: the checkout on its PYTHONPATH and, when
    the test's clock is moved, the shim that moves the child's clock to the test's "now"."""
    child = dict(env)
    child["PYTHONPATH"] = str(ROOT)
    if time_machine.escape_hatch.is_travelling():
        child["PYTHONPATH"] = os.pathsep.join((str(SHIM), str(ROOT)))
        child[VARIABLE] = datetime.now(UTC).isoformat()
    else:
        child.pop(VARIABLE, None)
    return child
