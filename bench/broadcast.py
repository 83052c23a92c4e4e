"""A broadcast of meeting reminders through Telegram's flood limits, while a teacher uses the bot.

2,000 families each have a mentoring meeting tomorrow and its reminder due now (outbox rows,
one per chat, as booking queued them). The real bot, polling the Bot API emulator over HTTP
on 127.0.0.1, delivers them; the emulator enforces 30 messages/s overall and 1/s per chat and
answers 429 beyond them. Reported: wall time from the bot's start to the last reminder against
the N/30 s floor, 429s received, reminders lost and duplicated (both must be 0). Then again
with 10% of the families having blocked the bot since they booked (403: each is unreachable
once, their rows dead, everyone else still gets theirs).
Meanwhile a teacher sends /help every second (a second after each answer); their reply latency
during each broadcast is compared with the same teacher's with no broadcast, measured first in
the same run.

    python bench/broadcast.py [--reminders 2000] [--blocked 0.1] [--quiet-seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import database
from bot.emulator import BotApiEmulator
from bot.emulator.limits import RateLimits
from models import Guardian, GuardianLink, Notification, Pupil, School, SchoolClass, Staff
from models.calendar.schools import academic_year_for
from models.common.enums import NotificationState, Role, YearGroup
from models.meetings.booking.queue import reminder_key
from models.meetings.tables import Booking, MentoringRound, Slot
from tests.delivery.broadcast_world import SendLog
from tests.harness import TOKEN, running_bot

PUPILS_PER_CLASS = 30
FIRST_FAMILY = 800_000
TEACHER = 1_000  # the first class's teacher, who uses the bot during the broadcast
ZONE = "Europe/London"
TELEGRAM_LIMITS = RateLimits(overall_per_second=30, per_chat_per_second=1)
REMINDER = "⏰"
BATCH = 500


async def build_school(reminders: int) -> list[int]:
    """Classes of 30 whose families each booked a meeting tomorrow; returns their chat ids."""
    today = datetime.now(ZoneInfo(ZONE)).date()
    school = await School.create(
        name="Reminder Primary", academic_year=academic_year_for(today), timezone=ZONE,
        quiet_starts="00:00", quiet_ends="00:00",  # deliver whatever the hour of the run
    )  # fmt: skip
    rnd = await MentoringRound.create(
        school=school, academic_year=academic_year_for(today), number=1, name="Autumn",
        opens_on=today, closes_on=today + timedelta(days=14),
    )  # fmt: skip
    teachers: list[int] = []
    for n in range((reminders + PUPILS_PER_CLASS - 1) // PUPILS_PER_CLASS):
        klass = await SchoolClass.create(school=school, name=f"C{n}")
        teacher = await Staff.create(
            school=school, external_id=f"T{n}", first_name="Teacher", last_name=str(n),
            role=Role.TEACHER, telegram_user_id=TEACHER + n,
        )  # fmt: skip
        await teacher.classes.add(klass)
        teachers.append(teacher.id)
    classes = dict(await SchoolClass.filter(school=school).values_list("name", "id"))
    await Pupil.bulk_create(
        [
            Pupil(
                school=school,
                external_id=f"P{n}",
                first_name=f"Child{n}",
                last_name="Nowak",
                year_group=YearGroup.Y3,
                school_class_id=classes[f"C{n // PUPILS_PER_CLASS}"],
            )
            for n in range(reminders)
        ],
        batch_size=BATCH,
    )
    await Guardian.bulk_create(
        [
            Guardian(
                school=school,
                external_id=f"G{n}",
                first_name=f"Parent{n}",
                last_name="Nowak",
                language="en",
                telegram_user_id=FIRST_FAMILY + n,
            )
            for n in range(reminders)
        ],
        batch_size=BATCH,
    )
    pupils = dict(await Pupil.filter(school=school).values_list("external_id", "id"))
    guardians = dict(await Guardian.filter(school=school).values_list("external_id", "id"))
    await GuardianLink.bulk_create(
        [
            GuardianLink(guardian_id=guardians[f"G{n}"], pupil_id=pupils[f"P{n}"])
            for n in range(reminders)
        ],
        batch_size=BATCH,
    )
    first = datetime.combine(today + timedelta(days=1), clock(13, 0), tzinfo=ZoneInfo(ZONE))
    meetings = [
        (teachers[n // PUPILS_PER_CLASS], first + timedelta(minutes=10 * (n % PUPILS_PER_CLASS)))
        for n in range(reminders)
    ]
    await Slot.bulk_create(
        [
            Slot(
                round=rnd, staff_id=staff, starts_at=starts, ends_at=starts + timedelta(minutes=10)
            )
            for staff, starts in meetings
        ],
        batch_size=BATCH,
    )
    slots = {
        (staff, starts.astimezone(UTC)): slot
        for staff, starts, slot in await Slot.filter(round=rnd).values_list(
            "staff_id", "starts_at", "id"
        )
    }
    slot_of = [slots[(staff, starts.astimezone(UTC))] for staff, starts in meetings]
    await Booking.bulk_create(
        [
            Booking(
                slot_id=slot_of[n],
                holds_slot=slot_of[n],
                holds_family=f"{rnd.id}:{pupils[f'P{n}']}",
                pupil_id=pupils[f"P{n}"],
                guardian_id=guardians[f"G{n}"],
            )
            for n in range(reminders)
        ],
        batch_size=BATCH,
    )
    booking_of = dict(await Booking.filter(slot__round=rnd).values_list("slot_id", "id"))
    now = datetime.now(UTC)
    rows = []
    for n in range(reminders):
        booking, pupil, guardian = booking_of[slot_of[n]], pupils[f"P{n}"], guardians[f"G{n}"]
        rows.append(
            Notification(
                school_id=school.id,
                guardian_id=guardian,
                chat_id=FIRST_FAMILY + n,
                kind="meeting_reminder",
                params={"booking_id": booking, "hours": 24, "pupil_id": pupil},
                due_at=now,
                idempotency_key=f"{reminder_key(booking, slot_of[n])}24h:g{guardian}",
            )
        )
    await Notification.bulk_create(rows, batch_size=BATCH)
    return [FIRST_FAMILY + n for n in range(reminders)]


@dataclass
class Run:
    """One broadcast as Telegram saw it, and the teacher's reply latencies meanwhile."""

    wall: float
    rate_limited: int
    forbidden: int
    lost: int
    duplicated: int
    blocked_dead: int
    unreachable: int
    busiest_second: int
    latencies: list[float]


