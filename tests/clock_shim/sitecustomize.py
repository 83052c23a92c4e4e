"""Moves a child process's clock for the tests: `tests.clock.child_env` puts this directory
first on the PYTHONPATH of the `python -m bot ...` it starts, and Python imports this module
at start-up. With MENTORBOT_TEST_CLOCK set, time starts at that moment and flows on.

Tests only: nothing in the program imports it.
"""

from __future__ import annotations

import os

_moment = os.environ.get("MENTORBOT_TEST_CLOCK", "").strip()
if _moment:
    import time_machine

    time_machine.travel(_moment, tick=True).start()
