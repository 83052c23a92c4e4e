"""A teacher between lessons: quick judgements and a class sweep, in taps."""

from __future__ import annotations

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models import Assessment, AuditEntry
from models.common.enums import Role
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog

TEACHER, OTHER_TEACHER, PARENT = 103, 104, 301


@pytest.fixture
async def school(db: str) -> dict[str, int]:
    oakfield = await make_school()
    c3, c4 = await make_class(oakfield, "3B"), await make_class(oakfield, "4H")
    ids = {}
    for external_id, first, last in (
        ("P1", "Maja", "Adams"),
        ("P2", "Jan", "Brown"),
        ("P3", "Ola", "Clark"),
    ):
        pupil = await make_pupil(oakfield, c3, external_id, first)
        pupil.last_name = last
        await pupil.save()
        ids[first] = pupil.id
    ids["Zed"] = (await make_pupil(oakfield, c4, "P9", "Zed")).id
    await make_staff(oakfield, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_staff(oakfield, "T4", Role.TEACHER, (c4,), telegram_user_id=OTHER_TEACHER)
    pupil = await make_pupil(oakfield, c4, "P8", "Kid")
    await make_guardian(oakfield, "G1", (pupil,), telegram_user_id=PARENT)
    return ids


async def test_three_taps_record_a_judgement_with_a_note_and_the_childs_view(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            ("/assess", "Which pupil?"),
            ("[Maja Adams]", "which area?"),
            ("[Reading]", "which band?"),
            ("[🟢 expected standard]", ["Saved for Maja Adams", "Reading", "Teacher"]),
            ("[🧒 Child's own view]", "how does Maja judge it?"),
            ("[🔵 greater depth]", "Maja's own view"),
            ("[📝 Add a note]", "staff only"),
            ("Sounds out new words well", "Note saved"),
        ],
    )
    stored = await Assessment.all().order_by("id").values_list("band", "by_pupil", "note")
    assert stored == [("expected", False, ""), ("greater_depth", True, "Sounds out new words well")]


async def test_assess_by_name_and_undo(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            ("/assess ola", "Ola Clark: which area?"),
            ("[Behaviour]", "which band?"),
            ("[🟠 mixed]", "Saved"),
            ("[↩️ Undo]", "which area?"),
            ("/assess nobody", "No pupil found"),
        ],
    )
    assert await Assessment.all().count() == 0
    assert await AuditEntry.filter(action="assessment_undone").count() == 1


async def test_a_parent_or_another_class_teacher_cannot_use_the_buttons(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(PARENT, "Ewa")
    emulator.add_user(OTHER_TEACHER, "Ben")
    await dialog(emulator.chat(PARENT), [("/assess", "for school staff")])
    # Ben asks about his own pupil, then presses a band for Maja (not his class) on that message.
    chat = emulator.chat(OTHER_TEACHER)
    await dialog(chat, [("/assess zed", "which area?"), ("[Reading]", "which band?")])
    message = chat.messages[-1]
    forged = f"v1:as:{school['Maja']}:0:2"
    query_id = await emulator.press_button(
        OTHER_TEACHER, OTHER_TEACHER, message.message_id, forged, forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    answer, alert = emulator.callback_answers[query_id]
    assert alert
    assert "not available" in (answer or "")
    assert "Maja" not in (answer or "")
    assert await Assessment.filter(pupil_id=school["Maja"]).count() == 0


async def test_a_class_sweep_one_tap_each_with_skip_undo_and_resume(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            ("/sweep", "Sweep which class?"),
            ("[3B]", "Which area?"),
            ("[Maths]", ["1/3", "Maja Adams", "not judged yet"]),
            ("[🟢 expected standard]", ["2/3", "Jan Brown"]),
            ("[↩️ Undo]", ["1/3", "Maja Adams"]),
            ("[🟠 working towards]", ["2/3", "Jan Brown"]),
            ("[⏭ Skip]", ["3/3", "Ola Clark"]),
        ],
    )
    sweep_message = chat.messages[-1].message_id
    # Interrupted here; later the teacher comes back and carries on.
    await dialog(chat, [("/sweep", "Carry on?"), ("[▶️ Carry on]", ["3/3", "Ola Clark"])])
    await dialog(chat, [("[🔵 greater depth]", ["Sweep finished", "Recorded: 2, skipped: 1"])])
    bands = dict(await Assessment.all().values_list("pupil_id", "band"))
    assert bands == {school["Maja"]: "towards", school["Ola"]: "greater_depth"}
    # One message was edited in place from the first pupil to the summary.
    summary = next(m for m in chat.messages if m.message_id == sweep_message)
    assert summary.edited


async def test_a_sweep_shows_the_previous_band(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [("/assess maja", "which area?"), ("[Writing]", "band"), ("[🔴 below expected]", "Saved")],
    )
    await dialog(
        chat,
        [
            ("/sweep", "class"),
            ("[3B]", "area"),
            ("[Writing]", ["Maja Adams", "Before: 🔴 below expected"]),
        ],
    )


async def test_a_stale_sweep_button_changes_nothing(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(chat, [("/sweep", "class"), ("[3B]", "area"), ("[Maths]", "1/3")])
    await dialog(chat, [("[⏹ Stop]", "Sweep stopped")])
    assert await Assessment.all().count() == 0


async def test_a_parent_pressing_a_teachers_button_changes_and_reveals_nothing(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(PARENT, "Ewa")
    chat = emulator.chat(PARENT)
    await chat.send("/help")
    for forged in (
        f"v1:as:{school['Maja']}:0:2",  # record a band
        f"v1:as:{school['Maja']}",  # open the areas (which would show the pupil's name)
        f"v1:pf:{school['Maja']}:0",  # open the mentoring file
        f"v1:sw:{school['Maja']}:0:0:2",  # tap in a sweep
    ):
        query_id = await emulator.press_button(
            PARENT, PARENT, chat.messages[-1].message_id, forged, forged=True
        )
        await emulator.wait_for(lambda q=query_id: q in emulator.callback_answers, what=forged)
        answer = emulator.callback_answers[query_id][0] or ""
        assert "Maja" not in answer
        assert "Adams" not in answer
    assert await Assessment.all().count() == 0
    assert all("Maja" not in (m.text or "") for m in emulator.chat_log(PARENT))


async def test_progress_against_the_expectation_is_shown_beside_the_band(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    from datetime import UTC, datetime

    from models import Expectation
    from models.calendar.schools import academic_year_for

    year = academic_year_for(datetime.now(UTC).date())
    await Expectation.create(
        pupil_id=school["Maja"], area="maths", band="expected", academic_year=year
    )
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            ("/assess maja", "which area?"),
            ("[Maths]", "which band?"),
            ("[🟠 working towards]", ["Saved", "⚠️ behind"]),
            ("/sweep", "class"),
            ("[3B]", "area"),
            ("[Maths]", ["Maja Adams", "Before: 🟠 working towards", "⚠️ behind"]),
        ],
    )
