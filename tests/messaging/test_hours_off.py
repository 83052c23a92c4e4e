"""/hours switched off: quiet hours "off", office hours "always open", and what was held."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models import Notification, School, ThreadMessage
from models.common.enums import Area, NotificationState
from models.messaging.conversations import plan_message_digests
from models.people.access import resolve_actor
from models.targets.targeting import set_target
from tests.clock import Clock
from tests.harness import dialog
from tests.messaging.messaging_world import (
    AMIRA,
    BEN,
    HEAD,
    OLGA,
    USERS,
    Postman,
    World,
    build_world,
    pause_jobs,
)

LONDON = ZoneInfo("Europe/London")
# Tuesday 24 November 2026, 21:00 in London: a school day, the office closed, quiet hours on.
EVENING = datetime(2026, 11, 24, 21, 0, tzinfo=LONDON)
MORNING = datetime(2026, 11, 25, 8, 0, tzinfo=LONDON)


@pytest.fixture
async def world(db: str, emulator: BotApiEmulator, clock: Clock) -> World:
    clock.travel(EVENING)
    built = await build_world(office_hours=True)
    await School.filter(id=built.school).update(quiet_starts="20:00", quiet_ends="07:30")
    for user_id, name in USERS.items():
        emulator.add_user(user_id, name, started=True)
    return built


@pytest.fixture
async def postman(bot: MentorApplication, world: World) -> Postman:
    pause_jobs(bot)
    return Postman(bot)


def buttons(emulator: BotApiEmulator, chat_id: int) -> list[str]:
    message = emulator.chat(chat_id).last
    assert message is not None
    return [text for row in message.buttons for text, _ in row]


async def test_hours_are_switched_off_with_a_button_and_said_in_words(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    head = emulator.chat(HEAD)
    await dialog(head, [("/hours", ["Office hours: 08:00–17:00", "Quiet hours: 20:00–07:30"])])
    assert buttons(emulator, HEAD) == [
        "✏️ Office hours",
        "🔓 Always open",
        "✏️ Quiet hours",
        "✖️ Off",
    ]
    await dialog(
        head,
        [
            ("[🔓 Always open]", ["Office hours: always open", "reach staff at once", "Saved"]),
            ("[✖️ Off]", ["Quiet hours: off", "whatever the hour"]),
        ],
    )
    assert buttons(emulator, HEAD) == ["✏️ Office hours", "✏️ Quiet hours"]
    school = await School.get(id=world.school)
    assert (school.office_opens, school.office_closes) == ("00:00", "00:00")
    assert (school.quiet_starts, school.quiet_ends) == ("00:00", "00:00")
    # On again by typing the hours; two equal times switch them off as the buttons do.
    await dialog(
        head,
        [
            ("[✏️ Quiet hours]", "Type the new hours"),
            ("21:00-7:00", ["Saved", "Quiet hours: 21:00–07:00"]),
            ("/hours", "Quiet hours: 21:00–07:00"),
            ("[✏️ Quiet hours]", "Type the new hours"),
            ("22:15-22:15", "Quiet hours: off"),
            ("/hours", "Office hours: always open"),
            ("[✏️ Office hours]", "Type the new hours"),
            ("17:00-08:00", "Office hours must end after they begin."),
            ("8:30-16:00", "Office hours: 08:30–16:00"),
        ],
    )
    # Only senior leaders.
    await dialog(emulator.chat(AMIRA), [("/hours", "That is not available to you.")])


async def test_messages_held_for_the_office_go_when_it_is_made_always_open(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    olga, ben, head = emulator.chat(OLGA), emulator.chat(BEN), emulator.chat(HEAD)
    await dialog(olga, [("Zed lost his coat.", "Received. It will reach the school when")])
    held = await ThreadMessage.get()
    assert held.deliver_after == MORNING  # tomorrow's opening, worked out when it was sent
    now = datetime.now(UTC)
    assert await plan_message_digests(now=now) == 0

    await dialog(head, [("/hours", "Office hours"), ("[🔓 Always open]", "always open")])
    held = await ThreadMessage.get()
    assert held.deliver_after <= datetime.now(UTC)
    assert await plan_message_digests(now=datetime.now(UTC)) == 1
    await postman.deliver()
    assert any("lost his coat" in m.body for m in ben.messages)


async def test_held_messages_take_the_new_opening_when_the_office_hours_change(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    await dialog(emulator.chat(OLGA), [("Zed lost his coat.", "Received.")])
    await dialog(
        emulator.chat(HEAD),
        [("/hours", "Office hours"), ("[✏️ Office hours]", "Type"), ("7:00-15:00", "Saved")],
    )
    held = await ThreadMessage.get()
    assert held.deliver_after == datetime(2026, 11, 25, 7, 0, tzinfo=LONDON)


async def test_news_held_for_quiet_hours_goes_when_they_are_switched_off(
    world: World, emulator: BotApiEmulator, postman: Postman
) -> None:
    amira = await resolve_actor(AMIRA)
    await set_target(amira, world.maja, Area.WRITING, "Full stops", "Read together", now=EVENING)
    assert await postman.deliver() == 0  # held till the quiet hours end
    rows = await Notification.filter(kind="target_set")
    assert rows
    assert {row.due_at for row in rows} == {datetime(2026, 11, 25, 7, 30, tzinfo=LONDON)}
    head = emulator.chat(HEAD)
    await dialog(head, [("/hours", "Quiet hours"), ("[✖️ Off]", "Quiet hours: off")])
    assert await postman.deliver() == len(rows)
    states = await Notification.filter(kind="target_set").values_list("state", flat=True)
    assert set(states) == {NotificationState.SENT}
