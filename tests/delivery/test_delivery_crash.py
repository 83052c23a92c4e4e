"""SIGKILL the running bot at random moments of a 1,000-message run, restart it each time.

Nothing committed is lost, and each kill repeats at most the one message in flight (the
guarantee in `scheduler/delivery.py`). The bot is the real `mentorbot run` in a process of
its own; Telegram is the emulator in this process, enforcing 30 messages/s and 1/s per chat.
On a PostgreSQL run the bot processes use that database.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.emulator import BotApiEmulator
from bot.emulator.limits import RateLimits
from models import Notification
from models.common.enums import NotificationState
from tests.delivery.broadcast_world import (
    SendLog,
    add_families,
    received,
    seed_target_notices,
    start_bot,
)
from tests.harness import BOT_USERNAME, TOKEN
from tests.kills import kill_as_planned, kill_plan

pytestmark = pytest.mark.e2e

ROWS = 1_000
SEED = 20261124
# A few flood waits could only come from a restart's first sends; none is needed in practice.
MOST_FLOOD_WAITS = 5
# Long enough for a slow machine; a run normally takes about a minute.
RUN_TIMEOUT = 150.0


async def test_killed_at_random_moments_the_bot_loses_nothing_and_repeats_at_most_one_per_kill(
    db: str, tmp_path: Path
) -> None:
    families = await seed_target_notices(
        [1] * ROWS, due_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    # Mid-sending kills come in the first half of the run: each leaves its claimed rows to
    # wait out their claim (60 s), and the run should not last much longer than that.
    plan = kill_plan(random.Random(SEED), (20, 140))  # noqa: S311 (repeatable, not a secret)
    limits = RateLimits(overall_per_second=30, per_chat_per_second=1)
    async with BotApiEmulator(TOKEN, BOT_USERNAME, rate_limits=limits) as emulator:
        add_families(emulator, families)
        log = SendLog.watch(emulator)
        with (tmp_path / "bot.log").open("wb") as output:
            await kill_as_planned(
                emulator,
                db,
                plan,
                log.__len__,
                cwd=tmp_path,
                output=output,
                wait_at_most=RUN_TIMEOUT,
            )
            process = start_bot(emulator, db, cwd=tmp_path, output=output)
            try:
                await emulator.wait_for(
                    lambda: len({(chat, n) for _, chat, n in log.sent}) >= ROWS, RUN_TIMEOUT
                )
                await _outbox_settled()
            finally:
                process.terminate()
                stopped = await asyncio.to_thread(process.wait, 30)

    got = received(emulator, families)
    print(f"{len(plan)} kills: {got.duplicates} repeated, 429s {emulator.stats.rate_limited}")
    assert (got.missing, got.unexpected) == (0, 0)
    assert got.duplicates <= len(plan)
    assert await Notification.filter(state=NotificationState.SENT).count() == ROWS
    assert not await Notification.filter(claimed_until__not_isnull=True).exists()
    assert emulator.stats.rate_limited <= MOST_FLOOD_WAITS, log.refused
    assert stopped == 0, (tmp_path / "bot.log").read_text()[-3000:]


async def _outbox_settled() -> None:
    """Wait until no row is left pending: each was marked sent right after it went out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while await Notification.filter(state=NotificationState.PENDING).exists():
        assert loop.time() < deadline, "rows still pending after every message arrived"
        await asyncio.sleep(0.1)
