"""A senior leader sets end-of-year expectations in three taps; nobody else can."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models import Expectation
from models.calendar.schools import academic_year_for
from models.common.enums import Area, Role
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog

HEAD, TEACHER, PARENT = 100, 103, 301


@pytest.fixture
async def school(db: str) -> dict[str, int]:
    """Two classes, the head, 3B's teacher and Maja's mother."""
    oakfield = await make_school()
    c3, c4 = await make_class(oakfield, "3B"), await make_class(oakfield, "4H")
    maja = await make_pupil(oakfield, c3, "P1", "Maja")
    zed = await make_pupil(oakfield, c4, "P9", "Zed")
    await make_staff(oakfield, "H", Role.ADMIN, first_name="Grace", telegram_user_id=HEAD)
    await make_staff(oakfield, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_guardian(oakfield, "G1", (maja,), telegram_user_id=PARENT)
    return {"maja": maja.id, "zed": zed.id}


def _this_year() -> str:
    return academic_year_for(datetime.now(ZoneInfo("Europe/London")).date())


async def test_a_leader_sets_and_changes_an_expectation(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(HEAD, "Grace")
    await dialog(
        emulator.chat(HEAD),
        [
            ("/expect maja", "Maja Nowak: an end-of-year expectation in which area?"),
            ("[Reading]", f"which band by the end of the year ({_this_year()})?"),
            (
                "[🟢 expected standard]",
                "✅ Maja Nowak — Reading: expected by the end of the year: 🟢 expected standard",
            ),
            ("[➕ Another area]", "which area?"),
            ("[Reading]", "Now: 🟢 expected standard"),
            ("[🔵 greater depth]", "expected by the end of the year: 🔵 greater depth"),
            ("[➕ Another area]", "which area?"),
            ("[Behaviour]", "which band"),
            ("[🟢 good]", "Maja Nowak — Behaviour: expected by the end of the year: 🟢 good"),
        ],
    )
    stored = (
        await Expectation.filter(pupil_id=school["maja"])
        .order_by("area")
        .values_list("area", "band", "academic_year")
    )
    assert sorted(stored) == [
        (Area.BEHAVIOUR, "good", _this_year()),
        (Area.READING, "greater_depth", _this_year()),
    ]


async def test_a_leader_picks_a_class_then_a_pupil(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(HEAD, "Grace")
    await dialog(
        emulator.chat(HEAD),
        [
            ("/expect", "Which class?"),
            ("[4H]", "Which pupil?"),
            ("[Zed Nowak]", "which area?"),
            ("[Maths]", "which band"),
            ("[🟠 working towards]", "Zed Nowak — Maths: expected by the end of the year"),
        ],
    )
    assert await Expectation.get(pupil_id=school["zed"], area=Area.MATHS)


async def test_teachers_and_parents_cannot_set_expectations(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    emulator.add_user(PARENT, "Ewa")
    await dialog(emulator.chat(PARENT), [("/expect maja", "for school staff")])
    chat = emulator.chat(TEACHER)
    await dialog(chat, [("/expect maja", "set by senior leaders")])
    # A modified client presses a band button the teacher was never shown.
    forged = f"v1:ex:{school['maja']}:0:3"
    query_id = await emulator.press_button(
        TEACHER, TEACHER, chat.messages[-1].message_id, forged, forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    answer, alert = emulator.callback_answers[query_id]
    assert alert
    assert "not available" in (answer or "")
    assert await Expectation.all().count() == 0
