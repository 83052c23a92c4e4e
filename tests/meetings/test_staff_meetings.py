"""Staff side of the mentoring meetings: rounds, opening availability, the round overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models import Notification, Pupil, School, SchoolClass
from models.calendar.schools import academic_year_for
from models.common.enums import Role
from models.meetings.tables import MentoringRound, Slot
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog

TEACHER, OTHER_TEACHER, ASSISTANT, LEADER, PARENT, JANS_DAD = 103, 104, 105, 106, 301, 302
ZONE = ZoneInfo("Europe/London")


@dataclass
class Oakfield:
    school: School
    c3: SchoolClass
    c4: SchoolClass
    maja: Pupil
    jan: Pupil
    zed: Pupil
    round: MentoringRound
    teacher_id: int


def school_today() -> date:
    return datetime.now(ZONE).date()


def local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)


async def build_school() -> Oakfield:
    """3B (Maja, Jan) and 4H (Zed); a round open from today for two weeks, made directly."""
    oakfield = await make_school()
    c3, c4 = await make_class(oakfield, "3B"), await make_class(oakfield, "4H")
    maja = await make_pupil(oakfield, c3, "P1", "Maja")
    jan = await make_pupil(oakfield, c3, "P2", "Jan")
    zed = await make_pupil(oakfield, c4, "P9", "Zed")
    teacher = await make_staff(oakfield, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_staff(oakfield, "T4", Role.TEACHER, (c4,), "Ben", telegram_user_id=OTHER_TEACHER)
    await make_staff(oakfield, "A3", Role.ASSISTANT, (c3,), "Tom", telegram_user_id=ASSISTANT)
    await make_staff(oakfield, "H1", Role.ADMIN, (), "Helen", telegram_user_id=LEADER)
    await make_guardian(oakfield, "G1", (maja,), telegram_user_id=PARENT)
    await make_guardian(oakfield, "G2", (jan,), telegram_user_id=JANS_DAD, first_name="Piotr")
    start = school_today()
    autumn = await MentoringRound.create(
        school=oakfield,
        academic_year=academic_year_for(start),
        number=1,
        name="Autumn meetings",
        opens_on=start,
        closes_on=start + timedelta(days=14),
    )
    return Oakfield(oakfield, c3, c4, maja, jan, zed, autumn, teacher.id)


@pytest.fixture
async def school(db: str) -> Oakfield:
    return await build_school()


def next_monday() -> date:
    start = school_today()
    return start + timedelta(days=7 - start.weekday())


async def test_a_teacher_opens_a_day_and_the_families_are_invited(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    emulator.add_user(TEACHER, "Amira")
    day = format_date(next_monday(), "EEE d MMM", locale="en")
    chat = emulator.chat(TEACHER)
    times = "15:30, 15:40, 15:50, 16:00, 16:10, 16:20, 16:50, 17:00, 17:10, 17:20"
    await dialog(
        chat,
        [
            ("/availability", ["Autumn meetings", "Which day?"]),
            (f"[{day}]", "Type the time, e.g. 15:30-17:30"),
            ("half past three", "I couldn't read that time."),
            ("17:30-15:30", "The end time must be after the start time."),
            ("15:30-17:30 break 16:30-16:45", "A gap after each meeting?"),
            ("[No gap]", f"10 meetings of 10 minutes: {times} (break 16:30–16:45)"),
            ("[✅ Open]", "Opened 10 times; invitations are on their way to 2 families."),
        ],
    )
    slots = await Slot.filter(staff_id=school.teacher_id).order_by("starts_at")
    assert [s.starts_at for s in slots][:2] == [
        local(next_monday(), 15, 30),
        local(next_monday(), 15, 40),
    ]
    assert len(slots) == 10
    invites = await Notification.filter(kind="meeting_invite").values_list("chat_id", flat=True)
    assert sorted(invites) == [PARENT, JANS_DAD]


async def test_an_overlap_is_refused_and_the_time_retyped(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    monday = next_monday()
    await Slot.create(
        round=school.round,
        staff_id=school.teacher_id,
        starts_at=local(monday, 16, 0),
        ends_at=local(monday, 16, 10),
    )
    emulator.add_user(TEACHER, "Amira")
    day = format_date(monday, "EEE d MMM", locale="en")
    await dialog(
        emulator.chat(TEACHER),
        [
            ("/availability", "Which day?"),
            (f"[{day}]", "Type the time"),
            ("15:50-16:20", "A gap after each meeting?"),
            ("[No gap]", "3 meetings of 10 minutes: 15:50, 16:00, 16:10"),
            ("[✅ Open]", ["You already have a meeting time at 16:00", "Nothing was opened."]),
            ("17:00-17:30", "A gap after each meeting?"),
            ("[5 min]", "2 meetings of 10 minutes: 17:00, 17:20 with a 5-minute gap after each"),
            ("[✅ Open]", "Opened 2 times; invitations are on their way to 2 families."),
        ],
    )
    assert await Slot.filter(staff_id=school.teacher_id).count() == 3
    assert await Notification.filter(kind="meeting_invite").count() == 2


async def test_a_leader_adds_a_round_after_retyping_the_dates(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    opens = school_today()
    year_end = date(int(academic_year_for(opens)[:4]) + 1, 8, 31)
    closes = min(opens + timedelta(days=10), year_end)
    emulator.add_user(LEADER, "Helen")
    await dialog(
        emulator.chat(LEADER),
        [
            ("/rounds", ["Mentoring rounds", "1. Autumn meetings", "🟢 open now"]),
            ("[➕ New round]", "What is the new round called?"),
            ("Spring <meetings>", "Type the dates as 30/11 – 11/12"),
            ("31/02 – 40/13", "I couldn't read those dates."),
            (f"{closes.isoformat()} {(closes - timedelta(1)).isoformat()}", "must close on or"),
            (f"{opens:%d/%m} – {closes:%d/%m}", "How long is each meeting?"),
            ("[15 min]", ["Round 2 “Spring <meetings>” added", "15-minute meetings"]),
        ],
    )
    added = await MentoringRound.get(number=2)
    assert (added.name, added.opens_on, added.closes_on) == ("Spring <meetings>", opens, closes)
    assert added.slot_minutes == 15
    assert added.academic_year == academic_year_for(opens)


async def test_parents_and_assistants_are_refused_politely(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    emulator.add_user(PARENT, "Ewa")
    emulator.add_user(ASSISTANT, "Tom")
    parent = emulator.chat(PARENT)
    steps = [(f"/{name}", "This command is for school staff.") for name in MENU_COMMANDS]
    await dialog(parent, steps)
    held = "Mentoring meetings are held by class teachers."
    await dialog(
        emulator.chat(ASSISTANT),
        [
            ("/availability", held),
            ("/today", held),
            ("/overview", held),
            ("/rounds", "1. Autumn meetings"),  # any staff member may look
        ],
    )
    assert not emulator.chat(ASSISTANT).messages[-1].buttons  # but not add one
    # A modified client sends staff buttons the parent was never shown.
    slot = await Slot.create(
        round=school.round,
        staff_id=school.teacher_id,
        starts_at=local(school_today() + timedelta(days=1), 15, 30),
        ends_at=local(school_today() + timedelta(days=1), 15, 40),
    )
    for forged in (f"v1:mbb:{slot.id}:1", f"v1:mo:{school.round.id}", "v1:rdn", "v1:rdl:10"):
        query_id = await emulator.press_button(
            PARENT, PARENT, parent.messages[-1].message_id, forged, forged=True
        )
        await emulator.wait_for(lambda q=query_id: q in emulator.callback_answers, what="answer")
        answer, alert = emulator.callback_answers[query_id]
        assert alert
        assert "not available" in (answer or "") or "no longer active" in (answer or "")
    assert not (await Slot.get(id=slot.id)).blocked
    assert await MentoringRound.all().count() == 1
    assert len(parent.messages) == len(MENU_COMMANDS)  # nothing was shown


MENU_COMMANDS = ("rounds", "availability", "today", "overview")
