"""A teacher sets a target with a home idea for parents, then reviews the active ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models import Notification, Target
from models.common.enums import Area, Role, TargetStatus, YearGroup
from models.people.access import resolve_actor
from models.targets.content import bank_targets, home_ideas
from models.targets.targeting import acknowledge_target, set_target
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog

TEACHER, OTHER_TEACHER, ASSISTANT, PARENT = 103, 104, 105, 301


@pytest.fixture
async def school(db: str) -> dict[str, int]:
    """3B (Maja and Jan Adams) with its teacher, assistant and Maja's mother; 4H with Zed."""
    oakfield = await make_school()
    c3, c4 = await make_class(oakfield, "3B"), await make_class(oakfield, "4H")
    maja = await make_pupil(oakfield, c3, "P1", "Maja")
    jan = await make_pupil(oakfield, c3, "P2", "Jan")
    zed = await make_pupil(oakfield, c4, "P9", "Zed")
    await make_staff(oakfield, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_staff(oakfield, "T4", Role.TEACHER, (c4,), telegram_user_id=OTHER_TEACHER)
    await make_staff(oakfield, "A3", Role.ASSISTANT, (c3,), telegram_user_id=ASSISTANT)
    await make_guardian(oakfield, "G1", (maja,), telegram_user_id=PARENT)
    return {"maja": maja.id, "jan": jan.id, "zed": zed.id}


async def _set(pupil_id: int, text: str, area: Area = Area.WRITING) -> Target:
    teacher = await resolve_actor(TEACHER)
    return await set_target(teacher, pupil_id, area, text, "", now=datetime.now(UTC))


async def test_a_typed_target_and_home_idea_are_set_and_parents_told(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    first_bank_target = bank_targets(Area.WRITING, YearGroup.Y3)[0]
    await dialog(
        emulator.chat(TEACHER),
        [
            ("/target maja", "Maja Nowak: a new target in which area?"),
            ("[Writing]", ["New target for Maja Nowak — Writing", f"1. {first_bank_target}"]),
            ("Uses <full stops> in every sentence", "How can parents help at home?"),
            (
                "Read a page together & talk",
                [
                    "✅ Target set for Maja Nowak (Writing): Uses <full stops> in every sentence",
                    "🏠 Read a page together & talk",
                    "Parents who receive reports will be told.",
                ],
            ),
        ],
    )
    target = await Target.get(pupil_id=school["maja"])
    assert (target.area, target.text) == (Area.WRITING, "Uses <full stops> in every sentence")
    assert target.home_support == "Read a page together & talk"
    assert await Notification.filter(kind="target_set", chat_id=PARENT).count() == 1


async def test_a_target_and_home_idea_picked_from_the_lists(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    bank, ideas = bank_targets(Area.READING, YearGroup.Y3), home_ideas(Area.READING, YearGroup.Y3)
    await dialog(
        emulator.chat(TEACHER),
        [
            ("/target", "Which pupil?"),
            ("[Jan Nowak]", "which area?"),
            ("[Reading]", f"2. {bank[1]}"),
            ("[2]", [bank[1], "How can parents help at home?", f"3. {ideas[2]}"]),
            ("[3]", ["Target set for Jan Nowak (Reading)", bank[1], ideas[2]]),
        ],
    )
    target = await Target.get(pupil_id=school["jan"])
    assert (target.text, target.home_support) == (bank[1], ideas[2])


async def test_the_home_idea_may_be_skipped_and_a_long_text_retyped(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    await dialog(
        emulator.chat(TEACHER),
        [
            ("/target jan", "which area?"),
            ("[Maths]", "Type it, or pick one"),
            ("x" * 301, "Please keep it under 300 characters."),
            ("Knows the 3, 4 and 8 times tables", "How can parents help"),
            ("[⏭ Skip]", ["Target set for Jan Nowak (Maths)", "Knows the 3, 4 and 8 times"]),
        ],
    )
    target = await Target.get(pupil_id=school["jan"])
    assert (target.text, target.home_support) == ("Knows the 3, 4 and 8 times tables", "")


async def test_a_fourth_active_target_in_an_area_is_refused(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    for n in range(3):
        await _set(school["maja"], f"Target {n}")
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            ("/target maja", "which area?"),
            # Refused at once, before the teacher types anything.
            ("[Writing]!", "Maja already has 3 active targets in this area."),
            ("Another try", "didn't catch that"),  # no flow was started
        ],
    )
    assert await Target.filter(pupil_id=school["maja"]).count() == 3
    assert await Notification.filter(kind="target_set").count() == 3


async def test_parents_and_assistants_are_refused_politely(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(PARENT, "Ewa")
    emulator.add_user(ASSISTANT, "Tom")
    parent = emulator.chat(PARENT)
    await dialog(parent, [("/target maja", "for school staff"), ("/review", "for school staff")])
    await dialog(emulator.chat(ASSISTANT), [("/target", "by class teachers"), ("/review", "class")])
    # A modified client sends a review button the parent was never shown.
    target = await _set(school["maja"], "Uses capital letters")
    forged = f"v1:tr:{target.id}:a"
    query_id = await emulator.press_button(
        PARENT, PARENT, parent.messages[-1].message_id, forged, forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    assert "not available" in (emulator.callback_answers[query_id][0] or "")
    assert (await Target.get(id=target.id)).status is TargetStatus.ACTIVE


async def test_review_shows_who_has_seen_each_target_and_closes_them(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    first = await _set(school["maja"], "Uses capital letters")
    second = await _set(school["maja"], "Counts in fours", Area.MATHS)
    await acknowledge_target(await resolve_actor(PARENT), first.id)
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            (
                "/review maja",
                [
                    "Active targets for Maja Nowak",
                    "1. Writing: Uses capital letters",
                    "👍 seen by Ewa Nowak",
                    "2. Maths: Counts in fours",
                    "not seen yet",
                ],
            ),
            ("[1 ✅]", ["Marked achieved", "1. Maths: Counts in fours"]),
            ("[1 ➡️]", ["Carried over", "1. Maths: Counts in fours", "not seen yet"]),
        ],
    )
    assert chat.messages[-1].edited  # one list, edited in place
    assert (await Target.get(id=first.id)).status is TargetStatus.ACHIEVED
    assert (await Target.get(id=second.id)).status is TargetStatus.CARRIED_OVER
    active = await Target.filter(pupil_id=school["maja"], status=TargetStatus.ACTIVE)
    assert [t.text for t in active] == ["Counts in fours"]
    await dialog(chat, [("[1 ✖️]", ["Dropped", "No active targets"])])


async def test_a_stale_review_button_says_it_was_already_reviewed(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    target = await _set(school["jan"], "Uses paragraphs")
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(chat, [("/review jan", "Uses paragraphs")])
    old_list = chat.messages[-1].message_id
    await dialog(chat, [("/review jan", "Uses paragraphs"), ("[1 ✅]", "Marked achieved")])
    await chat.press_data(f"v1:tr:{target.id}:d", message_id=old_list, expect=0)
    assert "already been reviewed" in (chat.last_callback_answer or ("", False))[0]
    assert (await Target.get(id=target.id)).status is TargetStatus.ACHIEVED


async def test_a_teacher_of_another_class_cannot_review_by_a_forged_button(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    maja_target = await _set(school["maja"], "Uses capital letters")
    emulator.add_user(OTHER_TEACHER, "Ben")
    chat = emulator.chat(OTHER_TEACHER)
    await dialog(chat, [("/review zed", "No active targets"), ("/review maja", "No pupil found")])
    forged = f"v1:tr:{maja_target.id}:a"
    query_id = await emulator.press_button(
        OTHER_TEACHER, OTHER_TEACHER, chat.messages[0].message_id, forged, forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    answer, alert = emulator.callback_answers[query_id]
    assert alert
    assert "not available" in (answer or "")
    assert (await Target.get(id=maja_target.id)).status is TargetStatus.ACTIVE
