"""The bot works in private chats only: a group or channel gets a short note at most.

Nothing with a pupil's or a family's data, and no keyboard, is ever sent to a group.
"""

from __future__ import annotations

import asyncio

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from bot.i18n import gettext, use_locale
from bot.limiter import outbox_delivery
from bot.outgoing import NotForGroups, refused
from models import ChatFlow
from tests.announcements.announcement_world import EWA, HEAD, OLGA, TEACHER, World, build_world
from tests.harness import BOT_USERNAME

GROUP = -100555
STRANGER = 999
NOTE = "I work in private chats only: open a chat with me."


@pytest.fixture
async def world(db: str) -> World:
    return await build_world()


@pytest.fixture
def group(emulator: BotApiEmulator) -> int:
    people = (HEAD, TEACHER, EWA, OLGA, STRANGER)
    for person in people:
        emulator.add_user(person, f"user{person}", started=True)
    emulator.add_group(GROUP, "Year 3 parents", members=people)
    return GROUP


def the_note(locale: str = "en") -> str:
    with use_locale(locale):
        return gettext(NOTE) + "\n@" + BOT_USERNAME


@pytest.mark.parametrize(
    ("person", "command"),
    [
        (HEAD, "/hours"),
        (HEAD, "/hours@" + BOT_USERNAME),
        (TEACHER, "/assess"),
        (TEACHER, "/assess maja"),
        (TEACHER, "/pupil maja"),
        (TEACHER, "/today"),
        (TEACHER, "/announce"),
        (OLGA, "/start"),
        (OLGA, "/settings"),
        (OLGA, "/profile"),
        (OLGA, "/ask"),
        (STRANGER, "/start 1234-5678"),
        (STRANGER, "/help"),
        (OLGA, "/nosuchcommand"),
        (OLGA, f"@{BOT_USERNAME} what is Jan's target?"),
    ],
)
async def test_a_command_or_mention_in_a_group_gets_the_note_and_nothing_else(
    bot: MentorApplication,
    emulator: BotApiEmulator,
    world: World,
    group: int,
    person: int,
    command: str,
) -> None:
    chat = emulator.chat(person, group)
    [reply] = await chat.send(command)
    assert (reply.text, reply.buttons) == (the_note(), [])
    await asyncio.sleep(0.2)
    assert len(chat.messages) == 1
    assert await ChatFlow.all().count() == 0


async def test_the_note_is_in_the_readers_language(
    bot: MentorApplication, emulator: BotApiEmulator, world: World, group: int
) -> None:
    [reply] = await emulator.chat(EWA, group).send("/settings")
    assert reply.text == the_note("pl")
    assert reply.text != the_note()


async def test_chatter_and_other_bots_commands_get_nothing(
    bot: MentorApplication, emulator: BotApiEmulator, world: World, group: int
) -> None:
    chat = emulator.chat(OLGA, group)
    await emulator.send_text(OLGA, "Does anyone know when sports day is?", group)
    await emulator.send_text(OLGA, "/hours@some_other_bot", group)
    # Updates are handled in order: had those got an answer, it would come before this one.
    [reply] = await chat.send("/help")
    assert [m.text for m in chat.messages] == [reply.text] == [the_note()]


async def test_a_press_in_a_group_gets_the_note_and_changes_nothing(
    bot: MentorApplication, emulator: BotApiEmulator, world: World, group: int
) -> None:
    # /hours with its edit buttons, as an earlier version of the bot posted it in a group.
    old = emulator.add_bot_message(group, "Office hours", [("✏️ Office hours", "v1:hrs:office")])
    query_id = await emulator.press_button(HEAD, group, old.message_id, "v1:hrs:office")
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, timeout=1.0)
    assert emulator.callback_answers[query_id] == (gettext(NOTE), True)
    await asyncio.sleep(0.2)
    assert emulator.chat_log(group) == [old]
    assert old.edited == 0
    assert emulator.callback_answer_calls[query_id] == 1
    assert await ChatFlow.all().count() == 0


