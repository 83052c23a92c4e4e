"""Families and staff write to each other through the real Application and the emulator."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator, ChatTranscript
from bot.emulator.state import SentMessage
from models import MessageCopy, MessageThread, School, ThreadMessage
from models.common.enums import MessageDirection
from models.messaging.conversations import plan_message_digests
from models.people.preferences import choose_language
from tests.harness import dialog, running_bot
from tests.messaging.messaging_world import (
    AMIRA,
    BEN,
    CARL,
    EMAIL,
    EWA,
    HEAD,
    OLGA,
    PHONE,
    PIOTR,
    TOM,
    USERS,
    Postman,
    World,
    build_world,
    pause_jobs,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
LETTER = b"%PDF-1.4\n% a doctor's letter\n"


@pytest.fixture
async def world(db: str, emulator: BotApiEmulator) -> World:
    built = await build_world()
    for user_id, name in USERS.items():
        emulator.add_user(user_id, name, started=True)
    return built


@pytest.fixture
async def postman(bot: MentorApplication, world: World) -> Postman:
    pause_jobs(bot)
    return Postman(bot)


async def close_the_office(school_id: int) -> None:
    """Office hours the clock is never in now, so the office is closed at any time of day."""
    hour = datetime.now(ZoneInfo("Europe/London")).hour
    opens, closes = ("23:00", "23:30") if hour < 12 else ("00:30", "01:00")
    await School.filter(id=school_id).update(office_opens=opens, office_closes=closes)


def newest(chat: ChatTranscript) -> SentMessage:
    message = chat.last
    assert message is not None, chat.describe()
    return message


def sent(emulator: BotApiEmulator, chat_id: int, message_id: int) -> SentMessage:
    """A bot message as it stands now (edits applied)."""
    return emulator.state.chats[chat_id].sent[message_id]


def incoming_file(emulator: BotApiEmulator, user_id: int) -> str:
    """The file id of the newest photo or document this user sent."""
    last: dict[str, Any] = list(emulator.state.chats[user_id].incoming.values())[-1]
    if "photo" in last:
        return str(last["photo"][-1]["file_id"])
    return str(last["document"]["file_id"])


async def test_a_parent_writes_and_the_class_teacher_answers_by_replying(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    olga, ben = emulator.chat(OLGA), emulator.chat(BEN)
    await dialog(
        olga,
        [
            (
                "Zed has a dentist appointment at 2pm.",
                ["Your message about Zed", "Sent to Ben Khan, Zed's class teacher."],
            )
        ],
    )
    confirmation = newest(olga)
    await postman.deliver()
    copy = newest(ben)
    for fragment in ("Zed Nowak", "4H", "From Olga (mother)", "dentist appointment at 2pm"):
        assert fragment in copy.body
    assert [text for row in copy.buttons for text, _ in row] == ["↩️ Reply", "✓ Mark read"]

    replies = await ben.send("Thank you, noted.", reply_to=copy.message_id)
    assert "Sent to Olga (mother) about Zed Nowak." in replies[0].body
    # The answer marked it read: the copy says so, as "✓ Mark read" would have.
    answered = sent(emulator, BEN, copy.message_id)
    assert [text for row in answered.buttons for text, _ in row] == ["↩️ Reply", "✓✓ Read"]
    await postman.deliver()

    answer = newest(olga)
    assert "Ben Khan" in answer.body
    assert "about Zed" in answer.body
    assert "Thank you, noted." in answer.body
    assert "✓✓ Read by Ben Khan" in sent(emulator, OLGA, confirmation.message_id).body

    # Olga answers back by replying: the same thread goes on.
    replies = await olga.send("Great, thanks!", reply_to=answer.message_id)
    assert "Sent to Ben Khan" in replies[0].body
    await postman.deliver()
    assert "Great, thanks!" in newest(ben).body
    thread = await MessageThread.get(pupil_id=world.zed)
    directions = (
        await ThreadMessage.filter(thread_id=thread.id)
        .order_by("id")
        .values_list("direction", flat=True)
    )
    assert directions == [
        MessageDirection.FROM_GUARDIAN,
        MessageDirection.FROM_STAFF,
        MessageDirection.FROM_GUARDIAN,
    ]


async def test_a_parent_of_children_in_two_classes_reaches_each_class_teacher(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    ewa, amira, ben = emulator.chat(EWA), emulator.chat(AMIRA), emulator.chat(BEN)
    await choose_language(EWA, "en")  # her roster language is Polish; she reads English here
    await dialog(
        ewa,
        [
            ("/ask", "Which child is this message about?"),
            ("[Jan Nowak (4H)]", "Write your message to Jan's teacher."),
            ("Jan forgot his PE kit.", "Sent to Ben Khan, Jan's class teacher."),
            ("Maja goes home with her grandmother today.", "Which child is this message about?"),
            ("[Maja Nowak (3B)]", "About Maja:"),
        ],
    )
    assert "Sent to Amira Khan, Maja's class teacher." in newest(ewa).body
    await postman.deliver()
    assert [m.body for m in amira.messages if "Ewa" in m.body] == [newest(amira).body]
    assert "grandmother" in newest(amira).body
    assert "3B" in newest(amira).body
    assert "PE kit" in newest(ben).body
    assert "Jan Nowak" in newest(ben).body
    assert not any("grandmother" in m.body for m in ben.messages)
    # Staff see the first name and relationship, never a phone number or an email.
    for message in [*amira.messages, *ben.messages]:
        assert PHONE not in message.body
        assert EMAIL not in message.body
        assert "Ewa (mother)" in message.body


async def test_photos_and_documents_pass_both_ways_by_their_file_ids(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    olga, ben = emulator.chat(OLGA), emulator.chat(BEN)
    replies = await olga.send_file(
        "document",
        LETTER,
        filename="doctors-letter.pdf",
        mime_type="application/pdf",
        caption="The doctor's letter for Zed's absence",
    )
    assert "a document: doctors-letter.pdf" in replies[0].body
    letter_id = incoming_file(emulator, OLGA)
    await postman.deliver()
    copy = newest(ben)
    assert copy.document is not None
    assert copy.document.file_id == letter_id
    assert "Zed Nowak" in copy.body
    assert "doctor's letter" in copy.body

    replies = await ben.send_file(
        "photo", PNG, caption="Here is the form to sign", reply_to=copy.message_id
    )
    assert "Sent to Olga (mother) about Zed Nowak." in replies[0].body
    photo_id = incoming_file(emulator, BEN)
    await postman.deliver()
    answer = newest(olga)
    assert answer.photo is not None
    assert answer.photo.file_id == photo_id
    assert "Ben Khan" in answer.body
    assert "Here is the form to sign" in answer.body
    stored = await ThreadMessage.filter(attachment_kind__not="").order_by("id")
    assert [(m.attachment_kind, m.attachment_name) for m in stored] == [
        ("document", "doctors-letter.pdf"),
        ("photo", ""),
    ]


async def test_a_long_message_with_a_photo_sends_the_photo_after_it(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    olga, ben = emulator.chat(OLGA), emulator.chat(BEN)
    long_text = "Zed's rash, photographed this morning. " * 30
    await olga.send_file("photo", PNG, caption=long_text[:1000])
    await postman.deliver()
    text, photo = ben.messages[-2], ben.messages[-1]
    assert "A photo follows." in text.body
    assert text.photo is None
    assert photo.photo is not None
    assert "From Olga (mother)" in photo.body
    # Replying to the photo answers the thread just as well.
    replies = await ben.send("Thank you, I will keep an eye on it.", reply_to=photo.message_id)
    assert "Sent to Olga" in replies[0].body


async def test_an_answer_typed_after_the_reply_button_marks_the_copy_read(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    olga, ben = emulator.chat(OLGA), emulator.chat(BEN)
    await olga.send("Zed will be late tomorrow: the orthodontist.")
    await postman.deliver()
    copy = newest(ben)
    await dialog(
        ben,
        [
            ("[↩️ Reply]", "Write your answer now"),
            ("Thanks for letting me know.", "Sent to Olga (mother) about Zed Nowak."),
        ],
    )
    answered = sent(emulator, BEN, copy.message_id)
    assert [text for row in answered.buttons for text, _ in row] == ["↩️ Reply", "✓✓ Read"]


async def test_the_reply_button_and_mark_read_reach_the_family(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    olga, ben = emulator.chat(OLGA), emulator.chat(BEN)
    await olga.send("Can Zed bring a cake on Friday? It is his birthday and he would love to.")
    confirmation = newest(olga)
    await postman.deliver()
    await dialog(
        ben,
        [
            ("[✓ Mark read]", "Marked as read. The family will see that you have read it."),
            ("[✓✓ Read]!", "Already read by Ben Khan."),
        ],
    )
    await postman.deliver()
    assert "✓✓ Read by Ben Khan" in sent(emulator, OLGA, confirmation.message_id).body
    await dialog(
        ben,
        [
            (
                "[↩️ Reply]",
                ["Your answer to Olga (mother) about Zed Nowak", "It is his birthday"],
            ),
            ("Of course, happy birthday Zed!", "Sent to Olga (mother) about Zed Nowak."),
            ("hello", "didn't catch that"),  # the answer ended the flow; staff text is not taken
        ],
    )
    await postman.deliver()
    assert "happy birthday Zed" in newest(olga).body
    # Cancelling a reply sends nothing.
    await dialog(
        ben, [("[↩️ Reply]", "Write your answer now"), ("[✖️ Cancel]", "No answer was sent.")]
    )
    assert await ThreadMessage.filter(direction=MessageDirection.FROM_STAFF).count() == 1


async def test_a_teacher_replies_after_a_restart_and_it_reaches_the_parent(
    db: str, emulator: BotApiEmulator
) -> None:
    await build_world()
    for user_id, name in USERS.items():
        emulator.add_user(user_id, name, started=True)
    olga, ben = emulator.chat(OLGA), emulator.chat(BEN)
    async with running_bot(emulator, db, over_http=False) as first:
        pause_jobs(first)
        await olga.send("Zed will be late tomorrow.")
        await Postman(first).deliver()
    copy = newest(ben)
    # A new process on the same database: nothing of the first one's memory is left.
    async with running_bot(emulator, db, over_http=False) as second:
        pause_jobs(second)
        replies = await ben.send("Thanks for letting me know.", reply_to=copy.message_id)
        assert "Sent to Olga (mother) about Zed Nowak." in replies[0].body
        await Postman(second).deliver()
    assert "Thanks for letting me know." in newest(olga).body
    assert await MessageCopy.filter(chat_id=BEN).count() == 2  # the copy, and Ben's note


async def test_an_away_teachers_messages_go_to_the_cover_then_back_to_them(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    olga, ben, carl = emulator.chat(OLGA), emulator.chat(BEN), emulator.chat(CARL)
    await dialog(
        ben,
        [
            ("/away", "Who covers for you?"),
            ("[Carl Khan]", "now go to Carl Khan until you send /back"),
        ],
    )
    await postman.deliver()
    assert "Ben Khan is away: families' messages for 4H come to you" in newest(carl).body
    before = len(ben.messages)
    await dialog(olga, [("Zed has a cold.", "Ben Khan is away, so it went to Carl Khan")])
    await postman.deliver()
    copy = newest(carl)
    assert "For Ben Khan, who is away." in copy.body
    assert "Zed has a cold." in copy.body
    assert len(ben.messages) == before
    await carl.send("Thank you, I will tell the class.", reply_to=copy.message_id)
    await postman.deliver()
    assert "Carl Khan" in newest(olga).body
    assert "tell the class" in newest(olga).body

    await dialog(ben, [("/back", "Welcome back!"), ("/back", "You were not marked as away.")])
    await dialog(olga, [("He is better now.", "Sent to Ben Khan, Zed's class teacher.")])
    await postman.deliver()
    assert "He is better now." in newest(ben).body
    # The cover's part ended with the absence: an answer to the old copy is refused.
    replies = await carl.send("One more thing.", reply_to=copy.message_id)
    assert "not available to you" in replies[0].body

    # With the office covering, the senior leaders get the messages.
    await dialog(ben, [("/away", "Who covers"), ("[🏫 The school office]", "the school office")])
    await dialog(olga, [("Zed lost a shoe.", "Ben Khan is away, so it went to the school office.")])
    await postman.deliver()
    assert "Zed lost a shoe." in newest(emulator.chat(HEAD)).body


async def test_two_parents_of_one_child_never_see_each_other(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    ewa, piotr, amira = emulator.chat(EWA), emulator.chat(PIOTR), emulator.chat(AMIRA)
    await choose_language(EWA, "en")  # her roster language is Polish; she reads English here
    await ewa.send("/ask")
    await dialog(ewa, [("[Maja Nowak (3B)]", "Write"), ("Maja has nits, sorry.", "Amira Khan")])
    await dialog(piotr, [("I will collect Maja on Friday.", "Sent to Amira Khan")])
    await postman.deliver()
    from_ewa = next(m for m in amira.messages if "From Ewa (mother)" in m.body)
    assert any("From Piotr (father)" in m.body for m in amira.messages)
    await amira.send("Thanks, we will send a letter home.", reply_to=from_ewa.message_id)
    await postman.deliver()
    assert "send a letter home" in newest(ewa).body
    for message in piotr.messages:
        assert "Ewa" not in message.body
        assert "nits" not in message.body
        assert "send a letter home" not in message.body
    assert await MessageThread.filter(pupil_id=world.maja).count() == 2


async def test_forged_buttons_and_replies_cross_no_line(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    olga, amira = emulator.chat(OLGA), emulator.chat(AMIRA)
    await olga.send("Private: Zed's grandad is in hospital.")
    await postman.deliver()
    message = await ThreadMessage.get()
    await amira.send("/help")
    help_id = newest(amira).message_id
    # Amira teaches 3B, not Zed's 4H; Tom assists in 3B; Olga is a parent.
    for user_id in (AMIRA, TOM, OLGA):
        chat = emulator.chat(user_id)
        if not chat.messages:
            await chat.send("/help")
        for data in (f"v1:mrp:{message.id}", f"v1:mrd:{message.id}"):
            query = await emulator.press_button(
                user_id, user_id, newest(chat).message_id, data, forged=True
            )
            await emulator.wait_for(lambda q=query: q in emulator.callback_answers)
            assert "not available to you" in (emulator.callback_answers[query][0] or "")
    await ThreadMessage.get(id=message.id, read_at=None)
    assert not any("grandad" in m.body for m in amira.messages)
    # A reply to a message that carries no thread is just text to Amira's chat.
    replies = await amira.send("What about Zed?", reply_to=help_id)
    assert "didn't catch that" in replies[0].body
    assert await ThreadMessage.all().count() == 1


async def test_too_many_messages_are_refused_and_change_nothing(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    olga = emulator.chat(OLGA)
    for number in range(10):
        await olga.send(f"Message number {number}")
    await dialog(olga, [("And another one", "You have sent 10 messages in the last 10 minutes")])
    assert await ThreadMessage.all().count() == 10
    assert "Sent to Ben Khan" not in newest(olga).body


async def test_a_message_outside_office_hours_waits_for_the_morning_digest(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    await close_the_office(world.school)
    olga, ewa, ben = emulator.chat(OLGA), emulator.chat(EWA), emulator.chat(BEN)
    await dialog(olga, [("Zed has a sore throat.", "Received. It will reach the school when")])
    note = newest(olga).body
    assert "The school office is closed now." in note
    held = await ThreadMessage.get()
    assert held.staff_id is None
    assert held.deliver_after > datetime.now(UTC)
    # Ewa writes in Polish: the day and time are written the Polish way.
    await ewa.send("/ask")
    await dialog(ewa, [("[Jan Nowak (4H)]", "Jan"), ("Jan needs glasses.", "Jan")])
    polish = format_datetime(
        held.deliver_after, "EEEE d MMMM, HH:mm", tzinfo=ZoneInfo("Europe/London"), locale="pl"
    )
    assert polish in newest(ewa).body
    await olga.send_file("photo", PNG, caption="His throat")
    await postman.deliver()
    assert not ben.messages

    # Morning: the office opens and the planner passes the night's messages on.
    await School.filter(id=world.school).update(office_opens="00:00", office_closes="00:00")
    now = datetime.now(UTC)
    await ThreadMessage.all().update(deliver_after=now)
    assert await plan_message_digests(now=now) == 1
    await postman.deliver()
    digest = next(m for m in ben.messages if "3 messages from families" in m.body)
    for fragment in ("Zed Nowak", "Olga (mother)", "Jan Nowak", "Ewa (mother)", "sore throat"):
        assert fragment in digest.body
    assert [t for row in digest.buttons for t, _ in row] == [
        "↩️ 1",
        "✓ 1",
        "↩️ 2",
        "✓ 2",
        "↩️ 3",
        "✓ 3",
    ]
    assert newest(ben).photo is not None  # the photo follows the digest
    await dialog(
        ben,
        [
            ("[✓ 2]", "Marked as read"),
            ("[↩️ 1]", ["Your answer to Olga (mother) about Zed Nowak", "sore throat"]),
            ("Get well soon, Zed.", "Sent to Olga (mother)"),
        ],
    )
    assert [t for row in sent(emulator, BEN, digest.message_id).buttons for t, _ in row][
        3
    ] == "✓✓ 2"
    assert await plan_message_digests(now=now) == 0  # planned once


async def test_one_overnight_message_comes_alone_and_a_reply_to_it_answers(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    await close_the_office(world.school)
    olga, ben = emulator.chat(OLGA), emulator.chat(BEN)
    await olga.send("Zed's swimming kit is in the lost property.")
    await School.filter(id=world.school).update(office_opens="00:00", office_closes="00:00")
    now = datetime.now(UTC)
    await ThreadMessage.all().update(deliver_after=now)
    assert await plan_message_digests(now=now) == 1
    await postman.deliver()
    copy = newest(ben)
    assert "outside office hours" in copy.body
    assert "swimming kit" in copy.body
    await dialog(ben, [("[↩️ Reply]", "Write your answer now")])
    prompt = newest(ben)
    replies = await ben.send("Found it, thanks!", reply_to=prompt.message_id)
    assert "Sent to Olga (mother) about Zed Nowak." in replies[0].body
    await dialog(ben, [("hello", "didn't catch that")])  # the prompt was answered
    await postman.deliver()
    assert "Found it, thanks!" in newest(olga).body