async def ask_for_help(emulator: BotApiEmulator, done: asyncio.Event) -> list[float]:
    """The teacher sends /help a second after each answer until `done`; seconds to each answer.

    A second after the answer, not every second on the clock: answers a second apart on the
    clock would sometimes fall within Telegram's one message a second per chat.
    """
    latencies: list[float] = []
    while not done.is_set():
        before = len(emulator.chat_log(TEACHER))
        sent = time.perf_counter()
        await emulator.send_text(TEACHER, "/help")
        await emulator.wait_for(lambda b=before: len(emulator.chat_log(TEACHER)) > b, timeout=60)
        latencies.append(time.perf_counter() - sent)
        await asyncio.sleep(1.0)
    return latencies[1:]  # the first answer warms the bot up in every run alike


async def broadcast(url: str, families: list[int], blocked: set[int], quiet: float) -> Run:
    """Start the bot and let it deliver every due reminder while the teacher asks for help.

    With `quiet` seconds, nothing is due: the teacher asks for that long with no broadcast.
    """
    await database.connect(url)
    if quiet:
        await Notification.all().update(due_at=datetime.now(UTC) + timedelta(days=1))
    async with BotApiEmulator(token=TOKEN, rate_limits=TELEGRAM_LIMITS) as emulator:
        emulator.add_user(TEACHER, "Teacher", started=True)
        for chat in families:
            emulator.add_user(chat, "Parent", started=True)
        for chat in blocked:
            emulator.block(chat)
        log = SendLog.watch(emulator)
        done = asyncio.Event()
        started = time.monotonic()  # SendLog's clock
        async with running_bot(emulator, url, over_http=True):
            # They blocked the bot after booking, and the bot heard of it then, not mid-run.
            await _until(lambda: _unreachable(len(blocked)))
            helper = asyncio.create_task(ask_for_help(emulator, done))
            if quiet:
                await asyncio.sleep(quiet)
            else:
                await _until(_all_delivered)
            done.set()
            latencies = await helper
        last = max((moment for moment, chat, _ in log.sent if chat != TEACHER), default=started)
        got = Counter(
            chat
            for chat in families
            for message in emulator.chat_log(chat)
            if message.body.startswith(REMINDER)
        )
        run = Run(
            wall=last - started,
            rate_limited=emulator.stats.rate_limited,
            forbidden=emulator.stats.errors[403],
            lost=sum(1 for chat in families if chat not in blocked and got[chat] == 0),
            duplicated=sum(n - 1 for n in got.values() if n > 1),
            blocked_dead=await Notification.filter(
                state=NotificationState.DEAD, last_error="blocked"
            ).count(),
            unreachable=await Guardian.filter(unreachable_at__not_isnull=True).count(),
            busiest_second=log.busiest_second(),
            latencies=latencies,
        )
    await database.disconnect()
    return run


