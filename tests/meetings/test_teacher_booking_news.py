"""The meeting's teacher hears what families decide: booked, moved, can't come (and why),
and sees the reason in /today and /pupil."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from handlers.delivery import notices
from handlers.meetings.texts import when
from models import Notification
from models.calendar.school import School
from models.common.enums import BookingNews
from models.meetings.booking import book
from models.meetings.notices import TeacherBookingNotice
from models.meetings.tables import Slot
from models.people.access import resolve_actor
from models.people.tables import Staff, UserPreference
from scheduler.delivery import deliver_due
from tests.clock import Clock
from tests.harness import dialog
from tests.meetings.family_world import (
    EWA,
    OLGA,
    PIOTR,
    TEACHER,
    ZONE,
    World,
    app_fixture,  # noqa: F401 (the `app` fixture)
    book_in_chat,
    deliver_all,
    newest,
    world_fixture,  # noqa: F401 (the `world` fixture)
)

NEWS = TeacherBookingNotice.TEACHER_BOOKING_NEWS
SUMMARY = TeacherBookingNotice.TEACHER_BOOKING_SUMMARY


async def _office_always_open() -> None:
    await School.all().update(office_opens="00:00", office_closes="00:00")


async def test_teacher_is_told_at_once_of_a_booking_a_move_and_a_decline_with_its_reason(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    await _office_always_open()
    emulator.add_user(TEACHER, "Amira", started=True)
    await deliver_all(app)
    ewa, teacher, day = emulator.chat(EWA), emulator.chat(TEACHER), world.day_text
    await book_in_chat(ewa, world, "15:40")
    await deliver_all(app)
    assert f"📅 Booked: Maja, {day}, 15:40." in (newest(teacher, "Booked").text or "")
    await dialog(
        ewa,
        [
            ("[🔁 Change]", "Choose a new day:"),
            (f"[{day}]", "choose a time"),
            ("[15:50]", f"🔁 Changed: {day}, 15:50"),
        ],
    )
    await deliver_all(app)
    assert f"🔁 Moved: Maja, from {day}, 15:40 to {day}, 15:50." in (
        newest(teacher, "Moved").text or ""
    )
    await dialog(
        ewa,
        [
            ("[✖️ Can't come]", "Would you like to tell the teacher why?"),
            ("We are away <that> week", "✖️ Cancelled"),
        ],
    )
    await deliver_all(app)
    declined = newest(teacher, "Can't come").text or ""
    assert f"✖️ Can't come: Maja, {day}, 15:50." in declined
    assert "Reason: We are away <that> week" in declined
    assert len([m for m in teacher.messages if "Maja" in (m.text or "")]) == 3


async def test_at_once_news_waits_for_the_office_to_open(
    app: MentorApplication, emulator: BotApiEmulator, world: World, clock: Clock
) -> None:
    zone = ZoneInfo(ZONE)
    # The Saturday in the week before the meeting day (a week ahead): after today, before then.
    saturday = world.day + timedelta(days=(5 - world.day.weekday()) % 7) - timedelta(days=7)
    clock.travel(datetime.combine(saturday, time(10, 0), tzinfo=zone))
    await book(await resolve_actor(OLGA), world.slots["15:30"], world.ola, now=datetime.now(UTC))
    (row,) = await Notification.filter(kind=NEWS)
    monday = saturday + timedelta(days=2)
    assert row.due_at == datetime.combine(monday, time(8, 0), tzinfo=zone)


async def test_with_the_summary_setting_one_message_at_closing_lists_the_days_changes(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    emulator.add_user(TEACHER, "Amira", started=True)
    teacher, ewa, day = emulator.chat(TEACHER), emulator.chat(EWA), world.day_text
    await dialog(teacher, [("/settings", "Booking news from families")])
    await dialog(
        teacher,
        [("[One summary at the end of the school day]", "Saved: One summary at the end")],
    )
    assert (await UserPreference.get(telegram_user_id=TEACHER)).booking_news is (
        BookingNews.END_OF_DAY
    )
    await deliver_all(app)
    await book_in_chat(ewa, world, "15:40")
    await book_in_chat(emulator.chat(OLGA), world, "15:30")
    await dialog(
        ewa,
        [
            ("[🔁 Change]", "Choose a new day:"),
            (f"[{day}]", "choose a time"),
            ("[15:50]", f"🔁 Changed: {day}, 15:50"),
        ],
    )
    await deliver_all(app)
    assert not [m for m in teacher.messages if "Maja" in (m.text or "")]
    assert not await Notification.filter(kind=NEWS).exists()
    (summary,) = await Notification.filter(kind=SUMMARY)
    assert summary.due_at.astimezone(ZoneInfo(ZONE)).time() == time(17, 0)  # the office closes

    async def send(row: Notification) -> int | None:
        return await notices.send_notice(app.bot, row)

    await deliver_due(send, now=summary.due_at, pace=0)
    text = teacher.messages[-1].text or ""
    assert text.startswith("📋 Booking news today")
    assert f"📅 Booked: Maja, {day}, 15:40." in text
    assert f"📅 Booked: Ola, {day}, 15:30." in text
    assert f"🔁 Moved: Maja, from {day}, 15:40 to {day}, 15:50." in text
    assert len([m for m in teacher.messages if "Booked" in (m.text or "")]) == 1


async def test_a_decline_on_the_meetings_day_comes_at_once_with_its_reason_and_shows_in_today(
    app: MentorApplication, emulator: BotApiEmulator, world: World, clock: Clock
) -> None:
    zone = ZoneInfo(ZONE)
    today = datetime.now(zone).date()
    clock.travel(datetime.combine(today, time(12, 0), tzinfo=zone))
    staff = await Staff.get(telegram_user_id=TEACHER)
    await UserPreference.create(telegram_user_id=TEACHER, booking_news=BookingNews.END_OF_DAY)
    starts = datetime.combine(today, time(16, 0), tzinfo=zone)
    slot = await Slot.create(
        round_id=world.round_id,
        staff_id=staff.id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=10),
    )
    emulator.add_user(TEACHER, "Amira", started=True)
    await book(await resolve_actor(EWA), slot.id, world.maja, now=datetime.now(UTC))
    await deliver_all(app)
    piotr, teacher = emulator.chat(PIOTR), emulator.chat(TEACHER)
    assert not [m for m in teacher.messages if "Maja" in (m.text or "")]  # in the summary
    newest(piotr, "is booked")
    await dialog(
        piotr,
        [
            ("[✖️ Can't come]", "Would you like to tell the teacher why?"),
            ("Maja has a fever", "✖️ Cancelled"),
        ],
    )
    await deliver_all(app)
    declined = newest(teacher, "Can't come").text or ""
    assert f"✖️ Can't come: Maja, {when(starts, zone)}." in declined
    assert "Reason: Maja has a fever" in declined
    await dialog(
        teacher,
        [
            ("/today", ["✖️ Can't come", "16:00 Maja Nowak: Maja has a fever"]),
            ("/pupil maja", ["Meetings the family can't come to", ": Maja has a fever"]),
        ],
    )
