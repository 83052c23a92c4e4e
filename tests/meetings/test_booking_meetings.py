"""After booking: confirmation, the teacher's day, attendance and the meeting record."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from models import AuditEntry, Booking, Guardian, MeetingRecord, Notification, Pupil, Slot
from models.common.enums import Area, BookingStatus, TargetStatus
from models.common.errors import NotAllowed
from models.meetings.booking import (
    BookingNotLive,
    MeetingNotYet,
    book,
    bookings_for_day,
    change_booking,
    confirm_booking,
    decline_booking,
    mark_attendance,
    record_meeting,
)
from models.people.access import resolve_actor
from models.targets.targeting import review_target, set_target
from tests.factories import make_pupil
from tests.meetings.booking_world import (
    ADAM,
    DAY,
    EWA,
    NOW,
    OLA_MUM,
    PIOTR,
    World,
    add_slot,
    build_world,
)
from tests.querycount import count_queries

TEACHER, BEN, ASSISTANT, LEADER = 103, 104, 105, 100
AFTER = DAY + timedelta(minutes=12)


@pytest.fixture
async def world(db: str) -> World:
    return await build_world()


async def test_confirming_records_who_and_when_once(world: World) -> None:
    view = await book(await resolve_actor(EWA), world.t3[0], world.maja, now=NOW)
    piotr = await resolve_actor(PIOTR)
    confirmed = await confirm_booking(piotr, view.booking_id, now=NOW + timedelta(hours=1))
    again = await confirm_booking(piotr, view.booking_id, now=NOW + timedelta(hours=2))
    assert (confirmed.status, confirmed.confirmed) == (again.status, again.confirmed)
    assert again.status == BookingStatus.CONFIRMED
    assert again.confirmed
    row = await Booking.get(id=view.booking_id)
    assert row.confirmed_by_id == (await Guardian.get(telegram_user_id=PIOTR)).id
    assert row.confirmed_at == NOW + timedelta(hours=1)
    for outsider in (TEACHER, ADAM, OLA_MUM):  # staff, the separate parent, another family
        with pytest.raises(NotAllowed):
            await confirm_booking(await resolve_actor(outsider), view.booking_id, now=NOW)
    moved = await change_booking(piotr, view.booking_id, world.t3[10], now=NOW)
    assert (moved.status, moved.confirmed) == (BookingStatus.BOOKED, False)


async def test_attendance_by_the_pupils_teacher_or_a_leader(world: World) -> None:
    view = await book(await resolve_actor(EWA), world.t3[0], world.maja, now=NOW)
    teacher = await resolve_actor(TEACHER)
    with pytest.raises(MeetingNotYet):
        await mark_attendance(teacher, view.booking_id, True, now=NOW)
    for outsider in (ASSISTANT, BEN, EWA):
        with pytest.raises(NotAllowed):
            await mark_attendance(await resolve_actor(outsider), view.booking_id, True, now=AFTER)
    came = await mark_attendance(teacher, view.booking_id, True, now=AFTER)
    assert came.status == BookingStatus.ATTENDED
    corrected = await mark_attendance(
        await resolve_actor(LEADER), view.booking_id, False, now=AFTER
    )
    assert corrected.status == BookingStatus.MISSED
    actions = await AuditEntry.filter(subject_id=view.booking_id).order_by("id")
    assert [a.action for a in actions] == ["booking_made", "booking_attended", "booking_missed"]
    other = await book(await resolve_actor(OLA_MUM), world.t3[10], world.ola, now=NOW)
    await decline_booking(await resolve_actor(OLA_MUM), other.booking_id, "", now=NOW)
    with pytest.raises(BookingNotLive):
        await mark_attendance(teacher, other.booking_id, True, now=AFTER)


async def test_the_meeting_record_links_targets_and_keeps_staff_notes_private(
    world: World,
) -> None:
    view = await book(await resolve_actor(EWA), world.t3[0], world.maja, now=NOW)
    teacher = await resolve_actor(TEACHER)
    before = await set_target(teacher, world.maja, Area.MATHS, "Old target", "", now=NOW)
    set_in_meeting = await set_target(
        teacher, world.maja, Area.WRITING, "Full stops", "", now=AFTER
    )
    await review_target(teacher, before.id, TargetStatus.ACHIEVED, now=AFTER)
    with pytest.raises(NotAllowed):
        await record_meeting(
            await resolve_actor(ASSISTANT),
            view.booking_id,
            notes="x",
            child_voice="",
            parent_attended=True,
            now=AFTER,
        )
    record = await record_meeting(
        teacher,
        view.booking_id,
        notes=" Reading at home every night ",
        child_voice="I like maths",
        parent_attended=True,
        now=AFTER,
    )
    assert (record.notes, record.held_at, record.parent_attended) == (
        "Reading at home every night",
        DAY,
        True,
    )
    assert [t.id for t in await record.targets_set.all()] == [set_in_meeting.id]
    assert [t.id for t in await record.targets_reviewed.all()] == [before.id]
    assert (await Booking.get(id=view.booking_id)).status == BookingStatus.ATTENDED
    summaries = await Notification.filter(kind="meeting_summary").order_by("chat_id")
    assert [n.chat_id for n in summaries] == [EWA, PIOTR]
    assert summaries[0].params == {"record_id": record.id, "pupil_id": world.maja}
    await MeetingRecord.filter(id=record.id).update(staff_notes="Social care involved")
    corrected = await record_meeting(
        teacher, view.booking_id, notes="Fixed", child_voice="", parent_attended=True, now=AFTER
    )
    assert corrected.id == record.id
    assert corrected.staff_notes == "Social care involved"
    assert await Notification.filter(kind="meeting_summary").count() == 2
    everything = json.dumps([n.params for n in await Notification.all()])
    assert "Social care" not in everything
    assert "Reading" not in everything
    entry = await AuditEntry.get(action="meeting_recorded")
    assert entry.details == {"booking_id": view.booking_id}


async def test_the_teachers_day_follows_the_school_clock(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """25 October 2026 is 25 hours long in London: 00:00 BST to 24:00 GMT."""
    teacher_id = (await Slot.get(id=world.t3[0])).staff_id
    earlier = datetime(2026, 10, 1, tzinfo=UTC)
    starts = [
        datetime(2026, 10, 24, 22, 30, tzinfo=UTC),  # 23:30 BST on the 24th
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # 00:30 BST on the 25th
        datetime(2026, 10, 25, 23, 30, tzinfo=UTC),  # 23:30 GMT on the 25th
        datetime(2026, 10, 26, 0, 10, tzinfo=UTC),  # 00:10 GMT on the 26th
    ]
    slots = [await add_slot(world.round2, teacher_id, s) for s in starts]
    teacher = await resolve_actor(TEACHER)
    pupil = await Pupil.get(id=world.ola).select_related("school", "school_class")
    extras = [
        (await make_pupil(pupil.school, pupil.school_class, f"X{n}", f"Extra{n}")).id
        for n in range(5)
    ]
    maja = await book(teacher, slots[2], world.maja, now=earlier)
    ola = await book(teacher, slots[1], world.ola, now=earlier)
    await book(teacher, slots[0], extras[0], now=earlier)  # the evening before
    await book(teacher, slots[3], extras[1], now=earlier)  # just after midnight
    await confirm_booking(await resolve_actor(OLA_MUM), ola.booking_id, now=earlier)
    with count_queries(monkeypatch) as few:
        day = await bookings_for_day(teacher, date(2026, 10, 25))
    assert [(v.pupil_name, v.status, v.slot.starts_at) for v in day] == [
        ("Ola Nowak", BookingStatus.CONFIRMED, starts[1]),
        ("Maja Nowak", BookingStatus.BOOKED, starts[2]),
    ]
    assert maja.booking_id == day[1].booking_id
    for n, extra in enumerate(extras[2:], start=1):
        slot_id = await add_slot(world.round2, teacher_id, starts[1] + timedelta(minutes=10 * n))
        await book(teacher, slot_id, extra, now=earlier)
    with count_queries(monkeypatch) as more:
        day = await bookings_for_day(teacher, date(2026, 10, 25))
    assert len(day) == 5
    assert more.count == few.count <= 2
    assert await bookings_for_day(await resolve_actor(BEN), date(2026, 10, 25)) == []
    with pytest.raises(NotAllowed):
        await bookings_for_day(await resolve_actor(EWA), date(2026, 10, 25))
