"""A school whose families book mentoring meetings in chat: fixtures and helpers for the tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import jobs
from bot.app import MentorApplication
from bot.emulator import BotApiEmulator, ChatTranscript
from bot.emulator.state import SentMessage
from handlers.delivery import notices
from handlers.meetings.texts import day_label
from models import Notification
from models.common.enums import Role
from models.meetings.availability import AvailabilityRequest, open_availability
from models.meetings.tables import MentoringRound
from models.people.access import resolve_actor
from scheduler.delivery import deliver_due
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog, running_bot

TEACHER, EWA, PIOTR, OLGA = 103, 301, 302, 305
ZONE = "Europe/Warsaw"  # an hour off UTC in winter: UTC on screen would show


@dataclass(frozen=True)
class World:
    round_id: int
    maja: int
    ola: int
    day: date
    slots: dict[str, int]  # local "15:40" → slot id

    @property
    def day_text(self) -> str:
        return day_label(self.day)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(ZONE)


@pytest.fixture(name="app")
async def app_fixture(
    db: str, emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[MentorApplication]:
    """The bot with the family's meeting buttons registered and its delivery job paused."""
    async with running_bot(emulator, db, over_http=False) as application:
        assert application.job_queue is not None
        (job,) = application.job_queue.get_jobs_by_name(jobs.DELIVERY_JOB)
        job.enabled = False
        yield application


@pytest.fixture(name="world")
async def world_fixture(db: str, emulator: BotApiEmulator) -> World:
    """3B: Maja (Ewa and Piotr share her bookings), Ola (Olga); Ms Khan offers 15:30 to 16:00."""
    school = await make_school()
    school.timezone = ZONE
    await school.save()
    c3 = await make_class(school, "3B")
    maja = await make_pupil(school, c3, "P1", "Maja")
    ola = await make_pupil(school, c3, "P3", "Ola")
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_guardian(school, "G1", (maja,), telegram_user_id=EWA)
    await make_guardian(school, "G2", (maja,), telegram_user_id=PIOTR, first_name="Piotr")
    await make_guardian(school, "G3", (ola,), telegram_user_id=OLGA, first_name="Olga")
    for user_id, name in ((EWA, "Ewa"), (PIOTR, "Piotr"), (OLGA, "Olga")):
        emulator.add_user(user_id, name, started=True)
    today = datetime.now(ZoneInfo(ZONE)).date()
    mentoring_round = await MentoringRound.create(
        school=school,
        academic_year="2026-27",
        number=1,
        name="Autumn meetings",
        opens_on=today,
        closes_on=today + timedelta(days=14),
    )
    day = today + timedelta(days=7)
    request = AvailabilityRequest(day=day, starts=time(15, 30), ends=time(16, 0))
    teacher = await resolve_actor(TEACHER)
    slots = await open_availability(teacher, mentoring_round.id, request, now=datetime.now(UTC))
    local = {s.starts_at.astimezone(ZoneInfo(ZONE)).strftime("%H:%M"): s.id for s in slots}
    return World(mentoring_round.id, maja.id, ola.id, day, local)


async def deliver_all(app: MentorApplication) -> None:
    """Deliver every row due now or in the next few seconds (a notice's file follows it a
    second later), ticking the delivery clock a second at a time."""

    async def send(row: Notification) -> int | None:
        return await notices.send_notice(app.bot, row)

    now = datetime.now(UTC)
    horizon = now + timedelta(seconds=5)
    while now <= horizon:
        await deliver_due(send, now=now, pace=0)
        now += timedelta(seconds=1)


async def calendar_files(emulator: BotApiEmulator, chat: ChatTranscript, count: int) -> list[bytes]:
    """The .ics files the chat has received, once there are `count` of them."""

    def files() -> list[bytes]:
        return [m.document.data for m in chat.messages if m.document]

    await emulator.wait_for(lambda: len(files()) >= count, what=f"{count} calendar file(s)")
    names = {m.document.filename for m in chat.messages if m.document}
    assert names == {"mentoring-meeting.ics"}
    return files()


def newest(chat: ChatTranscript, fragment: str) -> SentMessage:
    """The newest bot message showing `fragment` (edits applied)."""
    return next(m for m in reversed(chat.messages) if fragment in (m.text or ""))


async def book_in_chat(chat: ChatTranscript, world: World, at: str) -> None:
    await dialog(chat, [(f"[{world.day_text}]", "choose a time"), (f"[{at}]", "✅ Booked")])
