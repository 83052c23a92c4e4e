"""Booking a mentoring meeting: families, refusals, reminders, changes, declines, waiting list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import AuditEntry, Booking, Guardian, Notification, Pupil, Slot, WaitingListEntry
from models.common.enums import BookingStatus, NotificationState
from models.common.errors import NotAllowed
from models.meetings.booking import (
    AlreadyBooked,
    MeetingStarted,
    NotPupilsTeacher,
    OtherRound,
    PupilLeft,
    SlotInPast,
    SlotTaken,
    SlotUnavailable,
    book,
    change_booking,
    decline_booking,
    free_slots,
    join_waiting_list,
    live_booking,
)
from models.people.access import resolve_actor
from tests.meetings.booking_world import (
    ADAM,
    DAY,
    EWA,
    NOW,
    OLA_MUM,
    PIOTR,
    RESTRICTED,
    World,
    add_slot,
    build_world,
    queued,
)


@pytest.fixture
async def world(db: str) -> World:
    return await build_world()


async def test_a_shared_booking_tells_the_whole_reachable_family(world: World) -> None:
    view = await book(await resolve_actor(EWA), world.t3[0], world.maja, now=NOW)
    assert (view.pupil_name, view.slot.staff_name, view.slot.starts_at) == (
        "Maja Nowak",
        "Amira Khan",
        DAY,
    )
    assert (view.status, view.booked_by_school, view.confirmed) == ("booked", False, False)
    row = await Booking.get(id=view.booking_id)
    assert (row.holds_slot, row.holds_family) == (world.t3[0], f"{world.round1}:{world.maja}")
    confirmed = await queued("booking_confirmed")
    # Not the separate parent, the restricted link, the unlinked or the unreachable guardian.
    assert [n.chat_id for n in confirmed] == [EWA, PIOTR]
    assert confirmed[0].params == {"booking_id": view.booking_id, "pupil_id": world.maja}
    reminders = await queued("meeting_reminder")
    assert [(n.chat_id, n.due_at, n.params["hours"]) for n in reminders] == [
        (EWA, DAY - timedelta(hours=24), 24),
        (PIOTR, DAY - timedelta(hours=24), 24),
        (EWA, DAY - timedelta(hours=2), 2),
        (PIOTR, DAY - timedelta(hours=2), 2),
    ]
    assert reminders[0].idempotency_key.startswith(f"remind-b{view.booking_id}-s{world.t3[0]}-24h")
    entry = await AuditEntry.get(action="booking_made")
    assert entry.details == {"slot_id": world.t3[0], "by_school": False}
    same = await live_booking(await resolve_actor(PIOTR), world.round1, world.maja)
    assert same is not None
    assert same.booking_id == view.booking_id


async def test_one_live_booking_per_family_and_round(world: World) -> None:
    await book(await resolve_actor(EWA), world.t3[0], world.maja, now=NOW)
    with pytest.raises(AlreadyBooked) as refused:
        await book(await resolve_actor(PIOTR), world.t3[10], world.maja, now=NOW)
    assert refused.value.params == {"name": "Maja"}
    assert await Booking.all().count() == 1
    # A different round is a different meeting.
    await book(await resolve_actor(PIOTR), world.other_round, world.maja, now=NOW)


async def test_a_separate_guardian_books_and_hears_on_their_own(world: World) -> None:
    adam = await resolve_actor(ADAM)
    view = await book(adam, world.t3[10], world.maja, now=NOW)
    row = await Booking.get(id=view.booking_id)
    assert row.holds_family == f"{world.round1}:{world.maja}:g{row.guardian_id}"
    # Of the family, only he hears (the teacher is told too: tests/meetings/test_teacher_*).
    family_rows = await Notification.filter(guardian_id__not_isnull=True)
    assert {n.chat_id for n in family_rows} == {ADAM}
    assert await live_booking(await resolve_actor(EWA), world.round1, world.maja) is None
    shared = await book(await resolve_actor(EWA), world.t3[0], world.maja, now=NOW)
    mine = await live_booking(adam, world.round1, world.maja)
    assert mine is not None
    assert mine.booking_id != shared.booking_id
    with pytest.raises(NotAllowed):  # the shared booking is not his to move
        await change_booking(adam, shared.booking_id, world.t3[20], now=NOW)


async def test_a_guardian_without_reports_sees_and_books_nothing(world: World) -> None:
    restricted = await resolve_actor(RESTRICTED)
    with pytest.raises(NotAllowed):
        await free_slots(restricted, world.round1, world.maja, now=NOW)
    with pytest.raises(NotAllowed):
        await book(restricted, world.t3[0], world.maja, now=NOW)
    with pytest.raises(NotAllowed):
        await live_booking(restricted, world.round1, world.maja)
    with pytest.raises(NotAllowed):
        await join_waiting_list(restricted, world.round1, world.maja)
    assert await Booking.all().count() == 0


async def test_refusals_change_nothing(world: World) -> None:
    ewa = await resolve_actor(EWA)
    with pytest.raises(SlotInPast):
        await book(ewa, world.past, world.maja, now=NOW)
    with pytest.raises(SlotUnavailable):
        await book(ewa, world.blocked, world.maja, now=NOW)
    with pytest.raises(NotPupilsTeacher) as other_teacher:
        await book(ewa, world.t4[0], world.maja, now=NOW)
    assert other_teacher.value.params == {"name": "Maja"}
    with pytest.raises(NotAllowed):  # Ola is not her child
        await book(ewa, world.t3[0], world.ola, now=NOW)
    view = await book(ewa, world.t3[0], world.maja, now=NOW)
    before = await Notification.all().count(), await AuditEntry.all().count()
    with pytest.raises(OtherRound):
        await change_booking(ewa, view.booking_id, world.other_round, now=NOW)
    with pytest.raises(MeetingStarted):
        await change_booking(ewa, view.booking_id, world.t3[10], now=DAY + timedelta(minutes=1))
    await Pupil.filter(id=world.maja).update(left_at=NOW)
    with pytest.raises(PupilLeft):
        await change_booking(ewa, view.booking_id, world.t3[10], now=NOW)
    with pytest.raises(PupilLeft):
        await free_slots(ewa, world.round1, world.maja, now=NOW)
    assert (await Notification.all().count(), await AuditEntry.all().count()) == before
    assert (await Booking.get(id=view.booking_id)).slot_id == world.t3[0]


async def test_a_taken_slot_offers_the_three_nearest(world: World) -> None:
    await book(await resolve_actor(EWA), world.t3[20], world.maja, now=NOW)
    with pytest.raises(SlotTaken) as taken:
        await book(await resolve_actor(OLA_MUM), world.t3[20], world.ola, now=NOW)
    by_id = {v: k for k, v in world.t3.items()}
    assert [by_id[s.slot_id] for s in taken.value.alternatives] == [10, 30, 0]
    assert await Booking.filter(pupil_id=world.ola).count() == 0


async def test_staff_book_for_a_family(world: World) -> None:
    view = await book(await resolve_actor(105), world.t3[0], world.maja, now=NOW)
    assert view.booked_by_school
    row = await Booking.get(id=view.booking_id)
    assert (row.guardian_id, row.holds_family) == (None, f"{world.round1}:{world.maja}")
    assert [n.chat_id for n in await queued("booking_confirmed")] == [EWA, PIOTR]
    with pytest.raises(NotAllowed):  # not a pupil of Ben's class
        await book(await resolve_actor(104), world.t3[10], world.maja, now=NOW)


async def test_a_reminder_already_due_is_left_out(world: World) -> None:
    soon = await add_slot(
        world.round1, (await Slot.get(id=world.t3[0])).staff_id, NOW + timedelta(hours=5)
    )
    await book(await resolve_actor(EWA), soon, world.maja, now=NOW)
    assert {n.params["hours"] for n in await queued("meeting_reminder")} == {2}


async def test_changing_moves_the_reminders(world: World) -> None:
    ewa = await resolve_actor(EWA)
    view = await book(ewa, world.t3[0], world.maja, now=NOW)
    moved = await change_booking(ewa, view.booking_id, world.t3[30], now=NOW)
    assert (moved.booking_id, moved.slot.slot_id) == (view.booking_id, world.t3[30])
    row = await Booking.get(id=view.booking_id)
    assert (row.slot_id, row.holds_slot) == (world.t3[30], world.t3[30])
    old = await Notification.filter(idempotency_key__startswith=f"remind-b{row.id}-s{world.t3[0]}-")
    assert {(n.state, n.last_error) for n in old} == {(NotificationState.DEAD, "cancelled")}
    new = await Notification.filter(
        idempotency_key__startswith=f"remind-b{row.id}-s{world.t3[30]}-"
    )
    assert {n.state for n in new} == {NotificationState.PENDING}
    assert {n.due_at for n in new} == {
        DAY + timedelta(minutes=30) - timedelta(hours=h) for h in (24, 2)
    }
    assert [n.chat_id for n in await queued("booking_changed")] == [EWA, PIOTR]
    # Moving back brings the first reminders back rather than skipping them.
    await change_booking(ewa, view.booking_id, world.t3[0], now=NOW)
    assert {n.state for n in await Notification.filter(id__in=[n.id for n in old])} == {
        NotificationState.PENDING
    }
    assert len(await queued("booking_changed")) == 4
    entries = await AuditEntry.filter(action="booking_changed").order_by("id")
    assert entries[0].details == {"from_slot": world.t3[0], "to_slot": world.t3[30]}
    await book(await resolve_actor(OLA_MUM), world.t3[10], world.ola, now=NOW)
    with pytest.raises(SlotTaken):
        await change_booking(ewa, view.booking_id, world.t3[10], now=NOW)
    with pytest.raises(NotAllowed):
        await change_booking(await resolve_actor(OLA_MUM), view.booking_id, world.t3[20], now=NOW)


async def test_declining_frees_the_slot_and_offers_it_to_the_first_waiting_family(
    world: World,
) -> None:
    kasia, ewa = await resolve_actor(OLA_MUM), await resolve_actor(EWA)
    view = await book(kasia, world.t3[0], world.ola, now=NOW)
    await join_waiting_list(ewa, world.round1, world.jan)  # Jan's teacher is someone else
    await join_waiting_list(ewa, world.round1, world.maja)
    await join_waiting_list(await resolve_actor(PIOTR), world.round1, world.maja)  # same family
    assert await WaitingListEntry.all().count() == 2
    await decline_booking(kasia, view.booking_id, "  Working late  ", now=NOW)
    row = await Booking.get(id=view.booking_id)
    assert (row.status, row.holds_slot, row.holds_family) == (BookingStatus.DECLINED, None, None)
    assert row.decline_reason == "Working late"
    assert await Notification.filter(kind="meeting_reminder", state="pending").count() == 0
    offers = await queued("meeting_offer")
    assert [n.chat_id for n in offers] == [EWA, PIOTR]
    assert offers[0].params == {
        "slot_id": world.t3[0],
        "pupil_id": world.maja,
        "round_id": world.round1,
    }
    entry = await AuditEntry.get(action="booking_declined")
    assert entry.details == {"slot_id": world.t3[0], "by_school": False}  # no reason text
    await book(ewa, world.t3[0], world.maja, now=NOW)
    assert await WaitingListEntry.filter(pupil_id=world.maja).count() == 0
    assert await WaitingListEntry.filter(pupil_id=world.jan).count() == 1
    with pytest.raises(AlreadyBooked):
        await join_waiting_list(ewa, world.round1, world.maja)


async def test_a_family_that_booked_meanwhile_is_not_offered(world: World) -> None:
    kasia, ewa = await resolve_actor(OLA_MUM), await resolve_actor(EWA)
    await join_waiting_list(ewa, world.round1, world.maja)
    await book(ewa, world.t3[20], world.maja, now=NOW)  # entry removed: nobody left waiting
    await WaitingListEntry.create(
        round_id=world.round1,
        pupil_id=world.maja,
        guardian_id=(await Guardian.get(telegram_user_id=EWA)).id,
    )
    view = await book(kasia, world.t3[0], world.ola, now=NOW)
    await decline_booking(kasia, view.booking_id, "", now=NOW)
    assert await queued("meeting_offer") == []


async def test_siblings_get_back_to_back_slots_first(world: World) -> None:
    ewa = await resolve_actor(EWA)
    await book(ewa, world.t4[20], world.jan, now=NOW)  # Jan meets Ben 15:20-15:30
    slots = await free_slots(ewa, world.round1, world.maja, now=NOW)
    by_id = {v: k for k, v in world.t3.items()}
    assert [by_id[s.slot_id] for s in slots] == [10, 30, 0, 20]
    kasia_view = await free_slots(await resolve_actor(OLA_MUM), world.round1, world.ola, now=NOW)
    assert [by_id[s.slot_id] for s in kasia_view] == [0, 10, 20, 30]
    teacher_view = await free_slots(await resolve_actor(103), world.round1, world.maja, now=NOW)
    assert [by_id[s.slot_id] for s in teacher_view] == [0, 10, 20, 30]


async def test_moving_to_another_time_offers_the_old_one_to_the_waiting_family(
    world: World,
) -> None:
    kasia, ewa = await resolve_actor(OLA_MUM), await resolve_actor(EWA)
    view = await book(kasia, world.t3[0], world.ola, now=NOW)
    await join_waiting_list(ewa, world.round1, world.maja)
    await change_booking(kasia, view.booking_id, world.t3[10], now=NOW)
    offers = await queued("meeting_offer")
    assert {n.chat_id for n in offers} == {EWA, PIOTR}
    assert all(n.params["slot_id"] == world.t3[0] for n in offers)
