"""Mentorbot: app wiring, configuration and the command line."""

import os

# Opt in to python-telegram-bot's coming behaviour (durations as timedelta) instead of a
# deprecation warning on every 429 answer.
os.environ.setdefault("PTB_TIMEDELTA", "true")
