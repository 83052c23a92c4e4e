"""Conversations with the real Application, read like transcripts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models import Guardian, Invite, Staff, UserPreference
from models.common.enums import Role
from tests.factories import (
    invite_code,
    make_class,
    make_guardian,
    make_pupil,
    make_school,
    make_staff,
)
from tests.harness import dialog

PARENT, TEACHER, HEAD, ASSISTANT, STRANGER = 301, 103, 100, 104, 999


@pytest.fixture
async def school(db: str) -> dict[str, str]:
    """Oakfield with a Polish-speaking mother of two, a teacher, an assistant and the head."""
    oakfield = await make_school()
    c3, c4 = await make_class(oakfield, "3B"), await make_class(oakfield, "4H")
    maja = await make_pupil(oakfield, c3, "P1", "Maja")
    jan = await make_pupil(oakfield, c4, "P2", "Jan")
    await make_pupil(oakfield, c3, "P3", "Ola")
    ewa = await make_guardian(oakfield, "G1", (maja, jan), language="pl")
    teacher = await make_staff(oakfield, "T3", Role.TEACHER, (c3,), first_name="Amira")
    assistant = await make_staff(oakfield, "A3", Role.ASSISTANT, (c3,), first_name="Tom")
    head = await make_staff(oakfield, "H", Role.ADMIN, first_name="Grace")
    return {
        "parent": await invite_code(ewa, now=_now()),
        "teacher": await invite_code(teacher, now=_now()),
        "assistant": await invite_code(assistant, now=_now()),
        "head": await invite_code(head, now=_now()),
    }


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_a_parent_links_and_is_welcomed_in_polish_with_both_children(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    emulator.add_user(PARENT, "Ewa", language_code="en")
    chat = emulator.chat(PARENT)
    await dialog(
        chat,
        [
            (f"/start {school['parent']}", ["Witamy, Ewa!", "Jan i Maja"]),
            ("/help", "/children"),
            ("/children", ["Maja Nowak", "3B", "Amira Khan", "Jan Nowak", "4H"]),
        ],
    )
    assert (await Guardian.get(external_id="G1")).telegram_user_id == PARENT
    menu = [name for name, _ in emulator.commands_for(chat_id=PARENT)]
    assert menu == ["profile", "targets", "children", "ask", "settings", "help", "language"]


async def test_staff_welcome_names_the_role_and_menus_fit_it(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    for user_id, key, role_text in (
        (TEACHER, "teacher", "as a teacher"),
        (ASSISTANT, "assistant", "as a teaching assistant"),
        (HEAD, "head", "as a senior leader"),
    ):
        emulator.add_user(user_id, key.title())
        await dialog(emulator.chat(user_id), [(f"/start {school[key]}", role_text)])
    teacher_menu = [c for c, _ in emulator.commands_for(chat_id=TEACHER)]
    assistant_menu = [c for c, _ in emulator.commands_for(chat_id=ASSISTANT)]
    head_menu = [c for c, _ in emulator.commands_for(chat_id=HEAD)]
    staff = ["assess", "sweep", "pupil", "grid"]
    teaching = ["target", "review", "support", "today", "availability", "overview", "rounds"]
    announcing = ["announce", "announcements"]
    away = ["away", "back"]
    assert teacher_menu == [*staff, *teaching, "classes", *away, *announcing, "help", "language"]
    assert assistant_menu == [*staff, "support", "rounds", "classes", "help", "language"]
    leading = ["school", "terms", "hours", "letters", "export", "delivery"]
    assert head_menu == [
        *staff,
        *teaching,
        "expect",
        "classes",
        *away,
        *announcing,
        *leading,
        "help",
        "language",
    ]
    await dialog(
        emulator.chat(TEACHER),
        [("/classes", ["3B", "2 pupils", "0 with a parent linked"]), ("/school", "senior leaders")],
    )
    await dialog(
        emulator.chat(HEAD), [("/school", ["Oakfield Primary", "3 pupils", "Staff linked: 3 of 3"])]
    )


async def test_an_unlinked_person_gets_polite_guidance(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    emulator.add_user(STRANGER, "Sam", language_code="uk")
    chat = emulator.chat(STRANGER)
    await dialog(chat, [("/start", "/start"), ("/help", "/language"), ("/children", "/start")])
    # Telegram's own language is used until the person chooses: Ukrainian here.
    assert "Вітаю" in chat.messages[0].text or chat.messages[0].text != ""
    assert [c for c, _ in emulator.commands_for(chat_id=STRANGER, language_code="uk")] == [
        "start",
        "help",
        "language",
    ]


async def test_unknown_command_text_and_stale_button_get_short_answers(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    emulator.add_user(PARENT, "Ewa")
    chat = emulator.chat(PARENT)
    await dialog(
        chat,
        [
            (f"/start {school['parent']}", "Witamy"),
            ("/language", "Proszę wybrać język"),
            ("[English]", "English"),
            ("/dance", "don't know that command"),
            # A parent's text is a message to the teacher: with two children, about which?
            ("hello?", "Which child is this message about?"),
        ],
    )
    # A button from an older version of the bot, still on someone's screen, is stale.
    query_id = await emulator.press_button(
        PARENT, PARENT, chat.messages[-1].message_id, "v1:old:1", forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    answer, _alert = emulator.callback_answers[query_id]
    assert "no longer active" in (answer or "")


async def test_language_choice_changes_replies_and_menu(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await dialog(
        chat,
        [
            (f"/start {school['teacher']}", "Welcome, Amira"),
            ("/language", "Choose your language"),
            ("[Română]", "Română"),
            ("/help", "/classes"),
        ],
    )
    assert (await UserPreference.get(telegram_user_id=TEACHER)).language == "ro"
    assert chat.messages[-1].text != chat.messages[1].text
    menu = dict(emulator.commands_for(chat_id=TEACHER))
    assert menu["classes"] != "Your classes"  # now in Romanian


async def test_a_forged_language_button_changes_nothing(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    chat = emulator.chat(TEACHER)
    await chat.send("/language")
    menu_message = chat.messages[-1]
    # Only buttons that exist can be pressed; the emulator refuses a made-up one, as Telegram would.
    with pytest.raises(AssertionError):
        await chat.press_data("v1:lang:xx", message_id=menu_message.message_id)
    assert await UserPreference.filter(telegram_user_id=TEACHER).count() == 0


async def test_a_code_sent_in_a_group_is_refused_and_not_used(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    emulator.add_group(-1001, "Staff room", members=(TEACHER,))
    chat = emulator.chat(TEACHER, chat_id=-1001)
    await dialog(chat, [(f"/start {school['teacher']}", "private chat")])
    assert await Invite.filter(used_at__isnull=False).count() == 0
    assert (await Staff.get(external_id="T3")).telegram_user_id is None


async def test_a_used_code_reveals_nothing(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    emulator.add_user(STRANGER, "Sam")
    await dialog(emulator.chat(TEACHER), [(f"/start {school['teacher']}", "Welcome")])
    await dialog(emulator.chat(STRANGER), [(f"/start {school['teacher']}", "cannot be used")])
    await dialog(emulator.chat(STRANGER), [("/start not-a-real-code-at-all", "cannot be used")])
    assert (await Staff.get(external_id="T3")).telegram_user_id == TEACHER


async def test_a_crash_is_apologised_for_and_logged_without_personal_data(
    bot: MentorApplication,
    emulator: BotApiEmulator,
    school: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    emulator.add_user(PARENT, "Ewa")
    chat = emulator.chat(PARENT)
    await chat.send(f"/start {school['parent']}")

    async def broken(actor: object) -> None:
        raise RuntimeError("Maja Nowak's record is broken")

    monkeypatch.setattr("handlers.people.overview.children_of", broken)
    with caplog.at_level(logging.ERROR):
        replies = await chat.send("/children")
    assert "Przepraszamy" in replies[0].text or "Sorry" in replies[0].text
    assert "RuntimeError" in caplog.text
    assert "Maja" not in caplog.text
    assert "Ewa" not in caplog.text
    await dialog(chat, [("/help", "/children")])  # and the bot carries on


async def test_telegram_flood_limit_is_waited_out(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    emulator.fail_next("sendMessage", status=429, retry_after=1)
    replies = await emulator.chat(TEACHER, timeout=8).send("/help")
    assert "/language" in replies[0].text
    assert emulator.stats.rate_limited >= 1


async def test_a_blocked_user_does_not_stop_the_bot(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    emulator.add_user(TEACHER, "Amira")
    emulator.add_user(STRANGER, "Sam")
    await emulator.chat(TEACHER).send("/help")
    emulator.block(TEACHER)
    await emulator.send_text(TEACHER, "/help")
    await dialog(emulator.chat(STRANGER), [("/help", "/start")])


async def test_blocking_and_unblocking_the_bot_is_noticed(
    bot: MentorApplication, emulator: BotApiEmulator, school: dict[str, str]
) -> None:
    emulator.add_user(PARENT, "Ewa")
    await emulator.chat(PARENT).send(f"/start {school['parent']}")

    async def unreachable() -> bool:
        return (await Guardian.get(external_id="G1")).unreachable_at is not None

    emulator.block(PARENT)
    assert await eventually(unreachable, True)
    emulator.unblock(PARENT)
    assert await eventually(unreachable, False)


async def eventually(check: Callable[[], Awaitable[bool]], wanted: bool) -> bool:
    """Poll an async check for up to a second (the bot handles updates in the background)."""
    for _ in range(50):
        if await check() == wanted:
            return True
        await asyncio.sleep(0.02)
    return False
