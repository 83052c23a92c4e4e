"""How a round is going: booked, confirmed and attended per class, in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from models import Booking, MentoringRound, Pupil, School, SchoolClass, Slot, Staff
from models.common.enums import BookingStatus, Role
from models.common.errors import NotAllowed
from models.meetings.overview import ClassRoundStats, round_overview
from models.people.access import resolve_actor
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.querycount import count_queries

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
S = BookingStatus


async def make_round(school: School, number: int = 1, name: str = "Autumn") -> MentoringRound:
    return await MentoringRound.create(
        school=school, academic_year="2026-27", number=number, name=name,
        opens_on=date(2026, 11, 23), closes_on=date(2026, 12, 4),
    )  # fmt: skip


async def book(
    mentoring_round: MentoringRound,
    staff: Staff,
    pupil_id: int,
    status: BookingStatus,
    confirmed: bool = False,
) -> None:
    count = await Slot.all().count()
    starts = NOW + timedelta(days=1, minutes=10 * count)
    slot = await Slot.create(
        round=mentoring_round, staff=staff, starts_at=starts, ends_at=starts + timedelta(minutes=10)
    )
    await Booking.create(
        slot=slot, pupil_id=pupil_id, status=status, confirmed_at=NOW if confirmed else None
    )


CLASS_OF = {"3B": ("Adam", "Ewa", "Ewelina", "Jan", "Maja", "Ola", "Zoe", "Left"),
            "4H": ("Kuba", "Lena", "Xena")}  # fmt: skip


@pytest.fixture
async def world(db: str) -> int:
    school = await make_school()
    classes = {name: await make_class(school, name) for name in ("3B", "4H", "5C")}
    await make_staff(school, "H1", Role.ADMIN, telegram_user_id=101)
    t3 = await make_staff(school, "T3", Role.TEACHER, (classes["3B"],), telegram_user_id=103)
    await make_staff(school, "A3", Role.ASSISTANT, (classes["3B"],), telegram_user_id=104)
    t4 = await make_staff(school, "T4", Role.TEACHER, (classes["4H"],), telegram_user_id=105)
    autumn, spring = await make_round(school), await make_round(school, 2, "Spring")
    pupils = {
        name: (await make_pupil(school, classes[class_name], f"P-{name}", name)).id
        for class_name, names in CLASS_OF.items()
        for name in names
    }
    await Pupil.filter(id=pupils["Left"]).update(left_at=NOW)
    await make_guardian(school, "G1", (await Pupil.get(id=pupils["Xena"]),), telegram_user_id=301)
    elm = await make_school("Elm Primary")
    await make_staff(elm, "H9", Role.ADMIN, telegram_user_id=901)
    await make_staff(elm, "T9", Role.TEACHER, (await make_class(elm, "3B"),), telegram_user_id=903)
    # 3B: Maja booked by both separated parents, Jan confirmed, Ola confirmed and came, Ewa
    # missed without confirming, Zoe declined, Ewelina booked in another round only, and a
    # pupil who has left.
    await book(autumn, t3, pupils["Maja"], S.BOOKED)
    await book(autumn, t3, pupils["Maja"], S.BOOKED)
    await book(autumn, t3, pupils["Jan"], S.CONFIRMED, confirmed=True)
    await book(autumn, t3, pupils["Ola"], S.ATTENDED, confirmed=True)
    await book(autumn, t3, pupils["Ewa"], S.MISSED)
    await book(autumn, t3, pupils["Zoe"], S.DECLINED)
    await book(spring, t3, pupils["Ewelina"], S.BOOKED)
    await book(autumn, t3, pupils["Left"], S.BOOKED)
    # 4H: Kuba cancelled, Lena came without confirming first.
    await book(autumn, t4, pupils["Kuba"], S.CANCELLED)
    await book(autumn, t4, pupils["Lena"], S.ATTENDED)
    return autumn.id


THREE_B = ClassRoundStats("3B", pupils=7, booked=4, confirmed=2, attended=1)
FOUR_H = ClassRoundStats("4H", pupils=3, booked=1, confirmed=0, attended=1)
FIVE_C = ClassRoundStats("5C", pupils=0, booked=0, confirmed=0, attended=0)


async def test_a_leader_sees_every_class_and_who_to_chase(world: int) -> None:
    overview = await round_overview(await resolve_actor(101), world)
    assert overview.round_name == "Autumn"
    assert overview.classes == [THREE_B, FOUR_H, FIVE_C]
    assert overview.total == ClassRoundStats("All classes", 10, 5, 2, 2)
    assert overview.not_booked == [
        ("Adam Nowak", "3B"),
        ("Ewelina Nowak", "3B"),
        ("Zoe Nowak", "3B"),
        ("Kuba Nowak", "4H"),
        ("Xena Nowak", "4H"),
    ]


async def test_percentages_are_whole_and_an_empty_class_is_zero() -> None:
    assert (THREE_B.booked_pct, THREE_B.confirmed_pct, THREE_B.attended_pct) == (57, 29, 14)
    assert (FOUR_H.booked_pct, FOUR_H.confirmed_pct, FOUR_H.attended_pct) == (33, 0, 33)
    assert (FIVE_C.booked_pct, FIVE_C.confirmed_pct, FIVE_C.attended_pct) == (0, 0, 0)
    assert ClassRoundStats("x", 2, 1, 2, 0).booked_pct == 50
    assert ClassRoundStats("x", 8, 1, 0, 0).booked_pct == 13  # 12.5 rounds up


@pytest.mark.parametrize(("user", "expected"), [(103, THREE_B), (104, THREE_B), (105, FOUR_H)])
async def test_teachers_and_assistants_see_their_own_classes(
    world: int, user: int, expected: ClassRoundStats
) -> None:
    overview = await round_overview(await resolve_actor(user), world)
    assert overview.classes == [expected]
    assert (overview.total.pupils, overview.total.booked) == (expected.pupils, expected.booked)
    assert {class_name for _, class_name in overview.not_booked} == {expected.class_name}


@pytest.mark.parametrize("user", [301, 901, 903, 999])
async def test_parents_strangers_and_other_schools_see_nothing(world: int, user: int) -> None:
    with pytest.raises(NotAllowed):
        await round_overview(await resolve_actor(user), world)


async def test_a_round_that_does_not_exist_looks_forbidden(world: int) -> None:
    with pytest.raises(NotAllowed):
        await round_overview(await resolve_actor(101), world + 100)


async def test_the_number_of_queries_does_not_grow_with_the_school(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = await make_school()
    await make_staff(school, "H1", Role.ADMIN, telegram_user_id=101)
    autumn = await make_round(school)
    teacher = await make_staff(school, "T1", Role.TEACHER)
    leader = await resolve_actor(101)
    queries = []
    for class_count in (1, 5):
        for index in range(await SchoolClass.all().count(), class_count):
            school_class = await make_class(school, f"C{index}")
            for n in range(4):
                pupil = await make_pupil(school, school_class, f"P{index}-{n}")
                if n % 2:
                    await book(autumn, teacher, pupil.id, S.CONFIRMED, confirmed=True)
        with count_queries(monkeypatch) as counter:
            overview = await round_overview(leader, autumn.id)
        queries.append(counter.count)
        assert overview.total.pupils == 4 * class_count
        assert overview.total.booked == 2 * class_count
    assert queries == [4, 4]
