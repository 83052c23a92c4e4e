"""A small school with two rounds of meeting slots, for the booking tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from models import Guardian, GuardianLink, MentoringRound, Notification, Slot
from models.common.enums import Role
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DAY = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Thursday after school
EWA, PIOTR, ADAM, RESTRICTED, OLA_MUM = 301, 302, 303, 304, 305


@dataclass
class World:
    maja: int
    jan: int
    ola: int
    round1: int
    round2: int
    t3: dict[int, int]  # minutes after DAY -> slot id, Maja's and Ola's teacher
    t4: dict[int, int]  # Jan's teacher
    blocked: int
    past: int
    other_round: int


async def add_slot(round_id: int, staff_id: int, starts: datetime, blocked: bool = False) -> int:
    slot = await Slot.create(
        round_id=round_id,
        staff_id=staff_id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=10),
        blocked=blocked,
    )
    return slot.id


async def build_world() -> World:
    """Maja (3B) and Jan (4H) share Ewa and Piotr; Adam is separate; Ola (3B) is Kasia's."""
    school = await make_school()
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    maja = await make_pupil(school, c3, "P1", "Maja")
    ola = await make_pupil(school, c3, "P3", "Ola")
    jan = await make_pupil(school, c4, "P2", "Jan")
    t3 = await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=103)
    t4 = await make_staff(school, "T4", Role.TEACHER, (c4,), "Ben", telegram_user_id=104)
    await make_staff(school, "A3", Role.ASSISTANT, (c3,), telegram_user_id=105)
    await make_staff(school, "H", Role.ADMIN, telegram_user_id=100)
    await make_guardian(school, "G1", (maja, jan), telegram_user_id=EWA, first_name="Ewa")
    await make_guardian(school, "G2", (maja, jan), telegram_user_id=PIOTR, first_name="Piotr")
    adam = await make_guardian(school, "G3", (maja,), telegram_user_id=ADAM, first_name="Adam")
    await GuardianLink.filter(guardian_id=adam.id).update(separate=True)
    await make_guardian(school, "G4", (maja,), receives_reports=False, telegram_user_id=RESTRICTED)
    await make_guardian(school, "G5", (maja,), telegram_user_id=None)  # not linked yet
    gone = await make_guardian(school, "G6", (maja,), telegram_user_id=306)
    await Guardian.filter(id=gone.id).update(unreachable_at=NOW)  # blocked the bot
    await make_guardian(school, "G7", (ola,), telegram_user_id=OLA_MUM, first_name="Kasia")
    rounds = [
        await MentoringRound.create(
            school=school,
            academic_year="2026-27",
            number=n,
            name=f"Round {n}",
            opens_on=date(2026, 11, 23) + timedelta(days=90 * (n - 1)),
            closes_on=date(2026, 12, 4) + timedelta(days=90 * (n - 1)),
        )
        for n in (1, 2)
    ]
    r1 = rounds[0].id
    return World(
        maja=maja.id,
        jan=jan.id,
        ola=ola.id,
        round1=r1,
        round2=rounds[1].id,
        t3={m: await add_slot(r1, t3.id, DAY + timedelta(minutes=m)) for m in (0, 10, 20, 30)},
        t4={m: await add_slot(r1, t4.id, DAY + timedelta(minutes=m)) for m in (0, 10, 20, 40)},
        blocked=await add_slot(r1, t3.id, DAY + timedelta(minutes=40), blocked=True),
        past=await add_slot(r1, t3.id, NOW - timedelta(hours=1)),
        other_round=await add_slot(rounds[1].id, t3.id, DAY + timedelta(days=90)),
    )


async def queued(kind: str) -> list[Notification]:
    return await Notification.filter(kind=kind).order_by("due_at", "chat_id")
