"""Mentoring rounds: created by senior leaders within the rules, listed for staff."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from models import AuditEntry, MentoringRound
from models.common.enums import Role
from models.common.errors import NotAllowed
from models.meetings.rounds import InvalidRound, RoundView, create_round, current_round, rounds_of
from models.people.access import resolve_actor
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff

YEAR = "2026-27"
AUTUMN = {"number": 1, "name": "Autumn", "opens_on": date(2026, 11, 23)}


@pytest.fixture
async def world(db: str) -> None:
    school = await make_school()
    c3 = await make_class(school, "3B")
    maja = await make_pupil(school, c3, "P1")
    await make_staff(school, "H1", Role.ADMIN, telegram_user_id=101)
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=103)
    await make_staff(school, "A3", Role.ASSISTANT, (c3,), telegram_user_id=104)
    await make_guardian(school, "G1", (maja,), telegram_user_id=301)
    other = await make_school("Elm Primary")
    await make_staff(other, "H9", Role.ADMIN, telegram_user_id=901)


async def add(user: int, **changes: Any) -> MentoringRound:
    values: dict[str, Any] = {**AUTUMN, "closes_on": date(2026, 12, 4), "academic_year": YEAR}
    return await create_round(await resolve_actor(user), **{**values, **changes})


async def test_a_leader_creates_a_round_and_it_is_audited(world: None) -> None:
    created = await add(101, name="  Autumn   meetings ", slot_minutes=15)
    stored = await MentoringRound.get(id=created.id)
    assert (stored.number, stored.name, stored.slot_minutes) == (1, "Autumn meetings", 15)
    assert (stored.opens_on, stored.closes_on, stored.academic_year) == (
        date(2026, 11, 23),
        date(2026, 12, 4),
        YEAR,
    )
    audit = await AuditEntry.get(action="round_created")
    assert (audit.subject_kind, audit.subject_id) == ("round", created.id)
    assert audit.details == {"number": 1, "academic_year": YEAR}


@pytest.mark.parametrize("user", [103, 104, 301, 999])
async def test_only_senior_leaders_create_rounds(world: None, user: int) -> None:
    with pytest.raises(NotAllowed):
        await add(user)
    assert await MentoringRound.all().count() == 0


async def test_another_schools_leader_creates_only_in_their_own_school(world: None) -> None:
    created = await add(901)
    assert (await MentoringRound.get(id=created.id).prefetch_related("school")).school.name == (
        "Elm Primary"
    )
    await add(101)  # the same number is free in Oakfield
    assert await MentoringRound.all().count() == 2


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"closes_on": date(2026, 11, 22)}, "close on or after"),
        ({"slot_minutes": 4}, "is not a meeting length"),
        ({"slot_minutes": 31}, "is not a meeting length"),
        ({"number": 0}, "is not a round number"),
        ({"number": 7}, "is not a round number"),
        ({"name": "   "}, "give the round a name"),
        ({"name": "x" * 101}, "under {limit} characters"),
        ({"academic_year": "2026/27"}, "is not an academic year"),
        ({"closes_on": date(2027, 9, 2)}, "must lie in the academic year"),
        ({"opens_on": date(2026, 8, 31)}, "must lie in the academic year"),
    ],
)
async def test_invalid_rounds_are_refused_and_nothing_is_stored(
    world: None, changes: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(InvalidRound) as caught:
        await add(101, **changes)
    assert fragment in caught.value.message
    assert await MentoringRound.all().count() == 0
    assert await AuditEntry.all().count() == 0


async def test_a_duplicate_number_in_the_same_year_is_refused(world: None) -> None:
    await add(101)
    with pytest.raises(InvalidRound) as caught:
        await add(101, name="Again", opens_on=date(2026, 12, 1))
    assert caught.value.params == {"number": "1", "year": YEAR}
    await add(
        101, academic_year="2027-28", opens_on=date(2027, 11, 22), closes_on=date(2027, 12, 3)
    )
    assert await MentoringRound.all().count() == 2


async def test_every_staff_member_lists_the_years_rounds_in_order(world: None) -> None:
    await add(101, number=2, name="Spring", opens_on=date(2027, 2, 1), closes_on=date(2027, 2, 12))
    first = await add(101)
    await add(901)  # another school's round is never listed
    for user in (101, 103, 104):
        rounds = await rounds_of(await resolve_actor(user), academic_year=YEAR)
        assert [r.name for r in rounds] == ["Autumn", "Spring"]
    assert rounds[0] == RoundView(first.id, 1, "Autumn", date(2026, 11, 23), date(2026, 12, 4), 10)
    assert await rounds_of(await resolve_actor(101), academic_year="2027-28") == []


@pytest.mark.parametrize("user", [301, 999])
async def test_parents_and_strangers_do_not_see_rounds(world: None, user: int) -> None:
    await add(101)
    actor = await resolve_actor(user)
    with pytest.raises(NotAllowed):
        await rounds_of(actor, academic_year=YEAR)
    with pytest.raises(NotAllowed):
        await current_round(actor, today=date(2026, 11, 24))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 9, 3), "Autumn"),  # before any round: the next one
        (date(2026, 11, 23), "Autumn"),  # its first day
        (date(2026, 12, 4), "Autumn"),  # its last day
        (date(2026, 12, 5), "Spring"),  # between rounds: the next one
        (date(2027, 2, 12), "Spring"),
        (date(2027, 2, 13), None),  # after the last round
    ],
)
async def test_the_current_round_is_the_open_one_else_the_next(
    world: None, today: date, expected: str | None
) -> None:
    await add(101, number=2, name="Spring", opens_on=date(2027, 2, 1), closes_on=date(2027, 2, 12))
    await add(101)
    await add(901, name="Elsewhere", opens_on=date(2026, 12, 7), closes_on=date(2026, 12, 11))
    found = await current_round(await resolve_actor(104), today=today)
    assert (found.name if found else None) == expected
