"""End-to-end updates per second and reply latency, Mentorbot against a bare echo bot.

Both bots poll the same Bot API emulator over HTTP on 127.0.0.1, one after the other and
alternating, in one process, so the ratio holds on a noisy machine. Mentorbot's traffic is a
realistic mix: `/start` from people not linked yet, `/help` from everyone, `/children` and
`/classes` from linked parents and teachers (each a few database queries on SQLite).

    python bench/updates.py [--users 20] [--messages 25] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import database
from bot.emulator import BotApiEmulator
from models import Guardian, GuardianLink, Pupil, School, SchoolClass, Staff
from models.common.enums import Role, YearGroup
from tests.harness import TOKEN, running_bot

FIRST_USER = 10_000


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


@asynccontextmanager
async def echo_bot(emulator: BotApiEmulator) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The baseline: python-telegram-bot with one echo handler and nothing else."""
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{emulator.base_url}/bot")
        .base_file_url(f"{emulator.base_url}/file/bot")
        .build()
    )
    app.add_handler(MessageHandler(filters.ALL, echo))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        yield app
        await app.updater.stop()
        await app.stop()


async def populate(users: int) -> None:
    """A school where half the simulated users are linked parents, some are teachers."""
    school = await School.create(name="Bench Primary", academic_year="2026-27")
    klass = await SchoolClass.create(school=school, name="3B")
    for index in range(users):
        user_id = FIRST_USER + index
        if index % 4 == 0:
            staff = await Staff.create(
                school=school, external_id=f"S{index}", first_name="T", last_name=str(index),
                role=Role.TEACHER, telegram_user_id=user_id,
            )  # fmt: skip
            await staff.classes.add(klass)
        elif index % 4 in (1, 2):
            pupil = await Pupil.create(
                school=school, external_id=f"P{index}", first_name="P", last_name=str(index),
                year_group=YearGroup.Y3, school_class=klass,
            )  # fmt: skip
            guardian = await Guardian.create(
                school=school, external_id=f"G{index}", first_name="G", last_name=str(index),
                language="pl", telegram_user_id=user_id,
            )  # fmt: skip
            await GuardianLink.create(guardian=guardian, pupil=pupil)


def mentorbot_text(index: int, n: int) -> str:
    kind = index % 4
    if kind == 3:  # not linked yet
        return "/start" if n % 2 == 0 else "/help"
    if kind == 0:  # a teacher
        return "/classes" if n % 2 == 0 else "/help"
    return "/children" if n % 2 == 0 else "/help"


async def drive(
    emulator: BotApiEmulator, users: int, messages: int, text_for: Callable[[int, int], str]
) -> tuple[float, list[float]]:
    """Each user sends, waits for the answer, sends again. Returns (updates/s, latencies)."""
    latencies: list[float] = []

    async def one_user(index: int) -> None:
        user_id = FIRST_USER + index
        for n in range(messages):
            before = len(emulator.chat_log(user_id))
            sent = time.perf_counter()
            await emulator.send_text(user_id, text_for(index, n))
            await emulator.wait_for(
                lambda seen=before: len(emulator.chat_log(user_id)) > seen, timeout=30
            )
            latencies.append(time.perf_counter() - sent)

    started = time.perf_counter()
    await asyncio.gather(*(one_user(i) for i in range(users)))
    elapsed = time.perf_counter() - started
    return users * messages / elapsed, latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(users: int, messages: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{folder}/bench.sqlite3"
        await database.migrate(url)
        await database.connect(url)
        await populate(users)
        results: dict[str, list[tuple[float, list[float]]]] = {"echo": [], "mentorbot": []}
        async with BotApiEmulator(token=TOKEN) as emulator:
            for index in range(users):
                emulator.add_user(FIRST_USER + index, f"U{index}")
            for _ in range(rounds):
                async with echo_bot(emulator):
                    results["echo"].append(
                        await drive(emulator, users, messages, lambda i, n: f"hello {n}")
                    )
                async with running_bot(emulator, url, over_http=True):
                    results["mentorbot"].append(
                        await drive(emulator, users, messages, mentorbot_text)
                    )
        await database.disconnect()

    print(f"{users} users x {messages} messages, {rounds} alternating rounds, HTTP to 127.0.0.1")
    print(f"{'bot':<10} {'updates/s':>10} {'p50 ms':>8} {'p99 ms':>8}")
    summary = {}
    for name, runs in results.items():
        rate = statistics.median(r for r, _ in runs)
        latencies = [lat for _, lats in runs for lat in lats]
        p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
        summary[name] = (rate, p50, p99)
        print(f"{name:<10} {rate:>10.0f} {p50:>8.1f} {p99:>8.1f}")
    echo_rate, echo_p50, echo_p99 = summary["echo"]
    ours_rate, ours_p50, ours_p99 = summary["mentorbot"]
    print(
        f"ratio mentorbot/echo: throughput {ours_rate / echo_rate:.2f}x, "
        f"p50 {ours_p50 / echo_p50:.2f}x, p99 {ours_p99 / echo_p99:.2f}x"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--messages", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    asyncio.run(main(options.users, options.messages, options.rounds))
