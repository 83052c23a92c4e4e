"""Long polling keeps each update before it is confirmed, and a start finishes what was kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from bot import polling
from bot.emulator import BotApiEmulator
from models import InboxUpdate, ProcessedUpdate, School, ThreadMessage
from models.common import inbox
from models.common.enums import Role
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import running_bot

STRANGER, PARENT, TEACHER = 901, 902, 903
KEPT_AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


async def kept_by_a_run_that_died(emulator: BotApiEmulator, user_id: int, text: str) -> int:
    """A message the last run fetched and kept, then died: confirmed, but only in the inbox."""
    await emulator.send_text(user_id, text)
    queue = emulator.backend.updates
    update: dict[str, Any] = queue.pending[-1]
    queue.confirm(update["update_id"] + 1)
    await inbox.keep([inbox.Fetched(update["update_id"], user_id, update)], now=KEPT_AT)
    return int(update["update_id"])


async def test_updates_kept_by_a_run_that_died_are_handled_when_the_bot_starts(
    db: str, emulator: BotApiEmulator
) -> None:
    emulator.add_user(STRANGER, "Sam", started=True)
    await kept_by_a_run_that_died(emulator, STRANGER, "/help")
    assert emulator.backend.updates.pending == []
    async with running_bot(emulator, db, over_http=False):
        await emulator.wait_for(lambda: bool(emulator.chat_log(STRANGER)), what="the answer")
    assert len(emulator.chat_log(STRANGER)) == 1
    assert not await InboxUpdate.exists()


async def test_a_kept_update_that_was_already_taken_is_dropped_not_handled_again(
    db: str, emulator: BotApiEmulator
) -> None:
    emulator.add_user(STRANGER, "Sam", started=True)
    taken = await kept_by_a_run_that_died(emulator, STRANGER, "/help")
    await ProcessedUpdate.create(update_id=taken)  # it was being handled when the run died
    async with running_bot(emulator, db, over_http=False):
        await emulator.send_text(STRANGER, "/help")  # a later message shows the queue moved on
        await emulator.wait_for(lambda: bool(emulator.chat_log(STRANGER)), what="the answer")
    assert len(emulator.chat_log(STRANGER)) == 1
    assert not await InboxUpdate.exists()


async def test_a_batch_that_could_not_be_kept_stays_unconfirmed_and_is_fetched_again(
    db: str, emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.add_user(STRANGER, "Sam", started=True)
    real_keep, failures = inbox.keep, []

    async def keep_fails_once(
        batch: Sequence[inbox.Fetched], *, now: datetime
    ) -> list[inbox.Fetched]:
        if not failures:
            failures.append(len(emulator.backend.updates.pending))
            raise ConnectionError("the database went away")
        return await real_keep(batch, now=now)

    monkeypatch.setattr(polling.inbox, "keep", keep_fails_once)
    async with running_bot(emulator, db, over_http=False):
        await emulator.send_text(STRANGER, "/help")
        await emulator.wait_for(lambda: bool(emulator.chat_log(STRANGER)), what="the answer")
    assert failures == [1]  # Telegram still held the update when keeping it failed
    assert len(emulator.chat_log(STRANGER)) == 1


async def test_kept_updates_go_first_and_each_chat_is_handled_in_the_order_written(
    db: str, emulator: BotApiEmulator
) -> None:
    school = await make_school()
    await School.filter(id=school.id).update(office_opens="00:00", office_closes="00:00")
    klass = await make_class(school, "3B")
    await make_staff(school, "T3", Role.TEACHER, (klass,), telegram_user_id=TEACHER)
    pupil = await make_pupil(school, klass, "P1", "Maja")
    await make_guardian(school, "G1", (pupil,), telegram_user_id=PARENT)
    emulator.add_user(PARENT, "Ewa", started=True)
    emulator.add_user(TEACHER, "Amira", started=True)
    for n in (1, 2, 3):
        await kept_by_a_run_that_died(emulator, PARENT, f"note {n}")
    for n in (4, 5):
        await emulator.send_text(PARENT, f"note {n}")
    async with running_bot(emulator, db, over_http=False):
        await emulator.wait_for(lambda: len(emulator.chat_log(PARENT)) >= 5, what="5 answers")
    texts = await ThreadMessage.all().order_by("id").values_list("text", flat=True)
    assert texts == [f"note {n}" for n in (1, 2, 3, 4, 5)]
    assert not await InboxUpdate.exists()


async def test_a_stop_leaves_the_backlog_in_the_inbox_and_the_next_start_handles_it_once(
    db: str, emulator: BotApiEmulator
) -> None:
    emulator.add_user(STRANGER, "Sam", started=True)
    sent = 200
    for _ in range(sent):
        await emulator.send_text(STRANGER, "/help")
    async with running_bot(emulator, db, over_http=False):
        await emulator.wait_for(lambda: bool(emulator.chat_log(STRANGER)), what="an answer")
    answered_before = len(emulator.chat_log(STRANGER))
    assert answered_before < sent  # the stop did not wait for the whole backlog
    async with running_bot(emulator, db, over_http=False):
        await emulator.wait_for(
            lambda: len(emulator.chat_log(STRANGER)) >= sent, what="every answer"
        )
    assert len(emulator.chat_log(STRANGER)) == sent
    assert not await InboxUpdate.exists()