async def _until(ready: Callable[[], Awaitable[bool]]) -> None:
    """Poll until `ready()`: only the database knows when the bot has done its part."""
    while True:
        if await ready():
            return
        await asyncio.sleep(0.05)


async def _unreachable(count: int) -> bool:
    return await Guardian.filter(unreachable_at__not_isnull=True).count() >= count


async def _all_delivered() -> bool:
    return not await Notification.filter(state=NotificationState.PENDING).exists()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(reminders: int, blocked_share: float, quiet_seconds: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "template.sqlite3"
        await database.migrate(f"sqlite://{template}")
        await database.connect(f"sqlite://{template}")
        families = await build_school(reminders)
        await database.disconnect()

        def fresh(name: str) -> str:
            path = Path(folder) / f"{name}.sqlite3"
            shutil.copyfile(template, path)
            return f"sqlite://{path}"

        blocked = set(random.Random(8).sample(families, int(reminders * blocked_share)))
        quiet = await broadcast(fresh("quiet"), families, set(), quiet_seconds)
        runs = {
            "all reachable": await broadcast(fresh("all"), families, set(), 0),
            f"{blocked_share:.0%} blocked": await broadcast(fresh("blocked"), families, blocked, 0),
        }

    floor = reminders / 30
    print(
        f"{reminders} meeting reminders, distinct chats; emulator enforcing 30/s overall and "
        f"1/s per chat (429 beyond); HTTP to 127.0.0.1; a teacher sends /help every second"
    )
    print(
        f"{'broadcast':<14} {'wall s':>7} {'floor s':>8} {'ratio':>6} {'429s':>5} {'403s':>5} "
        f"{'lost':>5} {'dup':>4} {'dead':>5} {'unreach':>8} {'max/s':>6}"
    )
    for name, run in runs.items():
        print(
            f"{name:<14} {run.wall:>7.1f} {floor:>8.1f} {run.wall / floor:>6.2f} "
            f"{run.rate_limited:>5} {run.forbidden:>5} {run.lost:>5} {run.duplicated:>4} "
            f"{run.blocked_dead:>5} {run.unreachable:>8} {run.busiest_second:>6}"
        )
    quiet_p50 = statistics.median(quiet.latencies) * 1000
    quiet_p99 = percentile(quiet.latencies, 0.99) * 1000
    print(
        f"/help reply     {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'p50 ratio':>10} {'p99 ratio':>10}"
    )
    print(f"{'no broadcast':<15} {len(quiet.latencies):>4} {quiet_p50:>8.1f} {quiet_p99:>8.1f}")
    for name, run in runs.items():
        p50 = statistics.median(run.latencies) * 1000
        p99 = percentile(run.latencies, 0.99) * 1000
        print(
            f"{name:<15} {len(run.latencies):>4} {p50:>8.1f} {p99:>8.1f} "
            f"{p50 / quiet_p50:>9.2f}x {p99 / quiet_p99:>9.2f}x"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reminders", type=int, default=2000)
    parser.add_argument("--blocked", type=float, default=0.1)
    parser.add_argument("--quiet-seconds", type=float, default=30.0)
    options = parser.parse_args()
    asyncio.run(main(options.reminders, options.blocked, options.quiet_seconds))
