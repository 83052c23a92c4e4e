"""Outbox delivery on a real database, with a fake `send` standing in for Telegram."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest

from models import Guardian, Notification
from models.common.enums import Area, NotificationState, Role
from models.people.access import resolve_actor
from models.targets.targeting import set_target
from scheduler.delivery import (
    RetryLater,
    Undeliverable,
    Unreachable,
    backoff,
    deliver_due,
)
from scheduler.outbox import MAX_ATTEMPTS, claim_due
from scheduler.pacing import pause_until
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
EWA, PIOTR, OLGA = 301, 302, 303


@pytest.fixture
async def world(db: str) -> dict[str, int]:
    """Maja with two linked parents, Jan with one, and Maja's teacher."""
    school = await make_school()
    c3 = await make_class(school, "3B")
    maja = await make_pupil(school, c3, "P1", "Maja")
    jan = await make_pupil(school, c3, "P2", "Jan")
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=103)
    ewa = await make_guardian(school, "G1", (maja,), telegram_user_id=EWA)
    piotr = await make_guardian(school, "G2", (maja,), telegram_user_id=PIOTR, first_name="Piotr")
    olga = await make_guardian(school, "G3", (jan,), telegram_user_id=OLGA, first_name="Olga")
    return {"maja": maja.id, "ewa": ewa.id, "piotr": piotr.id, "olga": olga.id}


async def queue(guardian_id: int, chat_id: int, key: str, due_at: datetime = NOW) -> Notification:
    return await Notification.create(
        guardian_id=guardian_id,
        chat_id=chat_id,
        kind="test",
        params={},
        due_at=due_at,
        idempotency_key=key,
    )


class FakeTelegram:
    """Records what was sent; `fail` maps a chat id to the error its sends raise."""

    def __init__(self, delay: float = 0.0) -> None:
        self.sent: list[int] = []
        self.times: list[float] = []
        self.fail: dict[int, Exception] = {}
        self.delay = delay

    async def send(self, row: Notification) -> int:
        self.times.append(time.monotonic())
        if self.delay:
            await asyncio.sleep(self.delay)
        if row.chat_id in self.fail:
            raise self.fail[row.chat_id]
        self.sent.append(row.id)
        return 1000 + row.id


async def test_due_rows_are_sent_once_and_future_rows_wait(world: dict[str, int]) -> None:
    due = [await queue(world["ewa"], EWA, "a"), await queue(world["piotr"], PIOTR, "b")]
    later = await queue(world["olga"], OLGA, "c", due_at=NOW + timedelta(minutes=5))
    telegram = FakeTelegram()
    result = await deliver_due(telegram.send, now=NOW, pace=0)
    assert (result.sent, result.rescheduled, result.dead) == (2, 0, 0)
    assert telegram.sent == [row.id for row in due]
    assert (await deliver_due(telegram.send, now=NOW + timedelta(minutes=1), pace=0)).handled == 0
    row = await Notification.get(id=due[0].id)
    assert (row.state, row.telegram_message_id) == (NotificationState.SENT, 1000 + row.id)
    assert row.sent_at is not None
    assert NOW <= row.sent_at < NOW + timedelta(seconds=1)  # when it went out
    assert row.claimed_until is None
    await deliver_due(telegram.send, now=NOW + timedelta(minutes=5), pace=0)
    assert telegram.sent == [*(row.id for row in due), later.id]


async def test_one_chat_gets_one_row_per_tick_oldest_first(world: dict[str, int]) -> None:
    second = await queue(world["ewa"], EWA, "a2", due_at=NOW - timedelta(seconds=1))
    first = await queue(world["ewa"], EWA, "a1", due_at=NOW - timedelta(seconds=2))
    telegram = FakeTelegram()
    await deliver_due(telegram.send, now=NOW, pace=0)
    # Within a second of the first going out, the chat waits: Telegram allows about one a second.
    await deliver_due(telegram.send, now=NOW + timedelta(milliseconds=500), pace=0)
    assert telegram.sent == [first.id]
    await deliver_due(telegram.send, now=NOW + timedelta(seconds=1.5), pace=0)
    assert telegram.sent == [first.id, second.id]


async def test_two_deliveries_at_once_never_send_the_same_row(world: dict[str, int]) -> None:
    rows = [await queue(world["ewa"], 400 + n, f"r{n}") for n in range(6)]
    telegram = FakeTelegram(delay=0.05)
    results = await asyncio.gather(
        deliver_due(telegram.send, now=NOW, batch=3, pace=0),
        deliver_due(telegram.send, now=NOW, batch=3, pace=0),
        deliver_due(telegram.send, now=NOW, batch=3, pace=0),
    )
    assert len(set(telegram.sent)) == len(telegram.sent) == sum(r.sent for r in results) >= 3
    # On PostgreSQL a delivery may find the rest locked by another's claim for a moment;
    # they go out on the next tick, still once each.
    await deliver_due(telegram.send, now=NOW, batch=6, pace=0)
    assert sorted(telegram.sent) == sorted(row.id for row in rows)
    assert await Notification.filter(state=NotificationState.SENT).count() == 6


