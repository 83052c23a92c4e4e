"""`python -m bot` does what `mentorbot` does."""

import sys

from bot.cli import main

sys.exit(main())
