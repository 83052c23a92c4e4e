"""The mentoring file and the parent's profile: complete, private, and a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from models import Assessment, MeetingRecord, Target
from models.assessment.assessing import record_assessment
from models.assessment.bands import Progress
from models.assessment.expecting import set_expectation
from models.common.enums import Area, Role
from models.common.errors import NotAllowed
from models.people.access import resolve_actor
from models.records.mentoring_file import child_profiles, find_pupils, mentoring_file
from models.targets.targeting import acknowledge_target, set_target
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.querycount import count_queries

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
YEAR = "2026-27"


@pytest.fixture
async def world(db: str) -> dict[str, int]:
    school = await make_school()
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    maja = await make_pupil(school, c3, "P1", "Maja")
    jan = await make_pupil(school, c4, "P2", "Jan")
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=103)
    await make_staff(school, "H", Role.ADMIN, telegram_user_id=100)
    await make_guardian(school, "G1", (maja, jan), telegram_user_id=301)
    return {"maja": maja.id, "jan": jan.id}


async def fill(pupil_id: int, assessments: int, targets: int) -> None:
    teacher_id = 1
    await Assessment.bulk_create(
        Assessment(
            pupil_id=pupil_id,
            area=list(Area)[n % 7],
            band=("below", "towards", "expected", "greater_depth")[n % 4]
            if list(Area)[n % 7].is_attainment
            else ("concern", "mixed", "good", "excellent")[n % 4],
            recorded_by_id=teacher_id,
            recorded_at=NOW - timedelta(days=n),
            note="staff only note",
        )
        for n in range(assessments)
    )
    await Target.bulk_create(
        Target(pupil_id=pupil_id, area=Area.MATHS, text=f"Target {n}", set_on=NOW.date())
        for n in range(targets)
    )


async def test_the_file_shows_bands_progress_targets_and_history(world: dict[str, int]) -> None:
    teacher, head, parent = [await resolve_actor(u) for u in (103, 100, 301)]
    await set_expectation(head, world["maja"], Area.READING, "expected", academic_year=YEAR)
    await record_assessment(teacher, world["maja"], Area.READING, "towards", now=NOW)
    await record_assessment(
        teacher, world["maja"], Area.READING, "expected", now=NOW, by_pupil=True
    )
    target = await set_target(
        teacher, world["maja"], Area.READING, "Reads aloud daily", "Listen", now=NOW
    )
    await acknowledge_target(parent, target.id)
    await MeetingRecord.create(pupil_id=world["maja"], held_at=NOW, staff_notes="private")

    file = await mentoring_file(teacher, world["maja"], academic_year=YEAR, today=NOW.date())
    reading = next(a for a in file.areas if a.area is Area.READING)
    assert (reading.band, reading.own_band, reading.expected) == ("towards", "expected", "expected")
    assert reading.progress is Progress.BEHIND
    assert [(t.text, t.acknowledged_by) for t in file.targets] == [
        ("Reads aloud daily", ("Ewa Nowak",))
    ]
    assert file.last_meeting == NOW.date()
    assert {item.kind for item in file.history} == {
        "assessment",
        "own_assessment",
        "target_set",
        "meeting",
    }


async def test_the_file_is_for_staff_of_the_pupil(world: dict[str, int]) -> None:
    teacher, parent = await resolve_actor(103), await resolve_actor(301)
    with pytest.raises(NotAllowed):
        await mentoring_file(teacher, world["jan"], academic_year=YEAR, today=NOW.date())
    with pytest.raises(NotAllowed):
        await mentoring_file(parent, world["maja"], academic_year=YEAR, today=NOW.date())


async def test_a_long_file_takes_a_fixed_number_of_queries_and_pages(
    world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    teacher = await resolve_actor(103)
    await fill(world["maja"], assessments=10, targets=3)
    with count_queries(monkeypatch) as small:
        await mentoring_file(teacher, world["maja"], academic_year=YEAR, today=NOW.date())
    await fill(world["maja"], assessments=190, targets=27)
    with count_queries(monkeypatch) as large:
        file = await mentoring_file(teacher, world["maja"], academic_year=YEAR, today=NOW.date())
    # 11: the file's ten, and one for the meetings the family said they cannot come to.
    assert large.count == small.count <= 11
    assert file.has_more
    assert len(file.history) == 8
    last = await mentoring_file(
        teacher, world["maja"], academic_year=YEAR, today=NOW.date(), page=100
    )
    assert last.history == []
    assert not last.has_more


async def test_parent_profile_has_no_staff_notes_and_fixed_queries(
    world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = await resolve_actor(301)
    await fill(world["maja"], assessments=5, targets=1)
    with count_queries(monkeypatch) as small:
        await child_profiles(parent, academic_year=YEAR)
    await fill(world["jan"], assessments=200, targets=30)
    with count_queries(monkeypatch) as large:
        profiles = await child_profiles(parent, academic_year=YEAR)
    assert large.count == small.count <= 5
    assert [p.name for p in profiles] == ["Jan Nowak", "Maja Nowak"]
    assert "staff only note" not in repr(profiles)


async def test_search_by_part_of_a_name_within_reach(world: dict[str, int]) -> None:
    teacher, head = await resolve_actor(103), await resolve_actor(100)
    assert [m.name for m in await find_pupils(teacher, "now")] == ["Maja Nowak"]
    assert [m.name for m in await find_pupils(head, "now")] == ["Jan Nowak", "Maja Nowak"]
    assert [m.class_name for m in await find_pupils(head, "maja nowak")] == ["3B"]
    assert await find_pupils(teacher, "jan") == []


def test_dates_sort_before_times_on_the_same_day() -> None:
    from models.records.mentoring_file import _sort_key

    assert _sort_key(date(2026, 11, 24)) < _sort_key(NOW)
