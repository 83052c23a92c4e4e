"""Staff record the support agreed for a pupil: what, who delivers it, when to review it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from bot.i18n import format_date, use_locale
from models import ChatFlow, Support
from models.common.enums import Role, SupportKind
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import dialog

TEACHER, OTHER_TEACHER, ASSISTANT, PARENT = 103, 104, 105, 301


@pytest.fixture
async def school(db: str) -> dict[str, int]:
    """3B (Maja and Jan) with its teacher and assistant; 4H with its teacher; Maja's mother."""
    oakfield = await make_school()
    c3, c4 = await make_class(oakfield, "3B"), await make_class(oakfield, "4H")
    maja = await make_pupil(oakfield, c3, "P1", "Maja")
    jan = await make_pupil(oakfield, c3, "P2", "Jan")
    await make_pupil(oakfield, c4, "P9", "Zed")
    await make_staff(oakfield, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER)
    await make_staff(oakfield, "T4", Role.TEACHER, (c4,), telegram_user_id=OTHER_TEACHER)
    await make_staff(oakfield, "A3", Role.ASSISTANT, (c3,), telegram_user_id=ASSISTANT)
    await make_guardian(oakfield, "G1", (maja,), telegram_user_id=PARENT)
    return {"maja": maja.id, "jan": jan.id}


def _school_today() -> datetime:
    return datetime.now(ZoneInfo("Europe/London"))


async def test_a_teacher_records_one_to_one_support_with_a_review_date(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    review_on = _school_today().date() + timedelta(days=28)
    with use_locale("en"):
        shown_date = format_date(review_on)
    await dialog(
        emulator.chat(TEACHER),
        [
            ("/support maja", "Maja Nowak: what kind of support?"),
            ("[one to one]", ["Maja Nowak — one to one", "Describe the support agreed:"]),
            ("Reads aloud <daily> with an adult", "Who delivers it?"),
            ("Mr Lee & the class TA", "When will it be reviewed?"),
            (
                "[In 4 weeks]",
                [
                    "✅ Support recorded for Maja Nowak: one to one.",
                    "Reads aloud <daily> with an adult",
                    "Delivered by: Mr Lee & the class TA",
                    f"Review on {shown_date}.",
                ],
            ),
        ],
    )
    support = await Support.get(pupil_id=school["maja"])
    assert support.kind is SupportKind.ONE_TO_ONE
    assert (support.description, support.responsible) == (
        "Reads aloud <daily> with an adult",
        "Mr Lee & the class TA",
    )
    assert (support.starts_on, support.review_on) == (_school_today().date(), review_on)
    assert await ChatFlow.all().count() == 0


async def test_an_assistant_records_group_support_without_a_review_date(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(ASSISTANT, "Tom")
    await dialog(
        emulator.chat(ASSISTANT),
        [
            ("/support", "Which pupil?"),
            ("[Jan Nowak]", "what kind of support?"),
            ("[group intervention]", "Describe the support agreed"),
            ("   ", "Please write it in a few words."),  # nothing typed: asked again
            ("Phonics group, three mornings a week", "Who delivers it?"),
            ("Tom", "When will it be reviewed?"),
            ("next month", "Please choose a review date with the buttons above."),
            ("[No review date]", ["group intervention", "Delivered by: Tom", "No review date."]),
        ],
    )
    support = await Support.get(pupil_id=school["jan"])
    assert (support.kind, support.review_on) == (SupportKind.GROUP, None)


async def test_parents_and_other_classes_cannot_record_support(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(PARENT, "Ewa")
    emulator.add_user(OTHER_TEACHER, "Ben")
    await dialog(emulator.chat(PARENT), [("/support", "for school staff")])
    chat = emulator.chat(OTHER_TEACHER)
    await dialog(chat, [("/support zed", "what kind of support?")])
    forged = f"v1:sp:{school['maja']}:0"
    query_id = await emulator.press_button(
        OTHER_TEACHER, OTHER_TEACHER, chat.messages[-1].message_id, forged, forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    assert "not available" in (emulator.callback_answers[query_id][0] or "")
    assert await ChatFlow.all().count() == 0
    assert await Support.all().count() == 0


async def test_a_review_date_button_without_a_flow_is_stale(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, int]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            ("/support jan", "kind"),
            ("[external]", "Describe"),
            ("Speech and language therapy", "Who"),
            ("NHS therapist", "reviewed"),
            ("[In 2 weeks]", "Support recorded"),
            ("/support jan", "kind"),
        ],
    )
    # The review-date message now has no buttons; a modified client presses one anyway.
    query_id = await emulator.press_button(
        TEACHER, TEACHER, chat.messages[-1].message_id, "v1:spr:14", forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    assert "no longer active" in (emulator.callback_answers[query_id][0] or "")
    assert await Support.all().count() == 1
