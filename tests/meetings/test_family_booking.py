"""Parents book a mentoring meeting in chat: invitation → day → time, then change or decline."""

from __future__ import annotations

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from models.common.enums import BookingStatus
from models.meetings.tables import Booking, Slot
from tests.harness import dialog
from tests.meetings.family_world import (
    EWA,
    OLGA,
    PIOTR,
    ZONE,
    World,
    app_fixture,  # noqa: F401 (the `app` fixture)
    book_in_chat,
    calendar_files,
    deliver_all,
    newest,
    world_fixture,  # noqa: F401 (the `world` fixture)
)


async def test_invitation_day_and_time_book_the_meeting_with_a_calendar_file(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    await deliver_all(app)
    ewa = emulator.chat(EWA)
    invitation = ewa.messages[-1].text or ""
    assert (
        "📅 Mentoring meeting for Maja with Amira Khan (about 10 minutes, with Maja)." in invitation
    )
    assert "Choose a day:" in invitation
    day = world.day_text
    await dialog(
        ewa,
        [
            (f"[{day}]", f"{day}: choose a time"),
        ],
    )
    assert [[text for text, _ in row] for row in ewa.messages[-1].buttons] == [
        ["15:30", "15:40", "15:50"],
        ["◀ Days"],
        ["None of these times suit me"],
    ]
    await dialog(ewa, [("[15:40]", f"✅ Booked: {day}, 15:40 with Amira Khan for Maja Nowak")])
    assert [text for row in newest(ewa, "Booked").buttons for text, _ in row] == [
        "👍 Confirm",
        "🔁 Change",
        "✖️ Can't come",
    ]
    (ics,) = await calendar_files(emulator, ewa, 1)
    assert b"BEGIN:VCALENDAR" in ics
    assert f"TZID={ZONE}:{world.day:%Y%m%d}T154000".encode() in ics  # local, not UTC 14:40
    booking = await Booking.get(holds_slot=world.slots["15:40"])
    assert ics.count(f"booking-{booking.id}@mentorbot".encode()) == 1
    # Piotr shares the booking: he is told, with the buttons and the file; Ewa is not told twice.
    await deliver_all(app)
    piotr = emulator.chat(PIOTR)
    await calendar_files(emulator, piotr, 1)
    news = next(m for m in piotr.messages if "is booked" in (m.text or ""))
    assert f"Maja Nowak's mentoring meeting is booked: {day}, 15:40" in (news.text or "")
    assert len(news.buttons) == 2
    assert not [m for m in ewa.messages if "is booked" in (m.text or "")]
    # Piotr still has his invitation: a second booking for the family shows the first one.
    await dialog(
        piotr,
        [
            (f"[{day}]", "choose a time"),
            ("[15:50]", [f"✅ Booked: {day}, 15:40", "Maja already has a meeting in this round"]),
        ],
    )
    assert await Booking.all().count() == 1
    await dialog(ewa, [("[👍 Confirm]", f"👍 Thank you, see you on {day}, 15:40")])
    assert (await Booking.get(id=booking.id)).status is BookingStatus.CONFIRMED


async def test_two_families_race_for_one_time_and_the_slower_sees_the_nearest(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    await deliver_all(app)
    ewa, olga, day = emulator.chat(EWA), emulator.chat(OLGA), world.day_text
    await dialog(ewa, [(f"[{day}]", "choose a time")])
    await book_in_chat(olga, world, "15:40")
    await dialog(ewa, [("[15:40]", "Sorry, that time was just taken. The nearest free times:")])
    assert ewa.messages[-1].buttons[0] == [
        (f"{day}, 15:30", f"v1:mb:{world.slots['15:30']}:{world.maja}"),
        (f"{day}, 15:50", f"v1:mb:{world.slots['15:50']}:{world.maja}"),
    ]
    await dialog(ewa, [(f"[{day}, 15:50]", f"✅ Booked: {day}, 15:50")])
    held = await Booking.filter(holds_slot__not_isnull=True).order_by("slot_id")
    assert [(b.slot_id, b.pupil_id) for b in held] == [
        (world.slots["15:40"], world.ola),
        (world.slots["15:50"], world.maja),
    ]
    # Back in the day list later, taken times are simply not offered.
    await dialog(olga, [("[🔁 Change]", "Choose a new day:"), (f"[{day}]", "choose a time")])
    assert [t for row in newest(olga, "choose a time").buttons[:1] for t, _ in row] == ["15:30"]


async def test_change_then_decline_with_a_reason(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    await deliver_all(app)
    ewa, day = emulator.chat(EWA), world.day_text
    await book_in_chat(ewa, world, "15:40")
    await dialog(
        ewa,
        [
            ("[🔁 Change]", [f"Now booked: {day}, 15:40", "Choose a new day:"]),
            (f"[{day}]", "choose a time"),
            ("[15:50]", f"🔁 Changed: {day}, 15:50 with Amira Khan for Maja Nowak"),
        ],
    )
    first, changed = await calendar_files(emulator, ewa, 2)
    assert b"SEQUENCE:0" in first
    assert b"SEQUENCE:1" in changed
    assert b"T155000" in changed
    await deliver_all(app)  # Piotr hears of the move
    assert any("has moved to" in (m.text or "") for m in emulator.chat(PIOTR).messages)
    assert not any("has moved to" in (m.text or "") for m in ewa.messages)
    await dialog(
        ewa,
        [
            ("[✖️ Can't come]", "Would you like to tell the teacher why?"),
            ("We are away <that> week", [f"✖️ Cancelled: {day}, 15:50", "Thank you"]),
        ],
    )
    *_, cancelled = await calendar_files(emulator, ewa, 3)
    assert b"METHOD:CANCEL" in cancelled
    assert b"STATUS:CANCELLED" in cancelled
    assert b"SEQUENCE:2" in cancelled
    booking = await Booking.get(pupil_id=world.maja)
    assert (booking.status, booking.holds_slot) == (BookingStatus.DECLINED, None)
    assert booking.decline_reason == "We are away <that> week"
    assert await Slot.filter(id=world.slots["15:50"]).exists()
    await dialog(ewa, [("[📅 Choose another time]", "Choose a day:")])
