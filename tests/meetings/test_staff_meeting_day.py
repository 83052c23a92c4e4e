"""A teacher's meeting day (/today, booking for a family, blocking, the meeting) and /overview."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models import Notification, Pupil, Target
from models.common.enums import Area, BookingStatus, TargetStatus
from models.meetings.booking import book
from models.meetings.tables import Booking, MeetingRecord, Slot
from models.people.access import resolve_actor
from models.targets.targeting import set_target
from tests.factories import make_class, make_pupil
from tests.harness import dialog
from tests.meetings.test_staff_meetings import (
    JANS_DAD,
    LEADER,
    OTHER_TEACHER,
    PARENT,
    TEACHER,
    ZONE,
    Oakfield,
    build_school,
    local,
    school_today,
)


@pytest.fixture
async def school(db: str) -> Oakfield:
    return await build_school()


async def _slot(school: Oakfield, starts_at: datetime) -> Slot:
    return await Slot.create(
        round=school.round,
        staff_id=school.teacher_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=10),
    )


async def test_today_lists_meetings_books_for_a_family_and_blocks(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    tomorrow = school_today() + timedelta(days=1)
    first, second, third = [await _slot(school, local(tomorrow, 15, m)) for m in (30, 40, 50)]
    now = datetime.now(UTC)
    await book(await resolve_actor(PARENT), first.id, school.maja.id, now=now)
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            ("/today tomorrow", ["15:30 🕓 Maja Nowak", "15:40 ▫️ free", "2 free times"]),
            ("[📌 15:40 Book for a family]", "Book this time for which family?"),
            ("[Jan Nowak]", "Booked for Jan Nowak at"),
            ("/today tomorrow", ["15:30 🕓 Maja Nowak", "15:40 🏫 Jan Nowak", "1 free time"]),
            ("[⛔ Block]", ["15:50 ⛔ blocked", "0 free times", "Blocked"]),
            ("[15:50 Unblock]", ["15:50 ▫️ free", "1 free time", "Unblocked"]),
            ("[⛔ Block]", "15:50 ⛔ blocked"),
        ],
    )
    assert chat.messages[-1].edited  # the day's list, edited in place
    jans = await Booking.get(pupil_id=school.jan.id)
    assert (jans.slot_id, jans.booked_by_staff_id) == (second.id, school.teacher_id)
    told = await Notification.filter(kind="booking_confirmed").values_list("chat_id", flat=True)
    assert sorted(told) == [PARENT, JANS_DAD]
    assert (await Slot.get(id=third.id)).blocked
    # A booked time cannot be blocked, even with a forged button.
    forged = f"v1:mbb:{second.id}:1"
    query_id = await emulator.press_button(
        TEACHER, TEACHER, chat.messages[-1].message_id, forged, forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    assert "is booked" in (emulator.callback_answers[query_id][0] or "")
    assert not (await Slot.get(id=second.id)).blocked


async def _started_booking(school: Oakfield, pupil_id: int, minutes_ago: int) -> Booking:
    """A meeting that has just started today (never before the school's midnight)."""
    midnight = datetime.combine(school_today(), time(), ZONE).astimezone(UTC)
    starts = max(datetime.now(UTC) - timedelta(minutes=minutes_ago), midnight)
    slot = await _slot(school, starts.replace(second=0, microsecond=0))
    return await Booking.create(
        slot=slot,
        holds_slot=slot.id,
        holds_family=f"{school.round.id}:{pupil_id}",
        pupil_id=pupil_id,
        status=BookingStatus.CONFIRMED,
    )


async def test_a_meeting_is_run_and_recorded_with_targets_reviewed(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    teacher = await resolve_actor(TEACHER)
    earlier = datetime.now(UTC) - timedelta(days=3)
    capitals = await set_target(
        teacher, school.maja.id, Area.WRITING, "Uses capitals", "", now=earlier
    )
    fours = await set_target(
        teacher, school.maja.id, Area.MATHS, "Counts in fours", "", now=earlier
    )
    booking = await _started_booking(school, school.maja.id, 5)
    at = (await Slot.get(id=booking.slot_id)).starts_at.astimezone(ZONE).strftime("%H:%M")
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            ("/today", f"{at} ✅ Maja Nowak"),
            (f"[▶️ Start {at} · Maja Nowak]", "Did the family come?"),
            ("[✅ Attended]", ["1. Writing: Uses capitals", "2. Maths: Counts in fours"]),
            ("[1 ✅ Achieved]", ["Marked achieved", "1. Maths: Counts in fours"]),
            ("[1 ➡️ Carry over]", ["Carried over", "1. 🆕 Maths: Counts in fours"]),
            ("[➕ New target]", "Maja Nowak: a new target in which area?"),
            ("[Reading]", "New target for Maja Nowak — Reading"),
            ("Reads a chapter every night", "How can parents help at home?"),
            ("[⏭ Skip]", "Target set for Maja Nowak (Reading)"),
            ("[✔️ Targets done: notes]", "Notes (shared with the family):"),
            ("Maja reads <well> & loves books", "What did Maja say? (the child's voice)"),
            ("I like dragons", "Staff-only notes? (never shown to parents)"),
            ("Check hearing", "Saved. A summary is on its way to the family."),
        ],
    )
    record = await MeetingRecord.get(booking_id=booking.id)
    assert (record.notes, record.child_voice) == (
        "Maja reads <well> & loves books",
        "I like dragons",
    )
    assert (record.staff_notes, record.parent_attended) == ("Check hearing", True)
    reviewed = {t.id for t in await record.targets_reviewed.all()}
    assert reviewed == {capitals.id, fours.id}
    made = sorted(t.text for t in await record.targets_set.all())
    assert made == ["Counts in fours", "Reads a chapter every night"]
    assert (await Target.get(id=capitals.id)).status is TargetStatus.ACHIEVED
    assert (await Booking.get(id=booking.id)).status is BookingStatus.ATTENDED
    summary = await Notification.get(kind="meeting_summary", chat_id=PARENT)
    assert summary.params["record_id"] == record.id
    assert "Check hearing" not in str(summary.params)


