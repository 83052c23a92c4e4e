"""Several `mentorbot run` processes: on PostgreSQL they share the outbox; on SQLite only one runs.

Telegram is the emulator in this process, over HTTP, enforcing 30 messages/s overall and
1/s per chat and answering 429 beyond them.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.emulator import BotApiEmulator
from bot.emulator.limits import RateLimits
from models import Notification
from models.common.enums import NotificationState
from scheduler.delivery import DeliveryResult, deliver_due
from tests.delivery.broadcast_world import (
    SendLog,
    add_families,
    received,
    seed_target_notices,
    start_bot,
)
from tests.harness import BOT_USERNAME, TOKEN

pytestmark = pytest.mark.e2e

PROCESSES = 3
# 350 families: 50 with three new targets, 150 with two, 150 with one; 600 rows in all.
ROWS_PER_CHAT = [3] * 50 + [2] * 150 + [1] * 150
TELEGRAM_LIMITS = RateLimits(overall_per_second=30, per_chat_per_second=1)
RUN_TIMEOUT = 120.0
# The shared pace keeps every process under the limits; a stray 429 would be a near miss.
MOST_FLOOD_WAITS = 2
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.mark.postgres_only
async def test_three_processes_send_every_row_once_within_telegrams_limits(
    db: str, tmp_path: Path
) -> None:
    families = await seed_target_notices(ROWS_PER_CHAT, due_at=datetime.now(UTC))
    rows = sum(ROWS_PER_CHAT)
    async with BotApiEmulator(TOKEN, BOT_USERNAME, rate_limits=TELEGRAM_LIMITS) as emulator:
        add_families(emulator, families)
        log = SendLog.watch(emulator)
        outputs = [(tmp_path / f"bot{n}.log").open("wb") for n in range(PROCESSES)]
        processes = [start_bot(emulator, db, cwd=tmp_path, output=out) for out in outputs]
        try:
            await emulator.wait_for(lambda: len(log) >= rows, RUN_TIMEOUT, "every message")
            await _outbox_settled()
        finally:
            codes = await asyncio.gather(*(_stop(process) for process in processes))
            for output in outputs:
                output.close()

    got = received(emulator, families)
    assert (got.missing, got.duplicates, got.unexpected) == (0, 0, 0)
    assert len(log) == rows
    assert await Notification.filter(state=NotificationState.SENT).count() == rows
    assert emulator.stats.rate_limited <= MOST_FLOOD_WAITS, log.refused
    assert log.busiest_second() <= 30
    logs = [(tmp_path / f"bot{n}.log").read_text() for n in range(PROCESSES)]
    assert codes == [0] * PROCESSES, logs
    assert all("Outbox: " in text for text in logs)  # every process took its share
    print(
        f"429s {emulator.stats.rate_limited}, busiest second {log.busiest_second()}, "
        f"ticks that sent per process {[text.count('Outbox: ') for text in logs]}"
    )


async def test_a_second_process_on_the_same_sqlite_file_refuses_to_start(
    sqlite_db: str, tmp_path: Path
) -> None:
    async with BotApiEmulator(TOKEN, BOT_USERNAME) as emulator:
        with (tmp_path / "first.log").open("wb") as output:
            first = start_bot(emulator, sqlite_db, cwd=tmp_path, output=output)
            try:
                await emulator.wait_for(
                    lambda: emulator.stats.requests["getUpdates"] > 0, RUN_TIMEOUT, "polling"
                )
                with (tmp_path / "second.log").open("wb") as second_output:
                    second = start_bot(emulator, sqlite_db, cwd=tmp_path, output=second_output)
                    refused = await asyncio.to_thread(second.wait, 60)
            finally:
                stopped = await _stop(first)
    said = (tmp_path / "second.log").read_text()
    assert refused == 3
    assert "Another Mentorbot process is already using this SQLite database" in said
    assert "use PostgreSQL for several" in said
    assert stopped == 0, (tmp_path / "first.log").read_text()


async def _stop(process: subprocess.Popen[bytes]) -> int:
    """SIGTERM, as a deploy does; the exit status once it has stopped cleanly."""
    process.terminate()
    return await asyncio.to_thread(process.wait, 30)


async def _outbox_settled() -> None:
    """Wait until no row is left pending: each is marked sent right after it goes out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while await Notification.filter(state=NotificationState.PENDING).exists():
        assert loop.time() < deadline, "rows still pending after every message arrived"
        await asyncio.sleep(0.1)


async def test_a_slow_telegram_never_lets_another_process_send_a_row_again(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row is only sent while most of its claim is left, so nobody else can claim it meanwhile."""
    monkeypatch.setattr("scheduler.outbox.CLAIM_FOR", timedelta(seconds=2))
    families = await seed_target_notices([1, 1, 1], due_at=NOW)
    sent: list[int] = []

    def sender(delay: float) -> Callable[[Notification], Awaitable[int]]:
        async def send(row: Notification) -> int:
            await asyncio.sleep(delay)
            sent.append(row.id)
            return row.id

        return send

    async def the_other_process() -> DeliveryResult:
        await asyncio.sleep(2.5)  # its next tick, once this process's claims have lapsed
        later = NOW + timedelta(seconds=2.5)
        return await deliver_due(sender(0), now=later, batch=3, pace=0)

    # Each answer takes 1.5 s: past half its claim, this process leaves the rest alone.
    slow, other = await asyncio.gather(
        deliver_due(sender(1.5), now=NOW, batch=3, pace=0), the_other_process()
    )
    assert (slow.sent, other.sent) == (1, 2)
    assert sorted(sent) == sorted(await Notification.all().values_list("id", flat=True))
    assert len(families) == await Notification.filter(state=NotificationState.SENT).count()


async def test_a_chats_next_message_waits_a_second_from_when_the_last_went_out(db: str) -> None:
    """Not from when its tick began: a message sent late in a tick would otherwise be followed
    by the chat's next one within the second (the several-process run above got 429s so)."""
    families = await seed_target_notices([1, 2], due_at=NOW)
    sent: list[int] = []

    async def send(row: Notification) -> int:
        sent.append(row.chat_id)
        return row.id

    # One slot at the tick's start, the next half a second into it: the family with two rows.
    await deliver_due(send, now=NOW, batch=2, pace=0.5, horizon=0.9)
    assert sent == [families[0].chat_id, families[1].chat_id]
    await deliver_due(send, now=NOW + timedelta(seconds=1), batch=2, pace=0)
    assert len(sent) == 2
    await deliver_due(send, now=NOW + timedelta(seconds=1.6), batch=2, pace=0)
    assert sent[2:] == [families[1].chat_id]
