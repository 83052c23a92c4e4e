"""/delivery for senior leaders, update ids taken once, and which process plans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from telegram import Update

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models import Guardian, Notification, ProcessedUpdate
from models.common.enums import NotificationState, Role
from models.common.errors import NotAllowed
from models.common.processed_updates import forget_processed, take_update
from models.delivery.report import delivery_report
from models.people.access import resolve_actor
from scheduler.leader import Leadership
from tests.clock import Clock
from tests.conftest import ON_POSTGRES
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog

HEAD, TEACHER, EWA, OLGA = 101, 103, 301, 305
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
async def school(db: str) -> None:
    """A head, a teacher, Ewa (reachable) and Olga (blocked the bot last week)."""
    oakfield = await make_school()
    c3 = await make_class(oakfield, "3B")
    maja = await make_pupil(oakfield, c3, "P1", "Maja")
    jan = await make_pupil(oakfield, c3, "P2", "Jan")
    await make_staff(oakfield, "H1", Role.ADMIN, (), first_name="Helen", telegram_user_id=HEAD)
    await make_staff(oakfield, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    ewa = await make_guardian(oakfield, "G1", (maja,), telegram_user_id=EWA)
    olga = await make_guardian(oakfield, "G2", (jan,), telegram_user_id=OLGA, first_name="Olga")
    await Guardian.filter(id=olga.id).update(unreachable_at=NOW - timedelta(days=7))
    rows = [
        ("due", NotificationState.PENDING, NOW - timedelta(minutes=1), ""),
        ("later", NotificationState.PENDING, NOW + timedelta(hours=20), ""),
        ("sent", NotificationState.SENT, NOW - timedelta(hours=2), ""),
        ("blocked", NotificationState.DEAD, NOW - timedelta(days=7), "blocked"),
        ("stale", NotificationState.DEAD, NOW - timedelta(days=1), "stale"),
    ]
    for key, state, due_at, error in rows:
        await Notification.create(
            school=oakfield,
            guardian=ewa,
            chat_id=EWA,
            kind="target_set",
            due_at=due_at,
            state=state,
            last_error=error,
            sent_at=due_at if state is NotificationState.SENT else None,
            idempotency_key=key,
        )


async def test_the_report_counts_and_lists_families_to_contact_another_way(school: None) -> None:
    report = await delivery_report(await resolve_actor(HEAD), now=NOW)
    assert (report.waiting, report.held, report.sent_today) == (1, 1, 1)
    assert report.dead_recently == {"blocked": 1, "stale": 1}
    assert [(f.guardian, f.children) for f in report.unreachable] == [
        ("Olga Nowak", ("Jan Nowak",))
    ]


async def test_only_senior_leaders_see_the_report(school: None) -> None:
    for person in (TEACHER, EWA):
        with pytest.raises(NotAllowed):
            await delivery_report(await resolve_actor(person), now=NOW)


async def test_delivery_in_chat(
    bot: MentorApplication, emulator: BotApiEmulator, school: None, clock: Clock
) -> None:
    clock.travel(NOW)
    emulator.add_user(HEAD, "Helen", started=True)
    emulator.add_user(TEACHER, "Amira", started=True)
    await dialog(
        emulator.chat(HEAD),
        [
            (
                "/delivery",
                [
                    "Messages from the bot",
                    "Waiting to go now: 1",
                    "blocked the bot or never started it: 1",
                    "1 family cannot be reached in Telegram",
                    "Olga Nowak (Jan Nowak), since",
                ],
            )
        ],
    )
    await dialog(emulator.chat(TEACHER), [("/delivery", "That is not available to you.")])


async def test_an_update_is_taken_once_and_forgotten_after_a_day(db: str) -> None:
    assert await take_update(42)
    assert not await take_update(42)
    await ProcessedUpdate.filter(update_id=42).update(processed_at=NOW - timedelta(days=2))
    await ProcessedUpdate.create(update_id=43)
    assert await forget_processed(now=datetime.now(UTC)) == 1
    assert await ProcessedUpdate.all().values_list("update_id", flat=True) == [43]


async def test_a_redelivered_update_is_not_applied_twice(
    bot: MentorApplication, emulator: BotApiEmulator, school: None
) -> None:
    emulator.add_user(HEAD, "Helen", started=True)
    chat = emulator.chat(HEAD)
    await chat.send("/help")
    update_id = max(await ProcessedUpdate.all().values_list("update_id", flat=True))
    before = len(emulator.chat_log(HEAD))
    # Telegram sends the same update again (say the answer to the webhook got lost).
    redelivered = Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": 999,
                "date": 0,
                "chat": {"id": HEAD, "type": "private"},
                "from": {"id": HEAD, "is_bot": False, "first_name": "Helen"},
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        },
        bot.bot,
    )
    await bot.process_update(redelivered)
    assert len(emulator.chat_log(HEAD)) == before


async def test_one_process_plans_and_another_takes_over_when_it_goes(db: str) -> None:
    first, second = Leadership(db), Leadership(db)
    try:
        assert await first.lead()
        if ON_POSTGRES:
            # The advisory lock is held by the first process's session: the second waits.
            assert not await second.lead()
            assert await first.lead()  # and the first keeps leading, tick after tick
            await first.release()  # the first process dies: its session, and lock, go
            assert await second.lead()
            assert not await first.lead()
        else:
            # SQLite runs one process (a second refuses to start), which always plans.
            assert await second.lead()
    finally:
        await first.release()
        await second.release()
