"""SIGKILL the bot in long-polling mode at random moments of 1,000 updates, restart each time.

Updates are kept in the inbox before Telegram is told they arrived (`bot/polling.py`), so
each kill may cut off at most the one update being handled, and nothing is applied twice.
The bot is the real `mentorbot run` in a process of its own; Telegram is the emulator in this
process. Each update is a parent's note to the class teacher. The first ten a parent sends
are stored as thread messages, so the database shows which were applied and how often; the
rest meet the flood limit and are refused. Either way each handled update gets one answer.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path

import pytest

from bot.emulator import BotApiEmulator
from models import InboxUpdate, School, ThreadMessage
from models.common.enums import MessageDirection, Role
from models.messaging.conversations.family import FLOOD_MAX
from tests.delivery.broadcast_world import start_bot
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import BOT_USERNAME, TOKEN
from tests.kills import kill_as_planned, kill_plan

pytestmark = pytest.mark.e2e

PARENTS, EACH = 50, 20
UPDATES = PARENTS * EACH
FIRST_PARENT, TEACHER = 5_000, 4_000
SEED = 20261207
RUN_TIMEOUT = 180.0


async def seed_families() -> list[int]:
    """One class, its teacher, and fifty parents with a child each; always office hours."""
    school = await make_school()
    await School.filter(id=school.id).update(office_opens="00:00", office_closes="00:00")
    klass = await make_class(school, "3B")
    await make_staff(school, "T3", Role.TEACHER, (klass,), telegram_user_id=TEACHER)
    parents = []
    for n in range(PARENTS):
        pupil = await make_pupil(school, klass, f"P{n}", f"Child{n}")
        chat = FIRST_PARENT + n
        await make_guardian(school, f"G{n}", (pupil,), telegram_user_id=chat)
        parents.append(chat)
    return parents


def answers(emulator: BotApiEmulator, parents: list[int]) -> int:
    """How many messages the bot has sent to the parents (one answer per handled update)."""
    return sum(len(emulator.chat_log(chat)) for chat in parents)


async def applied() -> Counter[str]:
    """Each parent's note as stored, with how many times it was stored."""
    texts = await ThreadMessage.filter(direction=MessageDirection.FROM_GUARDIAN).values_list(
        "text", flat=True
    )
    return Counter(str(text) for text in texts)


async def test_killed_while_polling_the_bot_loses_at_most_one_update_per_kill_and_none_twice(
    db: str, tmp_path: Path
) -> None:
    parents = await seed_families()
    plan = kill_plan(random.Random(SEED), (20, 150))  # noqa: S311 (repeatable, not a secret)
    async with BotApiEmulator(TOKEN, BOT_USERNAME) as emulator:
        emulator.add_user(TEACHER, "Amira", started=True)
        for chat in parents:
            emulator.add_user(chat, f"Parent{chat}", started=True)
        notes = [f"note {chat}-{n}" for n in range(EACH) for chat in parents]
        for note in notes:
            await emulator.send_text(int(note.split()[1].split("-")[0]), note)
        with (tmp_path / "bot.log").open("wb") as output:
            await kill_as_planned(
                emulator,
                db,
                plan,
                lambda: answers(emulator, parents),
                cwd=tmp_path,
                output=output,
                wait_at_most=RUN_TIMEOUT,
            )
            process = start_bot(emulator, db, cwd=tmp_path, output=output)
            try:
                await _all_handled(emulator)
            finally:
                process.terminate()
                stopped = await asyncio.to_thread(process.wait, 30)

    stored = await applied()
    handled = answers(emulator, parents)
    twice = [note for note, n in stored.items() if n > 1]
    over = [chat for chat in parents if len(emulator.chat_log(chat)) > EACH]
    print(
        f"{UPDATES} updates, {len(plan)} kills: {handled} handled, {UPDATES - handled} lost, "
        f"{len(twice)} applied twice; {len(stored)} notes stored"
    )
    assert set(stored) <= set(notes)
    assert (twice, over) == ([], [])
    assert UPDATES - handled <= len(plan)
    assert len(stored) >= PARENTS * FLOOD_MAX - len(plan)
    assert stopped == 0, (tmp_path / "bot.log").read_text()[-3000:]


async def _all_handled(emulator: BotApiEmulator) -> None:
    """Wait until Telegram holds nothing unconfirmed and the inbox is empty."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + RUN_TIMEOUT
    while emulator.backend.updates.pending or await InboxUpdate.exists():
        assert loop.time() < deadline, "updates still waiting after the run"
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # the last update taken is being handled
