"""Parents' target notices through the real Application and the Bot API emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot import jobs
from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from bot.i18n import _, use_locale
from handlers.common import callback_data
from handlers.common.labels import area_label
from handlers.delivery import notices
from models import (
    Guardian,
    GuardianLink,
    Notification,
    School,
    Target,
    TargetAcknowledgement,
    UserPreference,
)
from models.common.enums import Area, Role, TargetStatus
from models.common.errors import NotAllowed
from models.people.access import resolve_actor
from models.targets.targeting import review_target, set_target
from scheduler.delivery import DeliveryResult, RetryLater, Undeliverable, Unreachable, deliver_due
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import running_bot

TEACHER, EWA, OLGA, KASIA = 103, 301, 305, 306
TEXT, HOME = "Uses capital letters & full stops", "Read a page <together>"


@pytest.fixture
async def app(
    db: str, emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[MentorApplication]:
    """The bot with notices registered (before the fallbacks) and its delivery job paused."""
    async with running_bot(emulator, db, over_http=False) as application:
        assert application.job_queue is not None
        (job,) = application.job_queue.get_jobs_by_name(jobs.DELIVERY_JOB)
        job.enabled = False
        yield application


@pytest.fixture
async def maja(db: str, emulator: BotApiEmulator) -> int:
    """Maja (3B) with a Polish-speaking mother; Jan's mother Olga; Kasia, restricted to Maja."""
    school = await make_school()
    c3 = await make_class(school, "3B")
    maja = await make_pupil(school, c3, "P1", "Maja")
    jan = await make_pupil(school, c3, "P2", "Jan")
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_guardian(school, "G1", (maja,), language="pl", telegram_user_id=EWA)
    await make_guardian(school, "G2", (jan,), telegram_user_id=OLGA, first_name="Olga")
    await make_guardian(
        school, "G3", (maja,), receives_reports=False, telegram_user_id=KASIA, first_name="Kasia"
    )
    for user_id, name in ((EWA, "Ewa"), (OLGA, "Olga"), (KASIA, "Kasia")):
        emulator.add_user(user_id, name, started=True)
    return maja.id


async def new_target(pupil_id: int, area: Area = Area.WRITING) -> Target:
    teacher = await resolve_actor(TEACHER)
    return await set_target(teacher, pupil_id, area, TEXT, HOME, now=datetime.now(UTC))


async def deliver(app: MentorApplication, *, seconds_later: float = 0) -> DeliveryResult:
    async def send(row: Notification) -> int:
        return await notices.send_notice(app.bot, row)

    now = datetime.now(UTC) + timedelta(seconds=seconds_later)
    return await deliver_due(send, now=now, pace=0)


async def test_the_job_brings_a_new_target_to_the_parent_in_polish(
    app: MentorApplication, emulator: BotApiEmulator, maja: int
) -> None:
    target = await new_target(maja)
    assert app.job_queue is not None
    app.job_queue.get_jobs_by_name(jobs.DELIVERY_JOB)[0].enabled = True
    await emulator.wait_for(lambda: bool(emulator.chat_log(EWA)), timeout=4, what="the notice")
    (message,) = emulator.chat_log(EWA)
    with use_locale("pl"):
        area, button = area_label(Area.WRITING), "👍 " + _("Seen")
    assert area == "Pisanie"
    assert "Maja" in (message.text or "")
    assert f"({area})" in (message.text or "")
    assert TEXT in (message.text or "")
    assert HOME in (message.text or "")
    assert "&lt;" in (message.html or "")
    assert message.buttons == [[(button, callback_data.encode("seen", target.id))]]
    row = await sent_row(EWA)
    assert row.telegram_message_id == message.message_id


async def sent_row(chat_id: int) -> Notification:
    """The chat's notice once the job has marked it sent (that lands just after the message)."""
    for _attempt in range(200):
        row = await Notification.get(chat_id=chat_id)
        if row.state == "sent":
            return row
        await asyncio.sleep(0.02)
    raise AssertionError(f"the notice is still {row.state} after 4 s")


async def test_seen_is_recorded_once_and_the_button_turns_into_a_tick(
    app: MentorApplication, emulator: BotApiEmulator, maja: int
) -> None:
    target = await new_target(maja)
    assert (await deliver(app)).sent == 1
    chat = emulator.chat(EWA)
    data = callback_data.encode("seen", target.id)
    await chat.press_data(data)
    with use_locale("pl"):
        thanks = _("Thank you! Your child's teacher can see that you have read it.")
        again, ticked = _("Already marked as seen."), "✅ " + _("Seen")
    assert chat.last_callback_answer == (thanks, False)
    assert chat.messages[-1].buttons == [[(ticked, data)]]
    assert await TargetAcknowledgement.filter(target_id=target.id).count() == 1
    await chat.press_data(data, expect=0)
    assert chat.last_callback_answer == (again, False)
    assert await TargetAcknowledgement.filter(target_id=target.id).count() == 1


