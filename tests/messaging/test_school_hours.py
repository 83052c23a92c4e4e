"""/hours: senior leaders set office hours and quiet hours; nobody else can."""

from __future__ import annotations

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models import AuditEntry, School
from models.calendar.school_hours import HoursKind, parse_span, set_school_hours
from models.common.clock import now
from models.common.enums import Role
from models.common.errors import DomainError, NotAllowed
from models.people.access import resolve_actor
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog

HEAD, TEACHER, EWA = 101, 103, 301


@pytest.mark.parametrize(
    ("typed", "span"),
    [
        ("08:00-17:00", ("08:00", "17:00")),
        ("8:15 – 16:30", ("08:15", "16:30")),
        ("20.00 to 7.30", ("20:00", "07:30")),
    ],
)
def test_times_are_read_in_the_usual_ways(typed: str, span: tuple[str, str]) -> None:
    assert parse_span(typed) == span


@pytest.mark.parametrize("typed", ["", "8-5", "25:00-26:00", "08:00", "08:70-09:00", "soon"])
def test_anything_else_is_refused(typed: str) -> None:
    with pytest.raises(DomainError):
        parse_span(typed)


@pytest.fixture
async def school(db: str) -> int:
    oakfield = await make_school(quiet_hours=True)
    c3 = await make_class(oakfield, "3B")
    maja = await make_pupil(oakfield, c3, "P1", "Maja")
    await make_staff(oakfield, "H1", Role.ADMIN, first_name="Helen", telegram_user_id=HEAD)
    await make_staff(oakfield, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_guardian(oakfield, "G1", (maja,), telegram_user_id=EWA)
    return oakfield.id


async def test_only_senior_leaders_set_hours_and_a_bad_span_changes_nothing(school: int) -> None:
    for person in (TEACHER, EWA):
        with pytest.raises(NotAllowed):
            await set_school_hours(
                await resolve_actor(person), HoursKind.OFFICE, "07:00-18:00", now=now()
            )
    head = await resolve_actor(HEAD)
    with pytest.raises(DomainError):
        await set_school_hours(
            head, HoursKind.OFFICE, "17:00-08:00", now=now()
        )  # office hours end later
    assert (await School.get(id=school)).office_opens == "08:00"
    hours = await set_school_hours(
        head, HoursKind.QUIET, "21:00-07:00", now=now()
    )  # past midnight: fine
    assert hours.quiet == ("21:00", "07:00")
    assert await AuditEntry.filter(action="quiet_hours_set").count() == 1


async def test_hours_in_chat(bot: MentorApplication, emulator: BotApiEmulator, school: int) -> None:
    emulator.add_user(HEAD, "Helen", started=True)
    emulator.add_user(TEACHER, "Amira", started=True)
    await dialog(
        emulator.chat(HEAD),
        [
            ("/hours", ["Office hours: 08:00–17:00", "Quiet hours: 20:00–07:30"]),
            ("[✏️ Office hours]", "Type the new hours, such as 08:00-17:00."),
            ("after lunch", "Please type two times, such as 08:00-17:00."),
            ("7:45-16:30", ["Saved", "Office hours: 07:45–16:30"]),
        ],
    )
    school_row = await School.get(id=school)
    assert (school_row.office_opens, school_row.office_closes) == ("07:45", "16:30")
    await dialog(emulator.chat(TEACHER), [("/hours", "That is not available to you.")])