async def test_a_missed_meeting_is_recorded_without_notes(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    booking = await _started_booking(school, school.jan.id, 2)
    at = (await Slot.get(id=booking.slot_id)).starts_at.astimezone(ZONE).strftime("%H:%M")
    emulator.add_user(TEACHER, "Amira")
    await dialog(
        emulator.chat(TEACHER),
        [
            ("/today", f"{at} ✅ Jan Nowak"),
            (f"[▶️ Start {at} · Jan Nowak]", "Did the family come?"),
            ("[✖️ Missed]", "Marked as missed."),
        ],
    )
    record = await MeetingRecord.get(booking_id=booking.id)
    assert (record.notes, record.parent_attended) == ("", False)
    assert (await Booking.get(id=booking.id)).status is BookingStatus.MISSED


async def test_another_teacher_cannot_run_the_meeting_by_a_forged_button(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    booking = await _started_booking(school, school.maja.id, 5)
    emulator.add_user(OTHER_TEACHER, "Ben")
    emulator.add_user(PARENT, "Ewa")
    chat, parent = emulator.chat(OTHER_TEACHER), emulator.chat(PARENT)
    await dialog(chat, [("/today", "No meeting times on this day.")])
    await dialog(parent, [("/today", "This command is for school staff.")])
    for user, message in ((OTHER_TEACHER, chat.last), (PARENT, parent.last)):
        for forged in (f"v1:mt:{booking.id}", f"v1:mta:{booking.id}:0", f"v1:mtn:{booking.id}"):
            assert message is not None
            query_id = await emulator.press_button(
                user, user, message.message_id, forged, forged=True
            )
            await emulator.wait_for(
                lambda q=query_id: q in emulator.callback_answers, what="answer"
            )
            answer, alert = emulator.callback_answers[query_id]
            assert alert
            assert "not available" in (answer or "") or "no longer active" in (answer or "")
    assert (await Booking.get(id=booking.id)).status is BookingStatus.CONFIRMED
    assert not await MeetingRecord.exists()
    assert len(parent.messages) == 1  # the refusal only: nothing was revealed


async def _book(slot_at: datetime, school: Oakfield, pupil: Pupil, status: BookingStatus) -> None:
    slot = await _slot(school, slot_at)
    confirmed = status in (BookingStatus.CONFIRMED, BookingStatus.ATTENDED)
    await Booking.create(
        slot=slot,
        holds_slot=slot.id,
        holds_family=f"{school.round.id}:{pupil.id}",
        pupil=pupil,
        status=status,
        confirmed_at=datetime.now(UTC) if confirmed else None,
    )


async def test_the_overview_shows_each_class_and_who_to_chase(
    bot: MentorApplication, emulator: BotApiEmulator, school: Oakfield
) -> None:
    ola = await make_pupil(school.school, school.c3, "P3", "Ola")
    ben = await make_pupil(school.school, school.c3, "P4", "Ben")
    c5 = await make_class(school.school, "5C")
    for n in range(33):
        await make_pupil(school.school, c5, f"Q{n}", f"Kid{n:02d}")
    base = local(school_today(), 9, 0)
    states = (BookingStatus.ATTENDED, BookingStatus.CONFIRMED, BookingStatus.BOOKED)
    for n, (pupil, status) in enumerate(zip((school.maja, school.jan, ola), states, strict=True)):
        await _book(base + timedelta(minutes=10 * n), school, pupil, status)
    emulator.add_user(TEACHER, "Amira")
    emulator.add_user(LEADER, "Helen")
    mine = "3B: booked 3/4 (75%), confirmed 50%, attended 25%"
    await dialog(
        emulator.chat(TEACHER),
        [("/overview", ["Autumn meetings", mine, "Not booked yet:", f"{ben.full_name} (3B)"])],
    )
    teacher_view = emulator.chat(TEACHER).messages[-1].text or ""
    assert "4H" not in teacher_view
    await dialog(
        emulator.chat(LEADER),
        [
            (
                "/overview",
                [
                    mine,
                    "4H: booked 0/1 (0%), confirmed 0%, attended 0%",
                    "5C: booked 0/33 (0%)",
                    "Total: booked 3/38 (8%), confirmed 5%, attended 3%",
                    "Zed Nowak (4H)",
                    "…and 5 more",
                ],
            )
        ],
    )