async def test_the_update_stops_even_when_the_note_fails(
    bot: MentorApplication, emulator: BotApiEmulator, world: World, group: int
) -> None:
    old = emulator.add_bot_message(group, "Office hours", [("✏️ Office hours", "v1:hrs:office")])
    emulator.fail_next("answerCallbackQuery", status=500)
    query_id = await emulator.press_button(HEAD, group, old.message_id, "v1:hrs:office")
    [reply] = await emulator.chat(HEAD, group).send("/help")  # handled after the press
    assert reply.text == the_note()
    # Had the press gone on to /hours' own handler, it would have been answered there.
    assert query_id not in emulator.callback_answers
    assert await ChatFlow.all().count() == 0


async def test_a_teachers_real_button_forged_in_a_group_sends_nothing(
    bot: MentorApplication, emulator: BotApiEmulator, world: World, group: int
) -> None:
    teacher = emulator.chat(TEACHER)
    await teacher.send("/assess")
    buttons = [data for row in teacher.messages[-1].buttons for _, data in row if data]
    assert buttons  # pupils of 3B, each a real button
    old = emulator.add_bot_message(group, "Hello")
    for data in buttons:
        query_id = await emulator.press_button(TEACHER, group, old.message_id, data, forged=True)
        await emulator.wait_for(lambda q=query_id: q in emulator.callback_answers, timeout=1.0)
    await asyncio.sleep(0.2)
    assert emulator.chat_log(group) == [old]
    assert old.edited == 0
    assert len(teacher.messages) == 1  # nor anything to the teacher's private chat


async def test_added_to_a_group_the_bot_says_the_note_once_and_leaves(
    bot: MentorApplication, emulator: BotApiEmulator, world: World, group: int
) -> None:
    emulator.add_bot_to_group(TEACHER, group)
    await emulator.wait_for(lambda: emulator.state.chats[group].bot_left, timeout=2.0)
    await asyncio.sleep(0.2)  # its own departure comes back as an update: nothing more is said
    [note] = emulator.chat_log(group)
    assert (note.text, note.buttons) == (the_note(), [])


async def test_the_sending_edge_refuses_keyboards_and_content_in_groups(
    bot: MentorApplication, emulator: BotApiEmulator, world: World, group: int
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Edit", callback_data="v1:hrs:quiet")]])
    with pytest.raises(NotForGroups):
        await bot.bot.send_message(group, "Office hours", reply_markup=keyboard)
    with pytest.raises(NotForGroups):
        await bot.bot.send_document(group, b"Maja's file", filename="maja.pdf")
    with outbox_delivery(), pytest.raises(NotForGroups):
        await bot.bot.send_message(group, "New target for Maja")
    note = await bot.bot.send_message(group, the_note())
    with pytest.raises(NotForGroups):
        await bot.bot.edit_message_text("Maja Nowak", group, note.message_id)
    assert [m.text for m in emulator.chat_log(group)] == [the_note()]
    await bot.bot.send_message(OLGA, "Private chats are fine", reply_markup=keyboard)


def test_what_the_edge_refuses() -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x")]])
    for chat_id in (-1, -100123, "@school_channel", "-5"):
        assert refused("sendMessage", {"chat_id": chat_id, "reply_markup": markup}, outbox=False)
        assert refused("sendMessage", {"chat_id": chat_id}, outbox=True)
        assert refused("sendPhoto", {"chat_id": chat_id}, outbox=False)
        assert refused("editMessageText", {"chat_id": chat_id}, outbox=False)
        assert refused("forwardMessage", {"chat_id": chat_id}, outbox=False)
        assert not refused("sendMessage", {"chat_id": chat_id}, outbox=False)
        assert not refused("leaveChat", {"chat_id": chat_id}, outbox=False)
    for chat_id in (1, 123456789, "42"):
        assert not refused("sendMessage", {"chat_id": chat_id, "reply_markup": markup}, outbox=True)
        assert not refused("editMessageText", {"chat_id": chat_id}, outbox=False)
    assert not refused("answerCallbackQuery", {"callback_query_id": "1"}, outbox=False)