async def test_flood_control_reschedules_by_the_servers_retry_after(world: dict[str, int]) -> None:
    row = await queue(world["ewa"], EWA, "a")
    telegram = FakeTelegram()
    telegram.fail[EWA] = RetryLater(7, "RetryAfter")
    assert (await deliver_due(telegram.send, now=NOW, pace=0)).rescheduled == 1
    stored = await Notification.get(id=row.id)
    assert (stored.state, stored.attempts, stored.last_error) == ("pending", 1, "RetryAfter")
    assert (stored.due_at, stored.claimed_until) == (NOW + timedelta(seconds=7), None)
    del telegram.fail[EWA]
    assert (await deliver_due(telegram.send, now=NOW + timedelta(seconds=6), pace=0)).handled == 0
    await deliver_due(telegram.send, now=NOW + timedelta(seconds=7), pace=0)
    assert telegram.sent == [row.id]


async def test_server_errors_back_off_then_give_up_after_eight_attempts(
    world: dict[str, int],
) -> None:
    row = await queue(world["ewa"], EWA, "a")
    telegram = FakeTelegram()
    telegram.fail[EWA] = RetryLater(None, "NetworkError")
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS):
        await deliver_due(telegram.send, now=now, pace=0)
        stored = await Notification.get(id=row.id)
        delay = (stored.due_at - now).total_seconds()
        assert stored.attempts == attempt
        assert 0.8 * min(300, 2**attempt) <= delay <= 1.2 * min(300, 2**attempt)
        early = stored.due_at - timedelta(seconds=1)
        assert (await deliver_due(telegram.send, now=early, pace=0)).handled == 0
        now = stored.due_at
    result = await deliver_due(telegram.send, now=now, pace=0)
    stored = await Notification.get(id=row.id)
    assert (result.dead, stored.state, stored.attempts) == (1, "dead", MAX_ATTEMPTS)
    assert stored.last_error == "NetworkError"
    assert len(telegram.times) == MAX_ATTEMPTS
    assert (await deliver_due(telegram.send, now=now + timedelta(days=1), pace=0)).handled == 0


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    for attempts, base in ((1, 2), (4, 16), (8, 256), (9, 300), (20, 300)):
        assert 0.8 * base <= backoff(attempts) <= 1.2 * base


async def test_a_blocked_parent_is_unreachable_and_gets_nothing_more(
    world: dict[str, int],
) -> None:
    blocked = await queue(world["ewa"], EWA, "a")
    also_pending = await queue(world["ewa"], EWA, "a2", due_at=NOW + timedelta(minutes=1))
    telegram = FakeTelegram()
    telegram.fail[EWA] = Unreachable()
    result = await deliver_due(telegram.send, now=NOW, pace=0)
    assert result.dead == 2
    for row_id in (blocked.id, also_pending.id):
        stored = await Notification.get(id=row_id)
        assert (stored.state, stored.last_error) == ("dead", "blocked")
    assert (await Guardian.get(id=world["ewa"])).unreachable_at == NOW
    assert (await Guardian.get(id=world["piotr"])).unreachable_at is None

    teacher = await resolve_actor(103)
    await set_target(teacher, world["maja"], Area.MATHS, "Counts in fives", "", now=NOW)
    queued = await Notification.filter(kind="target_set").values_list("chat_id", flat=True)
    assert queued == [PIOTR]

    # A later 403 does not move the moment she was first found unreachable.
    await queue(world["ewa"], EWA, "late", due_at=NOW + timedelta(hours=1))
    await deliver_due(telegram.send, now=NOW + timedelta(hours=1), pace=0)
    assert (await Guardian.get(id=world["ewa"])).unreachable_at == NOW


async def test_one_failing_row_does_not_stop_the_others(
    world: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    for n, chat in enumerate((EWA, PIOTR, OLGA, 304)):
        await queue(world["ewa"], chat, f"r{n}")
    telegram = FakeTelegram()
    telegram.fail[EWA] = RuntimeError("a bug while rendering Maja's notice")
    telegram.fail[PIOTR] = Undeliverable("stale")
    with caplog.at_level(logging.INFO, logger="scheduler.delivery"):
        result = await deliver_due(telegram.send, now=NOW, pace=0)
    assert (result.sent, result.rescheduled, result.dead) == (2, 1, 1)
    states = dict(await Notification.all().values_list("chat_id", "last_error"))
    assert states == {EWA: "RuntimeError", PIOTR: "stale", OLGA: "", 304: ""}
    assert "Maja" not in caplog.text
    assert "2 sent, 1 rescheduled, 1 dead" in caplog.text


async def test_every_claim_takes_the_next_slots_of_one_shared_pace(
    world: dict[str, int],
) -> None:
    for n in range(5):
        await queue(world["ewa"], 400 + n, f"r{n}")
    # Two processes claiming one after the other share one pace: 25 a second, no overlap.
    first = await claim_due(now=NOW, batch=3, pace=0.04, horizon=1.0)
    second = await claim_due(now=NOW, batch=3, pace=0.04, horizon=1.0)
    slots = [(c.send_at - NOW).total_seconds() for c in [*first, *second]]
    assert slots == pytest.approx([0.0, 0.04, 0.08, 0.12, 0.16])


async def test_a_claim_takes_only_the_slots_inside_its_horizon(world: dict[str, int]) -> None:
    for n in range(10):
        await queue(world["ewa"], 400 + n, f"r{n}")
    claims = await claim_due(now=NOW, batch=10, pace=0.25, horizon=0.5)
    assert len(claims) == 3  # at 0, 0.25 and 0.5 seconds
    # A flood wait pauses everyone: nothing is claimed before it ends.
    await pause_until(NOW + timedelta(seconds=5))
    assert await claim_due(now=NOW + timedelta(seconds=2), batch=10, pace=0.25, horizon=0.5) == []
    later = await claim_due(now=NOW + timedelta(seconds=5), batch=10, pace=0.25, horizon=0.5)
    assert len(later) == 3
