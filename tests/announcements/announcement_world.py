"""A school that sends announcements: its people, a test translator, and delivery at will."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot import jobs
from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from bot.i18n import _, use_locale
from handlers.delivery import notices
from models import Guardian, Notification, Pupil, School, UserPreference
from models.common.enums import Role, YearGroup
from scheduler.delivery import DeliveryResult, deliver_due
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import running_bot

HEAD, TEACHER, TEACHER4, ASSISTANT = 100, 103, 104, 105
EWA, OLGA, KASIA, PIOTR, ZOFIA, BOB = 301, 305, 306, 307, 308, 309
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class World:
    school: int
    c3: int
    c4: int
    ewa: int
    olga: int
    piotr: int
    zofia: int


async def build_world(*, quiet_hours: bool = False) -> World:
    """3B (Year 3) and 4H (Year 4), their teachers, an assistant, the head, and their families.

    Ewa (Polish) has Maja and Ola in 3B and Jan in 4H; Piotr (Ola, 3B) muted routine
    announcements; Kasia (Maja) does not receive reports; Olga (Jan, 4H) is reachable, Zofia
    (Jan) blocked the bot; Anna (Maja) is not in Telegram; Bob's child Tom has left.
    """
    school = await make_school(quiet_hours=quiet_hours)
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    maja = await make_pupil(school, c3, "P1", "Maja")
    ola = await make_pupil(school, c3, "P2", "Ola")
    jan = await make_pupil(school, c4, "P3", "Jan")
    tom = await make_pupil(school, c3, "P4", "Tom")
    await Pupil.filter(id=jan.id).update(year_group=YearGroup.Y4)
    await Pupil.filter(id=tom.id).update(left_at=NOW - timedelta(days=30))
    await make_staff(school, "H", Role.ADMIN, first_name="Grace", telegram_user_id=HEAD)
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_staff(school, "T4", Role.TEACHER, (c4,), first_name="Lee", telegram_user_id=TEACHER4)
    await make_staff(
        school, "A3", Role.ASSISTANT, (c3,), first_name="Tom", telegram_user_id=ASSISTANT
    )
    ewa = await make_guardian(school, "G1", (maja, ola, jan), language="pl", telegram_user_id=EWA)
    olga = await make_guardian(school, "G2", (jan,), telegram_user_id=OLGA, first_name="Olga")
    await make_guardian(
        school, "G3", (maja,), receives_reports=False, telegram_user_id=KASIA, first_name="Kasia"
    )
    piotr = await make_guardian(school, "G4", (ola,), telegram_user_id=PIOTR, first_name="Piotr")
    await UserPreference.create(telegram_user_id=PIOTR, mute_routine=True)
    zofia = await make_guardian(school, "G5", (jan,), telegram_user_id=ZOFIA, first_name="Zofia")
    await Guardian.filter(id=zofia.id).update(unreachable_at=NOW - timedelta(days=3))
    await make_guardian(school, "G6", (maja,), first_name="Anna")
    await make_guardian(school, "G7", (tom,), telegram_user_id=BOB, first_name="Bob")
    return World(school.id, c3.id, c4.id, ewa.id, olga.id, piotr.id, zofia.id)


async def other_school_class() -> int:
    """A class in another school on the same database."""
    other = await School.create(name="Elm Primary", academic_year="2026-27")
    return (await make_class(other, "3B")).id


class BracketTranslator:
    """A machine translator for tests: "[pl] text"; it cannot do Ukrainian."""

    async def translate(self, text: str, *, source: str, target: str) -> str | None:
        if target == "uk":
            raise TimeoutError
        return f"[{target}] {text}"


def make_translator() -> BracketTranslator:
    """The factory `MACHINE_TRANSLATOR` names in the tests."""
    return BracketTranslator()


def in_polish(message: str) -> str:
    """What Ewa's screen says for an English msgid."""
    with use_locale("pl"):
        return _(message)


@asynccontextmanager
async def paused_bot(emulator: BotApiEmulator, db: str) -> AsyncIterator[MentorApplication]:
    """The bot with its delivery job paused: tests deliver when they choose."""
    async with running_bot(emulator, db, over_http=False) as application:
        assert application.job_queue is not None
        (job,) = application.job_queue.get_jobs_by_name(jobs.DELIVERY_JOB)
        job.enabled = False
        yield application


async def deliver(app: MentorApplication, now: datetime | None = None) -> DeliveryResult:
    """Deliver everything due (one row per chat per call, as the real job does), until done."""
    total = DeliveryResult()

    async def send(row: Notification) -> int | None:
        return await notices.send_notice(app.bot, row)

    latest = await Notification.filter(sent_at__not_isnull=True).order_by("-sent_at").first()
    moment = now or datetime.now(UTC)
    if now is None and latest is not None and latest.sent_at is not None:
        # Earlier calls ran ahead of the clock (a second per chat): carry on after them.
        moment = max(moment, latest.sent_at + timedelta(seconds=2))
    while True:
        result = await deliver_due(send, now=moment, pace=0)
        total.sent += result.sent
        total.dead += result.dead
        total.held += result.held
        total.rescheduled += result.rescheduled
        if not (result.sent or result.dead or result.rescheduled):
            return total
        moment += timedelta(seconds=2)  # each chat takes one message a second
