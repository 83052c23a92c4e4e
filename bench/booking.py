"""The rush when a round opens: many guardians pressing a time in the same minute.

Every family gets its invitation through the real outbox and bot, then presses the first day
and one of the first few free times, as most people do, again if it was just taken. Latency
is measured from each time press to the bot's answer (booked, or "just taken" with the nearest
times), end to end over HTTP through the Bot API emulator. The baseline is one guardian at a
time doing the same, in the same run.
Afterwards the database is checked: no slot held twice, no family with two live bookings.

    python bench/booking.py [--families 300] [--baseline 20]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import database
from bot.emulator import BotApiEmulator
from bot.emulator.state import SentMessage
from handlers.delivery import notices
from handlers.meetings.texts import BOOK, CONFIRM, DAY
from models import Booking, Guardian, GuardianLink, Notification, Pupil, School, SchoolClass, Staff
from models.calendar.schools import academic_year_for
from models.common.enums import Role, YearGroup
from models.meetings.availability import AvailabilityRequest, open_availability
from models.meetings.tables import MentoringRound
from models.people.access import resolve_actor
from scheduler.delivery import deliver_due
from tests.harness import TOKEN, running_bot

PUPILS_PER_CLASS = 30
FIRST_GUARDIAN = 500_000


async def build_school(families: int, baseline: int) -> tuple[list[int], list[int]]:
    """Classes of 30 with a teacher each; returns (rush guardian ids, baseline guardian ids)."""
    # No quiet hours: the rush is measured at whatever hour the bench runs, and an invitation
    # held until the morning would leave nothing to press.
    today = datetime.now(UTC).date()
    year = academic_year_for(today)
    school = await School.create(
        name="Rush Primary", academic_year=year, quiet_starts="00:00", quiet_ends="00:00"
    )
    rnd = await MentoringRound.create(
        school=school, academic_year=year, number=1, name="Autumn",
        opens_on=today, closes_on=today + timedelta(days=14),
    )  # fmt: skip
    day = _next_weekday(today + timedelta(days=2))
    user_ids: list[int] = []
    total = families + baseline
    for class_no in range((total + PUPILS_PER_CLASS - 1) // PUPILS_PER_CLASS):
        klass = await SchoolClass.create(school=school, name=f"C{class_no}")
        teacher = await Staff.create(
            school=school, external_id=f"T{class_no}", first_name="T", last_name=str(class_no),
            role=Role.TEACHER, telegram_user_id=1_000 + class_no,
        )  # fmt: skip
        await teacher.classes.add(klass)
        for n in range(min(PUPILS_PER_CLASS, total - len(user_ids))):
            index = len(user_ids)
            pupil = await Pupil.create(
                school=school, external_id=f"P{index}", first_name="P", last_name=str(index),
                year_group=YearGroup.Y3, school_class=klass,
            )  # fmt: skip
            guardian = await Guardian.create(
                school=school, external_id=f"G{index}", first_name="G", last_name=str(n),
                language="en", telegram_user_id=FIRST_GUARDIAN + index,
            )  # fmt: skip
            await GuardianLink.create(guardian=guardian, pupil=pupil)
            user_ids.append(FIRST_GUARDIAN + index)
        # 13:00-19:00: 36 ten-minute slots for the class's 30 families.
        actor = await resolve_actor(teacher.telegram_user_id or 0)
        request = AvailabilityRequest(day=day, starts=clock(13, 0), ends=clock(19, 0))
        await open_availability(actor, rnd.id, request, now=datetime.now(UTC))
    return user_ids[:families], user_ids[families:]


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


async def deliver_invitations(app: object) -> None:
    async def send(row: Notification) -> int | None:
        return await notices.send_notice(app.bot, row)  # type: ignore[attr-defined]

    while (await deliver_due(send, now=datetime.now(UTC), batch=500, pace=0)).handled:
        pass


async def book_first_free(emulator: BotApiEmulator, user_id: int) -> tuple[list[float], float]:
    """Press the first day, then one of the first times shown, until one sticks.

    Returns the latency of every time press (to the bot's answer) and the time to a booking.
    """
    invitation = next(m for m in emulator.chat_log(user_id) if m.buttons)
    day_data = _first(invitation, DAY)
    edits = invitation.edited
    await emulator.press_button(user_id, user_id, invitation.message_id, day_data)
    await emulator.wait_for(
        lambda: _message(emulator, user_id, invitation.message_id).edited > edits, timeout=120
    )
    presses: list[float] = []
    chooser = random.Random(user_id)
    started = time.perf_counter()
    for _attempt in range(10):
        screen = _message(emulator, user_id, invitation.message_id)
        if any(d and d.startswith(f"v1:{CONFIRM}:") for row in screen.buttons for _, d in row):
            break  # booked
        edits, pressed = screen.edited, time.perf_counter()
        choice = chooser.choice(_all(screen, BOOK)[:6])  # people pick among the first few times
        await emulator.press_button(user_id, user_id, screen.message_id, choice)
        await emulator.wait_for(
            lambda e=edits: _message(emulator, user_id, invitation.message_id).edited > e,
            timeout=120,
        )
        presses.append(time.perf_counter() - pressed)
    return presses, time.perf_counter() - started


def _first(message: SentMessage, kind: str) -> str:
    return _all(message, kind)[0]


def _all(message: SentMessage, kind: str) -> list[str]:
    return [d for row in message.buttons for _, d in row if d and d.startswith(f"v1:{kind}:")]


def _message(emulator: BotApiEmulator, chat_id: int, message_id: int) -> SentMessage:
    return next(m for m in emulator.chat_log(chat_id) if m.message_id == message_id)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(families: int, baseline: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{folder}/rush.sqlite3"
        await database.migrate(url)
        await database.connect(url)
        rush_ids, baseline_ids = await build_school(families, baseline)
        async with BotApiEmulator(token=TOKEN) as emulator:
            for user_id in rush_ids + baseline_ids:
                emulator.add_user(user_id, "Parent", started=True)
            async with running_bot(emulator, url, over_http=True) as app:
                app.job_queue.scheduler.pause()  # type: ignore[union-attr]  # we deliver here
                await deliver_invitations(app)
                alone = [await book_first_free(emulator, user_id) for user_id in baseline_ids]
                started = time.perf_counter()
                rush = await asyncio.gather(*(book_first_free(emulator, u) for u in rush_ids))
                wall = time.perf_counter() - started
        live = await Booking.filter(holds_slot__not_isnull=True).values_list("slot_id", "pupil_id")
        await database.disconnect()

    slots, pupils = [s for s, _ in live], [p for _, p in live]
    double_slots = len(slots) - len(set(slots))
    double_families = len(pupils) - len(set(pupils))
    print(
        f"{families} families pressing a time at once ({baseline} alone first), HTTP to 127.0.0.1"
    )
    print(f"{'':<22} {'p50 ms':>8} {'p99 ms':>8}")
    rows = (
        ("alone: one press", [p for presses, _ in alone for p in presses]),
        ("rush: one press", [p for presses, _ in rush for p in presses]),
        ("alone: to a booking", [total for _, total in alone]),
        ("rush: to a booking", [total for _, total in rush]),
    )
    stats = {}
    for name, values in rows:
        stats[name] = (statistics.median(values) * 1000, percentile(values, 0.99) * 1000)
        print(f"{name:<22} {stats[name][0]:>8.1f} {stats[name][1]:>8.1f}")
    alone_p50, alone_p99 = stats["alone: one press"]
    rush_p50, rush_p99 = stats["rush: one press"]
    tries = statistics.mean(len(presses) for presses, _ in rush)
    print(
        f"ratio rush/alone per press: p50 {rush_p50 / alone_p50:.1f}x, "
        f"p99 {rush_p99 / alone_p99:.1f}x; {tries:.1f} presses per family; "
        f"rush wall time {wall:.1f} s"
    )
    print(
        f"live bookings {len(live)} for {families + baseline} families; "
        f"slots held twice: {double_slots}; families with two bookings: {double_families}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--families", type=int, default=300)
    parser.add_argument("--baseline", type=int, default=20)
    options = parser.parse_args()
    asyncio.run(main(options.families, options.baseline))
