"""Judgements: recorded by staff within their classes, corrected with an audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models import Assessment, AuditEntry
from models.assessment.assessing import (
    NoteTooLong,
    TooLateToUndo,
    add_note,
    correct_assessment,
    latest_bands,
    record_assessment,
    undo_assessment,
)
from models.assessment.bands import InvalidBand, Progress, colour, progress
from models.assessment.expecting import set_expectation
from models.common.enums import Area, Role
from models.common.errors import NotAllowed
from models.people.access import resolve_actor
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
async def world(db: str) -> dict[str, int]:
    school = await make_school()
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    maja = await make_pupil(school, c3, "P1", "Maja")
    jan = await make_pupil(school, c4, "P2", "Jan")
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=103)
    await make_staff(school, "A3", Role.ASSISTANT, (c3,), telegram_user_id=104)
    await make_staff(school, "H", Role.ADMIN, telegram_user_id=100)
    await make_guardian(school, "G1", (maja,), telegram_user_id=301)
    return {"maja": maja.id, "jan": jan.id}


def test_bands_colours_and_progress() -> None:
    assert colour(Area.READING, "expected") == "🟢"
    assert colour(Area.ATTITUDE, "concern") == "🔴"
    assert progress(Area.MATHS, "greater_depth", "expected") is Progress.AHEAD
    assert progress(Area.MATHS, "expected", "expected") is Progress.ON_TRACK
    assert progress(Area.MATHS, "towards", "expected") is Progress.BEHIND
    assert progress(Area.MATHS, None, "expected") is None
    with pytest.raises(InvalidBand):
        colour(Area.READING, "good")  # an attitude band on an attainment area


async def test_teacher_and_assistant_record_in_their_class(world: dict[str, int]) -> None:
    teacher, assistant = await resolve_actor(103), await resolve_actor(104)
    await record_assessment(teacher, world["maja"], Area.READING, "towards", now=NOW)
    await record_assessment(
        assistant, world["maja"], Area.READING, "expected", now=NOW + timedelta(minutes=1)
    )
    await record_assessment(
        teacher, world["maja"], Area.READING, "greater_depth", now=NOW, by_pupil=True
    )
    latest = await latest_bands([world["maja"]])
    assert latest[(world["maja"], Area.READING)].band == "expected"
    own = await latest_bands([world["maja"]], by_pupil=True)
    assert own[(world["maja"], Area.READING)].band == "greater_depth"


async def test_nobody_records_outside_their_line(world: dict[str, int]) -> None:
    teacher, parent = await resolve_actor(103), await resolve_actor(301)
    with pytest.raises(NotAllowed):
        await record_assessment(teacher, world["jan"], Area.READING, "expected", now=NOW)
    with pytest.raises(NotAllowed):
        await record_assessment(parent, world["maja"], Area.READING, "expected", now=NOW)
    assert await Assessment.all().count() == 0


async def test_bad_input_changes_nothing(world: dict[str, int]) -> None:
    teacher = await resolve_actor(103)
    with pytest.raises(InvalidBand):
        await record_assessment(teacher, world["maja"], Area.BEHAVIOUR, "expected", now=NOW)
    with pytest.raises(NoteTooLong):
        await record_assessment(
            teacher, world["maja"], Area.READING, "expected", now=NOW, note="x" * 201
        )
    assert await Assessment.all().count() == 0


async def test_correction_keeps_the_old_value_in_the_audit_trail(world: dict[str, int]) -> None:
    teacher = await resolve_actor(103)
    judged = await record_assessment(teacher, world["maja"], Area.MATHS, "towards", now=NOW)
    await correct_assessment(teacher, judged.id, "expected")
    await add_note(teacher, judged.id, "  counts  in  tens ")
    stored = await Assessment.get(id=judged.id)
    assert (stored.band, stored.note) == ("expected", "counts in tens")
    entry = await AuditEntry.get(action="assessment_corrected")
    assert entry.details == {"area": "maths", "from": "towards", "to": "expected"}
    assert "counts" not in str(await AuditEntry.all().values_list("details", flat=True))


async def test_undo_is_for_the_recorder_and_only_soon_after(world: dict[str, int]) -> None:
    teacher, assistant = await resolve_actor(103), await resolve_actor(104)
    judged = await record_assessment(teacher, world["maja"], Area.MATHS, "towards", now=NOW)
    with pytest.raises(TooLateToUndo):
        await undo_assessment(assistant, judged.id, now=NOW)
    with pytest.raises(TooLateToUndo):
        await undo_assessment(teacher, judged.id, now=NOW + timedelta(hours=1))
    assert (
        await undo_assessment(teacher, judged.id, now=NOW + timedelta(minutes=2)) == world["maja"]
    )
    assert await Assessment.all().count() == 0
    assert await AuditEntry.filter(action="assessment_undone").count() == 1


async def test_expectations_are_for_senior_leaders(world: dict[str, int]) -> None:
    head, teacher = await resolve_actor(100), await resolve_actor(103)
    await set_expectation(head, world["jan"], Area.WRITING, "expected", academic_year="2026-27")
    await set_expectation(
        head, world["jan"], Area.WRITING, "greater_depth", academic_year="2026-27"
    )
    with pytest.raises(NotAllowed):
        await set_expectation(
            teacher, world["maja"], Area.WRITING, "expected", academic_year="2026-27"
        )
    with pytest.raises(InvalidBand):
        await set_expectation(
            head, world["jan"], Area.WRITING, "excellent", academic_year="2026-27"
        )
    from models import Expectation

    assert await Expectation.filter(pupil_id=world["jan"]).values_list("band", flat=True) == [
        "greater_depth"
    ]