@pytest.mark.parametrize(
    ("preference", "roster", "school", "expected"),
    [("en", "pl", "pl", "en"), (None, "pl", "en", "pl"), (None, None, "pl", "pl")],
)
async def test_the_notice_language_is_chosen_like_the_middleware_does(
    app: MentorApplication,
    emulator: BotApiEmulator,
    maja: int,
    preference: str | None,
    roster: str | None,
    school: str,
    expected: str,
) -> None:
    if preference:
        await UserPreference.create(telegram_user_id=EWA, language=preference)
    await Guardian.filter(telegram_user_id=EWA).update(language=roster)
    await School.all().update(default_locale=school)
    await new_target(maja)
    await deliver(app)
    with use_locale(expected):
        area = area_label(Area.WRITING)
    assert f"({area})" in (emulator.chat_log(EWA)[-1].text or "")


async def forged_press(emulator: BotApiEmulator, user_id: int, data: str) -> str | None:
    """Press `data` on a message that never had it, as a modified client can; the answer."""
    (hello,) = await emulator.chat(user_id).send("/start")
    query_id = await emulator.press_button(user_id, user_id, hello.message_id, data, forged=True)
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    assert emulator.chat_log(user_id)[-1].buttons == hello.buttons
    return emulator.callback_answers[query_id][0]


async def test_a_forged_seen_from_another_parent_changes_nothing(
    app: MentorApplication, emulator: BotApiEmulator, maja: int
) -> None:
    target = await new_target(maja)
    data = callback_data.encode("seen", target.id)
    assert await forged_press(emulator, OLGA, data) == NotAllowed.message  # another child's
    assert await forged_press(emulator, KASIA, data) == NotAllowed.message  # restricted link
    assert await TargetAcknowledgement.all().count() == 0


async def test_an_achieved_target_is_praised_without_a_button(
    app: MentorApplication, emulator: BotApiEmulator, maja: int
) -> None:
    target = await new_target(maja, Area.MATHS)
    teacher = await resolve_actor(TEACHER)
    await review_target(teacher, target.id, TargetStatus.ACHIEVED, now=datetime.now(UTC))
    assert (await deliver(app)).sent == 1  # one chat, one notice a second
    assert (await deliver(app)).sent == 0
    assert (await deliver(app, seconds_later=1)).sent == 1
    praise = emulator.chat_log(EWA)[-1]
    assert (praise.text or "").startswith("🌟")
    assert "Maja" in (praise.text or "")
    assert TEXT in (praise.text or "")
    assert praise.buttons == []


async def test_a_blocked_parent_ends_up_dead_and_unreachable(
    app: MentorApplication, emulator: BotApiEmulator, maja: int
) -> None:
    await new_target(maja)  # queued before the block, so delivery meets the 403
    emulator.block(EWA)
    assert (await deliver(app)).dead == 1
    row = await Notification.get(chat_id=EWA)
    assert (row.state, row.last_error) == ("dead", "blocked")
    assert (await Guardian.get(telegram_user_id=EWA)).unreachable_at is not None
    assert emulator.chat_log(EWA) == []


@pytest.mark.parametrize("change", ["link restricted", "target deleted", "target dropped"])
async def test_stale_notices_are_not_sent(
    app: MentorApplication, emulator: BotApiEmulator, maja: int, change: str
) -> None:
    target = await new_target(maja)
    if change == "link restricted":
        await GuardianLink.filter(pupil_id=maja).update(receives_reports=False)
    elif change == "target deleted":
        await target.delete()
    else:
        await Target.filter(id=target.id).update(status=TargetStatus.DROPPED)
    assert (await deliver(app)).dead == 1
    row = await Notification.get(chat_id=EWA)
    assert (row.state, row.last_error) == ("dead", "stale")
    assert emulator.chat_log(EWA) == []


async def test_a_server_error_is_retried_later(
    app: MentorApplication, emulator: BotApiEmulator, maja: int
) -> None:
    await new_target(maja)
    emulator.fail_next("sendMessage", status=500, chat_id=EWA)
    assert (await deliver(app)).rescheduled == 1
    row = await Notification.get(chat_id=EWA)
    assert (row.state, row.attempts, row.last_error) == ("pending", 1, "NetworkError")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_telegram_errors_map_to_delivery_errors() -> None:
    assert isinstance(notices.classify(Forbidden("Forbidden: bot was blocked")), Unreachable)
    flood = notices.classify(RetryAfter(12))
    assert isinstance(flood, RetryLater)
    assert (flood.seconds, flood.reason) == (12, "RetryAfter")
    for error, reason in ((NetworkError("Bad Gateway"), "NetworkError"), (TimedOut(), "TimedOut")):
        retry = notices.classify(error)
        assert isinstance(retry, RetryLater)
        assert (retry.seconds, retry.reason) == (None, reason)
    malformed = notices.classify(BadRequest("Bad Request: chat not found"))
    assert isinstance(malformed, Undeliverable)
    assert malformed.reason == "BadRequest"
