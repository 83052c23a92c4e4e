"""Quiet hours, daily and weekly digests and /settings, on a real database and the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from handlers.delivery import notices
from models import Notification, TargetAcknowledgement, UserPreference
from models.common.enums import Area, NotificationState, Role, UpdateFrequency
from models.common.errors import NotAllowed
from models.delivery.policy import (
    Hold,
    hold_for,
    in_quiet_hours,
    next_digest,
    quiet_ends_after,
)
from models.people.access import resolve_actor
from models.people.preferences import choose_updates
from models.targets.targeting import set_target
from scheduler.delivery import DeliveryResult, deliver_due
from tests.clock import Clock
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog, running_bot

LONDON = ZoneInfo("Europe/London")
TEACHER, EWA, OLGA = 103, 301, 305


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, London time (Tuesday 24th is a school day)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (time(19, 59), False),
        (time(20, 0), True),
        (time(23, 30), True),
        (time(0, 0), True),
        (time(7, 29), True),
        (time(7, 30), False),
        (time(12, 0), False),
    ],
)
def test_quiet_hours_run_past_midnight(moment: time, quiet: bool) -> None:
    assert in_quiet_hours(moment, time(20, 0), time(7, 30)) is quiet


def test_equal_start_and_end_mean_no_quiet_hours() -> None:
    assert not in_quiet_hours(time(3, 0), time(0, 0), time(0, 0))


def test_quiet_hours_end_the_next_morning_or_the_same_morning() -> None:
    evening, small_hours = local(24, 21, 15), local(25, 2, 0)
    assert quiet_ends_after(evening, LONDON, time(20), time(7, 30)) == local(25, 7, 30)
    assert quiet_ends_after(small_hours, LONDON, time(20), time(7, 30)) == local(25, 7, 30)
    assert quiet_ends_after(local(24, 12), LONDON, time(20), time(7, 30)) is None


def test_digests_come_at_six_daily_and_on_friday_weekly() -> None:
    assert next_digest(local(24, 9), LONDON, UpdateFrequency.DAILY) == local(24, 18)
    assert next_digest(local(24, 18), LONDON, UpdateFrequency.DAILY) == local(24, 18)
    assert next_digest(local(24, 18, 1), LONDON, UpdateFrequency.DAILY) == local(25, 18)
    assert next_digest(local(24, 9), LONDON, UpdateFrequency.WEEKLY) == local(27, 18)
    assert next_digest(local(27, 19), LONDON, UpdateFrequency.WEEKLY) == datetime(
        2026, 12, 4, 18, tzinfo=LONDON
    )


def test_a_digest_keeps_its_wall_clock_time_across_the_clock_change() -> None:
    # British Summer Time ends on Sunday 25 October 2026: Friday's digest is still at 18:00.
    before = datetime(2026, 10, 24, 9, tzinfo=LONDON)
    friday = next_digest(before, LONDON, UpdateFrequency.WEEKLY)
    assert friday == datetime(2026, 10, 30, 18, tzinfo=LONDON)
    assert friday.astimezone(UTC).hour == 18  # GMT again by then


@pytest.fixture
async def family(db: str) -> dict[str, int]:
    """Maja (3B) with Ewa, a school with the usual quiet hours, and Jan with Olga."""
    school = await make_school(quiet_hours=True)
    c3 = await make_class(school, "3B")
    maja = await make_pupil(school, c3, "P1", "Maja")
    jan = await make_pupil(school, c3, "P2", "Jan")
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    ewa = await make_guardian(school, "G1", (maja,), telegram_user_id=EWA)
    await make_guardian(school, "G2", (jan,), telegram_user_id=OLGA, first_name="Olga")
    return {"school": school.id, "maja": maja.id, "jan": jan.id, "ewa": ewa.id}


async def new_target(pupil_id: int, text: str, when: datetime) -> int:
    teacher = await resolve_actor(TEACHER)
    target = await set_target(teacher, pupil_id, Area.WRITING, text, "Read together", now=when)
    return target.id


async def test_routine_news_waits_for_the_morning_and_meeting_news_of_today_does_not(
    family: dict[str, int],
) -> None:
    await new_target(family["maja"], "Full stops", local(24, 21))
    row = await Notification.get(kind="target_set")
    assert await hold_for(row, now=local(24, 21)) == Hold(local(25, 7, 30), digest=False)
    assert await hold_for(row, now=local(25, 7, 30)) is None
    # Kinds outside the policy (a notice's file, future safeguarding messages) never wait.
    row.kind = "file"
    assert await hold_for(row, now=local(24, 21)) is None


async def test_a_held_row_is_put_back_without_using_up_an_attempt(
    family: dict[str, int],
) -> None:
    await new_target(family["maja"], "Full stops", local(24, 21))
    sent: list[int] = []

    async def send(row: Notification) -> int:
        sent.append(row.id)
        return 1

    result = await deliver_due(send, now=local(24, 21, 1), pace=0)
    assert (result.held, result.sent) == (1, 0)
    row = await Notification.get(kind="target_set")
    assert (row.attempts, row.state, row.due_at) == (0, NotificationState.PENDING, local(25, 7, 30))
    assert (await deliver_due(send, now=local(25, 7, 30), pace=0)).sent == 1


async def test_a_row_held_in_summer_time_goes_at_half_past_seven_summer_time(
    family: dict[str, int],
) -> None:
    # Tuesday 15 June 2027, 21:00 in London, is 20:00 UTC; 07:30 the next morning is 06:30 UTC.
    # The delivery loop asks at UTC moments, as clock.now() gives them.
    evening = datetime(2027, 6, 15, 20, tzinfo=UTC)
    morning = datetime(2027, 6, 16, 6, 30, tzinfo=UTC)
    await new_target(family["maja"], "Full stops", evening)
    sent: list[int] = []

    async def send(row: Notification) -> int:
        sent.append(row.id)
        return 1

    assert (await deliver_due(send, now=evening, pace=0)).held == 1
    assert (await Notification.get(kind="target_set")).due_at == morning
    assert (await deliver_due(send, now=morning - timedelta(seconds=1), pace=0)).sent == 0
    assert (await deliver_due(send, now=morning + timedelta(seconds=1), pace=0)).sent == 1


async def test_choosing_a_digest_is_for_guardians_only(family: dict[str, int]) -> None:
    with pytest.raises(NotAllowed):
        await choose_updates(await resolve_actor(TEACHER), UpdateFrequency.DAILY, now=local(24, 9))


@pytest.fixture
async def app(db: str, emulator: BotApiEmulator) -> AsyncIterator[MentorApplication]:
    """The bot with its delivery job paused: tests deliver at the moments they choose."""
    async with running_bot(emulator, db, over_http=False) as application:
        assert application.job_queue is not None
        for job in application.job_queue.jobs():
            job.enabled = False
        yield application


async def deliver(app: MentorApplication, now: datetime) -> DeliveryResult:
    async def send(row: Notification) -> int | None:
        return await notices.send_notice(app.bot, row)

    return await deliver_due(send, now=now, pace=0)


async def test_a_daily_digest_gathers_the_days_news_into_one_message_with_one_seen_button(
    app: MentorApplication, emulator: BotApiEmulator, family: dict[str, int]
) -> None:
    emulator.add_user(EWA, "Ewa", started=True)
    ewa = emulator.chat(EWA)
    await dialog(
        ewa,
        [
            ("/settings", ["How often should I send you routine news?", "20:00", "07:30"]),
            ("[Once a day, at 18:00]", "Saved: Once a day, at 18:00."),
        ],
    )
    assert ewa.messages[-1].buttons[1][0][0] == "✅ Once a day, at 18:00"
    # The school is on London time; the digest is built from rows queued during the day.
    first = await new_target(family["maja"], "Full stops in every sentence", local(24, 9))
    second = await new_target(family["maja"], "Joined handwriting", local(24, 11))
    before = len(ewa.messages)
    assert (await deliver(app, local(24, 11, 5))).held == 1  # one row per chat and second
    assert (await deliver(app, local(24, 11, 6))).held == 1
    assert len(ewa.messages) == before  # nothing until the evening
    digest_rows = await Notification.filter(digest=True, due_at=local(24, 18)).count()
    assert digest_rows == 2

    result = await deliver(app, local(24, 18))
    assert result.sent == 1  # one row sent: the other went inside its message
    assert len(ewa.messages) == before + 1
    digest = ewa.messages[-1]
    assert "News from school" in (digest.text or "")
    assert "Full stops in every sentence" in (digest.text or "")
    assert "Joined handwriting" in (digest.text or "")
    assert await Notification.filter(state=NotificationState.SENT).count() == 2
    (message_ids,) = {
        tuple(
            await Notification.filter(kind="target_set").values_list(
                "telegram_message_id", flat=True
            )
        )
    }
    assert len(set(message_ids)) == 1

    await dialog(ewa, [("[👍 Seen]!", "")])
    seen = await TargetAcknowledgement.all().values_list("target_id", flat=True)
    assert sorted(seen) == sorted([first, second])
    assert ewa.messages[-1].buttons[0][0][0] == "✅ Seen"


async def test_going_back_to_instant_sends_what_was_held_at_once(
    app: MentorApplication, emulator: BotApiEmulator, family: dict[str, int]
) -> None:
    ewa = await resolve_actor(EWA)
    await choose_updates(ewa, UpdateFrequency.WEEKLY, now=local(24, 9))
    await new_target(family["maja"], "Full stops", local(24, 9))
    await deliver(app, local(24, 9, 1))
    row = await Notification.get(kind="target_set")
    assert (row.digest, row.due_at) == (True, local(27, 18))
    await choose_updates(ewa, UpdateFrequency.INSTANT, now=local(24, 10))
    row = await Notification.get(kind="target_set")
    assert row.due_at == local(24, 10)
    emulator.add_user(EWA, "Ewa", started=True)
    assert (await deliver(app, local(24, 10))).sent == 1
    assert "News from school" in (emulator.chat_log(EWA)[-1].text or "")


async def test_staff_settings_are_their_booking_news(
    app: MentorApplication, emulator: BotApiEmulator, family: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira", started=True)
    await dialog(emulator.chat(TEACHER), [("/settings", "Booking news from families")])
    settings = emulator.chat_log(TEACHER)[-1]
    assert [text for row in settings.buttons for text, _ in row] == [
        "✅ As it happens",
        "One summary at the end of the school day",
    ]
    # A family's frequency button, forged by a teacher, changes nothing and says why.
    query_id = await emulator.press_button(
        TEACHER, TEACHER, settings.message_id, "v1:upd:daily", forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    assert emulator.callback_answers[query_id][0] == "This button is no longer active."
    assert not await UserPreference.filter(telegram_user_id=TEACHER).exists()


async def test_a_long_digest_goes_as_several_messages_one_row_each_a_second_apart(
    app: MentorApplication, emulator: BotApiEmulator, family: dict[str, int], clock: Clock
) -> None:
    emulator.add_user(EWA, "Ewa", started=True)
    await choose_updates(await resolve_actor(EWA), UpdateFrequency.DAILY, now=local(24, 8))
    teacher = await resolve_actor(TEACHER)
    for n in range(21):  # three in each of the seven areas
        text = (f"Target {n:02d}: " + "reads a longer sentence aloud with expression " * 5)[:400]
        area = list(Area)[n % len(Area)]
        await set_target(teacher, family["maja"], area, text, "Read together", now=local(24, 9))
    await Notification.filter(kind="target_set").update(digest=True, due_at=local(24, 18))
    sent = 0
    for second in range(10):
        # The digest reads the clock to let go what did not fit: it is this second, every time.
        clock.travel(local(24, 18) + timedelta(seconds=second), tick=False)
        sent += (await deliver(app, local(24, 18) + timedelta(seconds=second))).sent
    messages = [m.text or "" for m in emulator.chat_log(EWA)]
    assert 2 <= len(messages) <= 6
    assert all(len(m) <= 4096 for m in messages)
    joined = "\n".join(messages)
    assert all(f"Target {n:02d}:" in joined for n in range(21))
    assert sum(m.count("Target ") for m in messages) == 21  # nothing twice
    assert await Notification.filter(state=NotificationState.SENT).count() == 21
