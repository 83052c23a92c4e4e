"""/today's week: on a Friday the teacher sees Monday evening, the round's days and free times."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from bot.i18n import FSI, PDI
from models import Staff
from models.meetings.booking import book, confirm_booking, decline_booking
from models.meetings.tables import Slot
from models.meetings.week import meeting_week
from models.people.access import resolve_actor
from tests.clock import Clock
from tests.factories import make_pupil
from tests.harness import dialog
from tests.meetings.test_staff_meetings import PARENT, TEACHER, ZONE, Oakfield, build_school
from tests.querycount import count_queries

FRIDAY = date(2027, 1, 15)
MONDAY, TUESDAY, NEXT_MONDAY = date(2027, 1, 18), date(2027, 1, 19), date(2027, 1, 25)


def evening(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)


async def _slot(school: Oakfield, starts_at: datetime, *, blocked: bool = False) -> Slot:
    return await Slot.create(
        round=school.round,
        staff_id=school.teacher_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=10),
        blocked=blocked,
    )


@pytest.fixture
async def school(db: str, clock: Clock) -> Oakfield:
    """Friday morning; the round opens today. Monday: Maja confirmed at 17:00, Jan booked by
    the school at 17:10, 17:20 and 17:30 free. Tuesday: 17:00 blocked, 17:10 free. One time
    the Monday after."""
    clock.travel(evening(FRIDAY, 10, 0))
    school = await build_school()
    monday = [await _slot(school, evening(MONDAY, 17, m)) for m in (0, 10, 20, 30)]
    await _slot(school, evening(TUESDAY, 17, 0), blocked=True)
    await _slot(school, evening(TUESDAY, 17, 10))
    await _slot(school, evening(NEXT_MONDAY, 17, 0))
    now = datetime.now(UTC)
    parent, teacher = await resolve_actor(PARENT), await resolve_actor(TEACHER)
    majas = await book(parent, monday[0].id, school.maja.id, now=now)
    await confirm_booking(parent, majas.booking_id, now=now)
    await book(teacher, monday[1].id, school.jan.id, now=now)
    return school


async def test_on_a_friday_the_teacher_sees_monday_evening(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    monday = [
        "Week of Monday 18 January",
        "Monday 18 January",
        "17:00 ✅ Maja Nowak",
        "17:10 🏫 Jan Nowak",
        "▫️ 2 free times: 17:20 and 17:30",
        "Tuesday 19 January",
        "⛔ blocked: 17:00",
        "▫️ 1 free time: 17:10",
    ]
    await dialog(
        chat,
        [
            ("/today", "No meeting times on this day."),
            ("[🗓 Week]", monday),
            ("[Later ▶️]", ["Week of Monday 25 January", "▫️ 1 free time: 17:00"]),
            ("[◀️ Earlier]", monday),
            ("[Mon 18 Jan]", ["17:00 ✅ Maja Nowak", "17:20 ▫️ free", "2 free times"]),
            ("[📌 17:20 Book for a family]", "Book this time for which family?"),
        ],
    )
    # The week and the days replace each other in one message.
    week_text = chat.messages[-2].text or ""
    assert chat.messages[-2].edited
    assert "Monday 18 January" in week_text
    assert "Later" not in str(chat.messages[-2].reply_markup)  # the day view has no paging


async def test_a_week_without_meeting_days_left_is_said_plainly(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    await Slot.all().delete()
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            ("/today", "No meeting times on this day."),
            ("[🗓 Week]!", "No meeting times in the open rounds."),
        ],
    )


async def test_the_week_reads_the_same_number_of_queries_however_many_bookings(
    school: Oakfield, monkeypatch: pytest.MonkeyPatch
) -> None:
    teacher = await resolve_actor(TEACHER)
    counts, booked = [], []
    for n in range(2):
        with count_queries(monkeypatch) as counter:
            week = await meeting_week(teacher, FRIDAY, today=FRIDAY)
        counts.append(counter.count)
        assert week is not None
        assert week.monday == MONDAY
        assert [e.day for e in week.evenings] == [MONDAY, TUESDAY]
        booked.append([t.booking.pupil_name for t in week.evenings[0].times if t.booking])
        for free in week.evenings[0].free:  # the rest of Monday, for the second count
            pupil = await make_pupil(school.school, school.c3, f"X{n}{free.slot_id}", "Ola")
            await book(teacher, free.slot_id, pupil.id, now=datetime.now(UTC))
    assert booked == [["Maja Nowak", "Jan Nowak"], ["Maja Nowak", "Jan Nowak", *["Ola Nowak"] * 2]]
    # Days, the week's slots, the school; then four for each meeting day (live bookings and
    # declines), never per booking.
    assert counts == [3 + 4 * 2, 3 + 4 * 2]
    later = await meeting_week(teacher, NEXT_MONDAY, today=FRIDAY)
    assert later is not None
    assert later.earlier == TUESDAY
    assert later.later is None


async def test_in_arabic_the_times_and_names_keep_their_order(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    await Staff.filter(id=school.teacher_id).update(language="ar")
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(chat, [("/today", "/availability")])
    replies = await chat.press("🗓 الأسبوع")
    text = replies[-1].text or ""
    assert "الأسبوع الذي يبدأ" in text
    assert f"{FSI}17:00{PDI} ✅ {FSI}Maja Nowak{PDI}" in text
    assert f"{FSI}17:20{PDI}" in text
    assert "18" in text


async def test_a_family_that_cannot_come_shows_in_its_evening_with_the_reason(
    school: Oakfield,
) -> None:
    parent, teacher = await resolve_actor(PARENT), await resolve_actor(TEACHER)
    week = await meeting_week(teacher, FRIDAY, today=FRIDAY)
    assert week is not None
    majas = next(t.booking for t in week.evenings[0].times if t.booking is not None)
    await decline_booking(parent, majas.booking_id, "We are away that week", now=datetime.now(UTC))

    week = await meeting_week(teacher, FRIDAY, today=FRIDAY)
    assert week is not None
    monday = week.evenings[0]
    assert [(b.pupil_name, b.decline_reason) for b in monday.declined] == [
        ("Maja Nowak", "We are away that week")
    ]
    assert majas.slot.slot_id in {t.slot_id for t in monday.free}  # her time is free again
