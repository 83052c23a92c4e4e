"""The mentoring file for staff and the profile for parents, as each sees it in chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models import Assessment, AuditEntry
from models.assessment.assessing import record_assessment
from models.assessment.expecting import set_expectation
from models.calendar.schools import academic_year_for
from models.common.enums import Area, Role
from models.people.access import resolve_actor
from models.targets.targeting import set_target
from tests.clock import Clock
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog

TEACHER, HEAD, PARENT, RESTRICTED, OTHER_PARENT = 103, 100, 301, 302, 303
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday in term


@pytest.fixture
async def school(db: str, clock: Clock) -> dict[str, int]:
    """Maja judged yesterday and today, with a target; the clock set to today, time flowing."""
    clock.travel(NOW)
    oakfield = await make_school()
    c3, c4 = await make_class(oakfield, "3B"), await make_class(oakfield, "4H")
    maja = await make_pupil(oakfield, c3, "P1", "Maja")
    jan = await make_pupil(oakfield, c4, "P2", "Jan")
    await make_staff(oakfield, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_staff(oakfield, "H", Role.ADMIN, telegram_user_id=HEAD)
    await make_guardian(oakfield, "G1", (maja,), telegram_user_id=PARENT, language="en")
    await make_guardian(
        oakfield, "G2", (maja,), receives_reports=False, telegram_user_id=RESTRICTED
    )
    await make_guardian(oakfield, "G3", (jan,), telegram_user_id=OTHER_PARENT)
    teacher, head = await resolve_actor(TEACHER), await resolve_actor(HEAD)
    year = academic_year_for(NOW.date())
    await set_expectation(head, maja.id, Area.READING, "expected", academic_year=year)
    await record_assessment(teacher, maja.id, Area.READING, "towards", now=NOW - timedelta(days=1))
    await record_assessment(
        teacher, maja.id, Area.ATTITUDE, "excellent", now=NOW, note="Secret staff note"
    )
    await set_target(
        teacher,
        maja.id,
        Area.READING,
        "Reads aloud with expression",
        "Read a page together",
        now=NOW,
    )
    return {"maja": maja.id, "jan": jan.id}


async def test_teacher_opens_a_file_and_corrects_a_judgement(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            (
                "/pupil maj",
                [
                    "Maja Nowak",
                    "Reading: 🟠 working towards ⚠️ behind",
                    "Reads aloud with expression",
                    "not seen by parents yet",
                ],
            ),
            ("[✏️ Correct a judgement]", "Which judgement needs correcting?"),
            ("[Reading: 🟠 working towards]", "Correct Reading to:"),
            ("[🟢 expected standard]", "Reading: 🟢 expected standard ✅ on track"),
        ],
    )
    assert await Assessment.filter(area="reading").values_list("band", flat=True) == ["expected"]
    entry = await AuditEntry.get(action="assessment_corrected")
    assert entry.details["from"] == "towards"


async def test_parents_see_their_child_in_colour_without_staff_notes(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(PARENT, "Ewa")
    chat = emulator.chat(PARENT)
    replies = await chat.send("/profile", expect=2)  # the picture, then the same in words
    assert replies[0].photo is not None
    text = replies[1].text or ""
    for fragment in (
        "Maja Nowak",
        "Reading: 🟠 working towards ⚠️ behind",
        "🔵 excellent",
        "Read a page together",
    ):
        assert fragment in text
    assert "Secret" not in text
    await dialog(chat, [("/targets", ["Reads aloud with expression", "🏠 Read a page together"])])


async def test_restricted_and_other_parents_see_nothing_of_maja(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(RESTRICTED, "Restricted")
    emulator.add_user(OTHER_PARENT, "Other")
    await dialog(emulator.chat(RESTRICTED), [("/profile", "not shared any updates")])
    replies = await emulator.chat(OTHER_PARENT).send("/profile", expect=2)
    assert "Jan Nowak" in (replies[0].caption or "")
    assert "Jan Nowak" in (replies[1].text or "")
    assert all("Maja" not in (r.text or r.caption or "") for r in replies)
    await dialog(emulator.chat(OTHER_PARENT), [("/pupil maja", "for school staff")])
