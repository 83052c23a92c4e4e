"""Many families with due target notices, the real bot as a process, and what Telegram saw.

Shared by the delivery crash and several-process tests and by `bench/broadcast.py`. Rows are
written in bulk, as `models.targets.targeting.set_target` would have queued them, so they render
through the real renderer; each target's text carries `#n`, which tells messages apart.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from bot.emulator import BotApiEmulator
from models import Guardian, GuardianLink, Notification, Pupil, SchoolClass, Staff
from models.common.enums import Area, Role, YearGroup
from models.targets.tables import Target
from tests.clock import child_env
from tests.factories import make_school
from tests.harness import BOT_USERNAME, TOKEN

FIRST_CHAT = 700_000
LANGUAGES = ("en", "pl", "uk", "ro", "ar", "ur")
AREAS = tuple(Area)
_MARK = re.compile(r"#(\d+)\b")
_BATCH = 500


@dataclass(frozen=True)
class Family:
    """One linked guardian (their chat) and the target numbers due to them, oldest first."""

    chat_id: int
    guardian_id: int
    targets: tuple[int, ...]


async def seed_target_notices(rows_per_chat: Sequence[int], *, due_at: datetime) -> list[Family]:
    """A school with one pupil and one linked guardian per chat, and due `target_set` rows."""
    school = await make_school("Broadcast Primary")
    klass = await SchoolClass.create(school=school, name="All")
    teacher = await Staff.create(
        school=school, external_id="T1", first_name="Amira", last_name="Khan",
        role=Role.TEACHER, telegram_user_id=FIRST_CHAT - 1,
    )  # fmt: skip
    count = len(rows_per_chat)
    await Pupil.bulk_create(
        [
            Pupil(
                school=school,
                external_id=f"P{n}",
                first_name=f"Child{n}",
                last_name="Nowak",
                year_group=YearGroup.Y3,
                school_class=klass,
            )
            for n in range(count)
        ],
        batch_size=_BATCH,
    )
    await Guardian.bulk_create(
        [
            Guardian(
                school=school,
                external_id=f"G{n}",
                first_name=f"Parent{n}",
                last_name="Nowak",
                language=LANGUAGES[n % len(LANGUAGES)],
                telegram_user_id=FIRST_CHAT + n,
            )
            for n in range(count)
        ],
        batch_size=_BATCH,
    )
    pupils = await _ids(Pupil, school.id)
    guardians = await _ids(Guardian, school.id)
    await GuardianLink.bulk_create(
        [
            GuardianLink(guardian_id=guardians[f"G{n}"], pupil_id=pupils[f"P{n}"])
            for n in range(count)
        ],
        batch_size=_BATCH,
    )
    targets: list[Target] = []
    numbers: list[list[int]] = [[] for _ in range(count)]
    for n, rows in enumerate(rows_per_chat):
        for _ in range(rows):
            number = len(targets)
            numbers[n].append(number)
            targets.append(
                Target(
                    pupil_id=pupils[f"P{n}"],
                    area=AREAS[number % len(AREAS)],
                    text=f"Counts on in fives to 100 #{number}",
                    home_support="Count the stairs together in fives.",
                    set_by_id=teacher.id,
                    set_on=date(2026, 11, 24),
                )
            )
    await Target.bulk_create(targets, batch_size=_BATCH)
    target_ids = dict(await Target.filter(pupil__school_id=school.id).values_list("text", "id"))
    notifications = []
    for n in range(count):
        guardian_id, pupil_id = guardians[f"G{n}"], pupils[f"P{n}"]
        for number in numbers[n]:
            target_id = target_ids[f"Counts on in fives to 100 #{number}"]
            notifications.append(
                Notification(
                    school_id=school.id,
                    guardian_id=guardian_id,
                    chat_id=FIRST_CHAT + n,
                    kind="target_set",
                    params={"target_id": target_id, "pupil_id": pupil_id},
                    due_at=due_at,
                    idempotency_key=f"target-set-{target_id}:g{guardian_id}",
                )
            )
    await Notification.bulk_create(notifications, batch_size=_BATCH)
    return [Family(FIRST_CHAT + n, guardians[f"G{n}"], tuple(numbers[n])) for n in range(count)]


async def _ids(model: type[Pupil] | type[Guardian], school_id: int) -> dict[str, int]:
    return dict(await model.filter(school_id=school_id).values_list("external_id", "id"))


def add_families(emulator: BotApiEmulator, families: Sequence[Family]) -> None:
    """Each guardian as a Telegram user who has started the bot."""
    for family in families:
        emulator.add_user(family.chat_id, "Parent", started=True)


@dataclass
class SendLog:
    """Each message the emulator accepted: when it arrived (monotonic seconds), chat, target."""

    sent: list[tuple[float, int, int | None]] = field(default_factory=list)
    # Sends answered 429: when and to which chat.
    refused: list[tuple[float, int]] = field(default_factory=list)

    @classmethod
    def watch(cls, emulator: BotApiEmulator) -> SendLog:
        """Record every accepted sendMessage from now on, by wrapping the emulator's dispatch."""
        log = cls()
        answer = emulator.routes.call

        async def call(method: str, values: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            arrived = time.monotonic()
            status, body = await answer(method, values)
            if status == 200 and method.lower() == "sendmessage":
                log.sent.append((arrived, int(values["chat_id"]), target_number(values["text"])))
            elif status == 429:
                log.refused.append((arrived, int(values["chat_id"])))
            return status, body

        emulator.routes.call = call  # type: ignore[method-assign]
        return log

    def __len__(self) -> int:
        return len(self.sent)

    def busiest_second(self) -> int:
        """The most messages accepted within any one second (a sliding window)."""
        stamps = sorted(moment for moment, _, _ in self.sent)
        most, start = 0, 0
        for end, moment in enumerate(stamps):
            while stamps[start] <= moment - 1.0:
                start += 1
            most = max(most, end - start + 1)
        return most


def target_number(text: str | None) -> int | None:
    """The `#n` a target notice carries, if it is one."""
    found = _MARK.search(text or "")
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Received:
    """What the families' chats hold, read from the emulator."""

    missing: int
    duplicates: int
    unexpected: int


def received(emulator: BotApiEmulator, families: Sequence[Family]) -> Received:
    """Compare each family's chat with the targets due to them."""
    missing = duplicates = unexpected = 0
    for family in families:
        got = Counter(target_number(m.text) for m in emulator.chat_log(family.chat_id))
        wanted = set(family.targets)
        missing += len(wanted - set(got))
        duplicates += sum(n - 1 for number, n in got.items() if number in wanted)
        unexpected += sum(n for number, n in got.items() if number not in wanted)
    return Received(missing, duplicates, unexpected)


def start_bot(
    emulator: BotApiEmulator, database_url: str, *, cwd: Path, output: IO[bytes]
) -> subprocess.Popen[bytes]:
    """`mentorbot run` in a process of its own, polling the emulator over HTTP."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": emulator.base_url,
        "TELEGRAM_BOT_USERNAME": BOT_USERNAME,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "INFO",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=cwd,
        env=child_env(env),
        stdout=output,
        stderr=output,
    )
