"""Planning the slot grid: alignment, breaks, buffers, clock changes and bad input (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from models import AuditEntry, Booking, Guardian, MentoringRound, Notification, Pupil, Slot
from models.common.enums import BookingStatus, Role
from models.common.errors import NotAllowed
from models.meetings.availability import (
    AvailabilityRequest,
    InvalidAvailability,
    open_availability,
    plan_slots,
    set_slot_blocked,
)
from models.people.access import resolve_actor
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 23)  # GMT: local time is UTC


def plan(
    starts: str,
    ends: str,
    *,
    day: date = MONDAY,
    minutes: int = 10,
    pause: tuple[str, str] | None = None,
    buffer: int = 0,
) -> list[tuple[datetime, datetime]]:
    request = AvailabilityRequest(
        day=day,
        starts=time.fromisoformat(starts),
        ends=time.fromisoformat(ends),
        break_starts=time.fromisoformat(pause[0]) if pause else None,
        break_ends=time.fromisoformat(pause[1]) if pause else None,
        buffer_minutes=buffer,
    )
    return plan_slots(request, slot_minutes=minutes, timezone=LONDON)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local_starts(slots: list[tuple[datetime, datetime]]) -> list[str]:
    return [start.astimezone(LONDON).strftime("%H:%M") for start, _ in slots]


def refusal(starts: str, ends: str, **kwargs: Any) -> InvalidAvailability:
    with pytest.raises(InvalidAvailability) as caught:
        plan(starts, ends, **kwargs)
    return caught.value


def test_starts_are_aligned_to_the_grid_and_the_last_one_fits() -> None:
    slots = plan("15:25", "16:30")
    assert local_starts(slots) == ["15:30", "15:40", "15:50", "16:00", "16:10", "16:20"]
    assert all(end - start == timedelta(minutes=10) for start, end in slots)
    assert all(start.tzinfo is UTC for start, _ in slots)


@pytest.mark.parametrize(
    ("minutes", "window", "expected"),
    [
        (15, ("15:05", "16:00"), ["15:15", "15:30", "15:45"]),
        (5, ("15:02", "15:20"), ["15:05", "15:10", "15:15"]),
        (20, ("15:00", "16:10"), ["15:00", "15:20", "15:40"]),
        # 25 does not divide the hour: the grid restarts at each hour (:00, :25, :50).
        (25, ("15:00", "17:00"), ["15:00", "15:25", "15:50", "16:25"]),
    ],
)
def test_other_slot_lengths_use_their_own_grid(
    minutes: int, window: tuple[str, str], expected: list[str]
) -> None:
    slots = plan(*window, minutes=minutes)
    assert local_starts(slots) == expected
    assert all(end - start == timedelta(minutes=minutes) for start, end in slots)


def test_the_break_is_skipped() -> None:
    slots = plan("15:00", "17:00", pause=("16:00", "16:15"))
    assert local_starts(slots) == [
        "15:00", "15:10", "15:20", "15:30", "15:40", "15:50",
        "16:20", "16:30", "16:40", "16:50",
    ]  # fmt: skip


def test_a_meeting_that_would_run_into_the_break_is_left_out() -> None:
    slots = plan("15:00", "16:30", pause=("15:55", "16:05"))
    assert local_starts(slots) == ["15:00", "15:10", "15:20", "15:30", "15:40", "16:10", "16:20"]


def test_the_buffer_follows_each_meeting_then_the_grid_resumes() -> None:
    assert local_starts(plan("15:00", "16:00", buffer=5)) == ["15:00", "15:20", "15:40"]
    # The last meeting needs no buffer after it.
    assert local_starts(plan("15:00", "15:50", buffer=5)) == ["15:00", "15:20", "15:40"]
    assert local_starts(plan("15:00", "16:00", buffer=10)) == ["15:00", "15:20", "15:40"]
    assert local_starts(plan("15:00", "16:00", buffer=11)) == ["15:00", "15:30"]


def test_local_times_become_utc_on_both_sides_of_the_autumn_clock_change() -> None:
    friday = plan("15:30", "15:40", day=date(2026, 10, 23))  # still BST
    monday = plan("15:30", "15:40", day=date(2026, 10, 26))  # GMT since Sunday
    assert friday == [(utc(2026, 10, 23, 14, 30), utc(2026, 10, 23, 14, 40))]
    assert monday == [(utc(2026, 10, 26, 15, 30), utc(2026, 10, 26, 15, 40))]
    spring = plan("15:30", "15:40", day=date(2027, 3, 29))  # BST from Sunday 28 March
    assert spring[0][0] == utc(2027, 3, 29, 14, 30)


def test_times_the_clock_change_skips_or_repeats_are_refused() -> None:
    skipped = refusal("00:30", "02:30", day=date(2027, 3, 28))
    assert "The clocks change on {day}" in skipped.message
    assert skipped.params == {"day": "2027-03-28", "time": "01:00"}
    repeated = refusal("01:00", "01:30", day=date(2026, 10, 25))
    assert repeated.params == {"day": "2026-10-25", "time": "01:00"}
    # The rest of those Sundays is fine.
    assert plan("09:00", "09:10", day=date(2027, 3, 28))[0][0] == utc(2027, 3, 28, 8, 0)
    assert plan("00:00", "00:10", day=date(2026, 10, 25))[0][0] == utc(2026, 10, 24, 23, 0)


@pytest.mark.parametrize(
    ("window", "kwargs", "fragment"),
    [
        (("16:00", "16:00"), {}, "end time must be after the start"),
        (("16:00", "15:00"), {}, "end time must be after the start"),
        (("15:00", "16:00"), {"pause": ("15:30", "15:30")}, "break must end after it starts"),
        (("15:00", "16:00"), {"pause": ("15:40", "15:30")}, "break must end after it starts"),
        (("15:00", "16:00"), {"pause": ("14:50", "15:10")}, "break must be between"),
        (("15:00", "16:00"), {"pause": ("15:50", "16:10")}, "break must be between"),
        (("15:00", "16:00"), {"buffer": -1}, "gap between meetings"),
        (("15:00", "16:00"), {"buffer": 61}, "gap between meetings"),
        (("15:01", "15:10"), {}, "No {minutes}-minute meeting fits"),
        (("15:00", "15:30"), {"pause": ("15:05", "15:25")}, "No {minutes}-minute meeting fits"),
    ],
)
def test_bad_requests_are_refused_with_a_message(
    window: tuple[str, str], kwargs: dict[str, Any], fragment: str
) -> None:
    assert fragment in refusal(*window, **kwargs).message


def test_half_a_break_is_refused() -> None:
    request = AvailabilityRequest(MONDAY, time(15), time(16), break_starts=time(15, 30))
    with pytest.raises(InvalidAvailability) as caught:
        plan_slots(request, slot_minutes=10, timezone=LONDON)
    assert "both the start and the end of the break" in caught.value.message


def test_messages_carry_their_placeholders() -> None:
    assert refusal("15:01", "15:10").params == {"minutes": 10, "starts": "15:01", "ends": "15:10"}
    outside = refusal("15:00", "16:00", pause=("14:50", "15:10"))
    assert outside.params == {"starts": "15:00", "ends": "16:00"}


# Opening availability in a round, inviting families, blocking slots (database).

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
EVENING = AvailabilityRequest(date(2026, 11, 25), time(15), time(16))


@pytest.fixture
async def world(db: str) -> dict[str, int]:
    school = await make_school()
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    maja, jan = (
        await make_pupil(school, c3, "P1", "Maja"),
        await make_pupil(school, c3, "P2", "Jan"),
    )
    ola, kuba = (
        await make_pupil(school, c3, "P3", "Ola"),
        await make_pupil(school, c4, "P4", "Kuba"),
    )
    await Pupil.filter(id=ola.id).update(left_at=NOW)
    await make_staff(school, "H1", Role.ADMIN, (c4,), telegram_user_id=101)
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=103)
    await make_staff(school, "A3", Role.ASSISTANT, (c3,), telegram_user_id=104)
    await make_staff(school, "T4", Role.TEACHER, (c4,), telegram_user_id=105)
    await make_guardian(school, "G1", (maja,), telegram_user_id=301)
    await make_guardian(school, "G2", (maja, jan), telegram_user_id=302)
    await make_guardian(school, "G3", (maja,), receives_reports=False, telegram_user_id=303)
    await make_guardian(school, "G4", (maja,))  # not linked yet
    gone = await make_guardian(school, "G5", (jan,), telegram_user_id=305)
    await Guardian.filter(id=gone.id).update(unreachable_at=NOW)
    await make_guardian(school, "G7", (ola,), telegram_user_id=307)
    await make_guardian(school, "G8", (kuba,), telegram_user_id=308)
    elm = await make_school("Elm Primary")
    await make_staff(elm, "T9", Role.TEACHER, (await make_class(elm, "3B"),), telegram_user_id=903)
    autumn = await MentoringRound.create(
        school=school, academic_year="2026-27", number=1, name="Autumn",
        opens_on=date(2026, 11, 23), closes_on=date(2026, 12, 4),
    )  # fmt: skip
    return {"round": autumn.id, "maja": maja.id, "jan": jan.id, "kuba": kuba.id}


async def open_as(user: int, world: dict[str, int], request: AvailabilityRequest) -> list[Slot]:
    return await open_availability(await resolve_actor(user), world["round"], request, now=NOW)


async def counts() -> tuple[int, int, int]:
    return (
        await Slot.all().count(),
        await Notification.all().count(),
        await AuditEntry.all().count(),
    )


async def test_a_teacher_opens_slots_and_the_families_not_booked_are_invited(
    world: dict[str, int],
) -> None:
    slots = await open_as(103, world, EVENING)
    assert [s.starts_at for s in slots] == [utc(2026, 11, 25, 15, m) for m in range(0, 60, 10)]
    assert {(s.round_id, s.ends_at - s.starts_at, s.blocked) for s in slots} == {
        (world["round"], timedelta(minutes=10), False)
    }
    invites = await Notification.filter(kind="meeting_invite").order_by("idempotency_key")
    r, maja, jan = world["round"], world["maja"], world["jan"]
    g1, g2 = [(await Guardian.get(external_id=g)).id for g in ("G1", "G2")]
    # Not the restricted, unlinked or unreachable guardians, the pupil who left, or class 4H.
    assert [(n.chat_id, n.idempotency_key, n.params) for n in invites] == [
        (301, f"invite-r{r}-p{maja}:g{g1}", {"round_id": r, "pupil_id": maja}),
        (302, f"invite-r{r}-p{maja}:g{g2}", {"round_id": r, "pupil_id": maja}),
        (302, f"invite-r{r}-p{jan}:g{g2}", {"round_id": r, "pupil_id": jan}),
    ]
    audit = await AuditEntry.get(action="availability_opened")
    assert audit.details == {"slots": 6, "invited": 3}


async def test_a_second_evening_invites_nobody_twice(world: dict[str, int]) -> None:
    await open_as(103, world, EVENING)
    await open_as(103, world, AvailabilityRequest(date(2026, 11, 26), time(15), time(15, 30)))
    assert await counts() == (9, 3, 2)


async def test_pupils_already_booked_are_not_invited(world: dict[str, int]) -> None:
    [slot] = await open_as(105, world, AvailabilityRequest(EVENING.day, time(8), time(8, 10)))
    await Notification.all().delete()
    await Booking.create(slot=slot, pupil_id=world["maja"], status=BookingStatus.DECLINED)
    await Booking.create(
        slot=slot, pupil_id=world["jan"], holds_slot=slot.id, holds_family=f"x:{world['jan']}"
    )
    await open_as(103, world, EVENING)
    assert {n.params["pupil_id"] for n in await Notification.all()} == {world["maja"]}


async def test_a_leader_opens_their_own_times_for_their_classes(world: dict[str, int]) -> None:
    await open_as(101, world, EVENING)
    assert [n.chat_id for n in await Notification.all()] == [308]


async def test_slots_are_stored_in_utc_across_the_clock_change(world: dict[str, int]) -> None:
    autumn = await MentoringRound.get(id=world["round"])
    october = await MentoringRound.create(
        school_id=autumn.school_id, academic_year="2026-27", number=6, name="October",
        opens_on=date(2026, 10, 19), closes_on=date(2026, 10, 30),
    )  # fmt: skip
    teacher, early = await resolve_actor(103), datetime(2026, 10, 1, tzinfo=UTC)
    for day in (date(2026, 10, 23), date(2026, 10, 26)):
        request = AvailabilityRequest(day, time(15, 30), time(15, 40))
        await open_availability(teacher, october.id, request, now=early)
    stored = await Slot.filter(round_id=october.id).order_by("starts_at")
    assert [s.starts_at for s in stored] == [utc(2026, 10, 23, 14, 30), utc(2026, 10, 26, 15, 30)]


@pytest.mark.parametrize(
    ("request_", "fragment"),
    [
        (AvailabilityRequest(date(2026, 12, 5), time(15), time(16)), "is not in this round"),
        (AvailabilityRequest(date(2026, 11, 22), time(15), time(16)), "is not in this round"),
        (AvailabilityRequest(date(2026, 11, 24), time(8, 30), time(10)), "in the past"),
        (AvailabilityRequest(date(2026, 11, 25), time(15, 30), time(16, 30)), "already have"),
        (AvailabilityRequest(date(2026, 11, 25), time(17), time(16)), "end time must be after"),
    ],
)
async def test_refused_requests_store_nothing(
    world: dict[str, int], request_: AvailabilityRequest, fragment: str
) -> None:
    await open_as(103, world, EVENING)
    before = await counts()
    with pytest.raises(InvalidAvailability) as caught:
        await open_as(103, world, request_)
    assert fragment in caught.value.message
    assert await counts() == before


async def test_the_overlap_names_the_existing_time_in_local_time(world: dict[str, int]) -> None:
    await open_as(103, world, EVENING)
    with pytest.raises(InvalidAvailability) as caught:
        await open_as(103, world, AvailabilityRequest(EVENING.day, time(14, 30), time(15, 10)))
    assert caught.value.params == {"day": "2026-11-25", "time": "15:00"}
    await open_as(105, world, EVENING)  # another teacher's evening does not clash


@pytest.mark.parametrize("user", [104, 301, 903, 999])
async def test_assistants_parents_and_other_schools_cannot_open_times(
    world: dict[str, int], user: int
) -> None:
    with pytest.raises(NotAllowed):
        await open_as(user, world, EVENING)
    assert await counts() == (0, 0, 0)


async def test_a_teacher_blocks_and_frees_only_their_own_unbooked_slots(
    world: dict[str, int],
) -> None:
    first, second, *_ = await open_as(103, world, EVENING)
    teacher = await resolve_actor(103)
    assert (await set_slot_blocked(teacher, first.id, True)).blocked
    assert (await Slot.get(id=first.id)).blocked
    assert not (await set_slot_blocked(teacher, first.id, False)).blocked
    for user in (101, 104, 105, 301, 903):
        with pytest.raises(NotAllowed):
            await set_slot_blocked(await resolve_actor(user), first.id, True)
    await Booking.create(slot=second, pupil_id=world["maja"], holds_slot=second.id)
    with pytest.raises(InvalidAvailability):
        await set_slot_blocked(teacher, second.id, True)
    assert not (await Slot.get(id=second.id)).blocked
    await Booking.filter(slot_id=second.id).update(holds_slot=None, status=BookingStatus.DECLINED)
    assert (await set_slot_blocked(teacher, second.id, True)).blocked
