"""Kill the real bot with SIGKILL at planned moments: the crash tests of both directions."""

from __future__ import annotations

import asyncio
import random
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import IO

from bot.emulator import BotApiEmulator
from tests.delivery.broadcast_world import start_bot

# (when, amount): ("start", seconds after its getMe) or ("working", after `amount` more done).
Kill = tuple[str, float]


def kill_plan(rnd: random.Random, working: tuple[int, int], kills: int = 5) -> list[Kill]:
    """Two kills soon after a start (in seconds), the rest mid-work (after n more done)."""
    plan = [("start", rnd.uniform(0.0, 1.5)) for _ in range(2)]
    plan += [("working", float(rnd.randint(*working))) for _ in range(kills - 2)]
    rnd.shuffle(plan)
    return plan


async def kill_as_planned(
    emulator: BotApiEmulator,
    database_url: str,
    plan: list[Kill],
    done: Callable[[], int],
    *,
    cwd: Path,
    output: IO[bytes],
    wait_at_most: float,
) -> None:
    """Start `mentorbot run` and SIGKILL it at each planned moment; `done` counts progress."""
    for kind, amount in plan:
        starts = emulator.stats.requests["getMe"]
        process = start_bot(emulator, database_url, cwd=cwd, output=output)
        try:
            if kind == "start":
                await emulator.wait_for(
                    lambda s=starts: emulator.stats.requests["getMe"] > s, wait_at_most
                )
                await asyncio.sleep(amount)  # a random moment of its start-up
            else:
                goal = done() + int(amount)
                await emulator.wait_for(lambda g=goal: done() >= g, wait_at_most)
        finally:
            await kill(process)


async def kill(process: subprocess.Popen[bytes]) -> None:
    process.kill()  # SIGKILL: no clean-up of any kind
    await asyncio.to_thread(process.wait, 30)
