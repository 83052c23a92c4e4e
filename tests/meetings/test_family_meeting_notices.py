"""What the outbox brings a family about a meeting (offers, reminders, summary); forged presses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from bot.i18n import _, format_date, use_locale
from handlers.common import callback_data
from handlers.meetings.texts import day_label, when
from models import Guardian, GuardianLink, MeetingRecord, Notification, Pupil
from models.common.enums import Area, BookingStatus, NotificationState
from models.common.errors import NotAllowed
from models.meetings.booking import book, confirm_booking, decline_booking, record_meeting
from models.meetings.tables import Booking, Slot
from models.people.access import resolve_actor
from models.targets.targeting import set_target
from tests.factories import make_pupil
from tests.harness import dialog
from tests.meetings.family_world import (
    EWA,
    OLGA,
    PIOTR,
    TEACHER,
    World,
    app_fixture,  # noqa: F401 (the `app` fixture)
    book_in_chat,
    deliver_all,
    newest,
    world_fixture,  # noqa: F401 (the `world` fixture)
)


async def book_for_maja(world: World, at: str = "15:40") -> int:
    now = datetime.now(UTC)
    view = await book(await resolve_actor(EWA), world.slots[at], world.maja, now=now)
    return view.booking_id


async def due_now(kind: str) -> None:
    """Time passes: `kind` rows fall due, everything else queued so far is out of the way."""
    await Notification.exclude(kind=kind).update(state=NotificationState.DEAD)
    await Notification.filter(kind=kind).update(due_at=datetime.now(UTC))


async def test_the_waiting_list_gets_an_offer_when_a_family_declines(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    await deliver_all(app)
    ewa, olga, day = emulator.chat(EWA), emulator.chat(OLGA), world.day_text
    await book_in_chat(olga, world, "15:40")
    await dialog(ewa, [("[None of these times suit me]", "You are on the waiting list")])
    await dialog(olga, [("[✖️ Can't come]", "tell the teacher why"), ("[⏭ Skip]", "Cancelled")])
    await deliver_all(app)
    offer = newest(ewa, "A time has become free")
    assert f"for Maja's mentoring meeting: {day}, 15:40 with Amira Khan" in (offer.text or "")
    # Olga changes her mind and takes it back before Ewa presses.
    await book(await resolve_actor(OLGA), world.slots["15:40"], world.ola, now=datetime.now(UTC))
    await dialog(ewa, [("[✅ Take it]", "Sorry, that time was just taken")])
    await dialog(ewa, [(f"[{day}, 15:50]", f"✅ Booked: {day}, 15:50")])
    held = await Booking.get(pupil_id=world.maja, holds_slot__not_isnull=True)
    assert held.slot_id == world.slots["15:50"]


async def test_reminders_come_in_the_guardians_language_until_the_booking_goes(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    await Guardian.filter(telegram_user_id=EWA).update(language="pl")
    booking_id = await book_for_maja(world)
    await due_now("meeting_reminder")
    assert await Notification.filter(kind="meeting_reminder", chat_id=EWA).count() == 2
    await deliver_all(app)  # one a tick; confirmed between the two
    slot = await Slot.get(id=world.slots["15:40"])
    with use_locale("pl"):
        shown, confirm = when(slot.starts_at, world.zone), "👍 " + _("Confirm")
        weekday = day_label(world.day).split()[0]  # a Babel-formatted weekday such as "wt."
    first, second = [m for m in emulator.chat_log(EWA) if (m.text or "").startswith("⏰")]
    assert shown in (first.text or "")
    assert weekday in (first.text or "")
    assert "15:40" in (first.text or "")
    assert confirm in [label for row in first.buttons for label, _data in row]
    english = [m.text or "" for m in emulator.chat_log(PIOTR)]
    assert any(
        "Reminder: Maja Nowak's mentoring meeting with Amira Khan is on" in t for t in english
    )
    assert second.text == first.text
    # A reminder for a booking that is no longer live is stale: nothing is sent.
    await decline_booking(await resolve_actor(PIOTR), booking_id, "", now=datetime.now(UTC))
    await Notification.filter(kind="meeting_reminder").update(
        state=NotificationState.PENDING, last_error="", due_at=datetime.now(UTC)
    )
    before = len(emulator.chat_log(EWA))
    await deliver_all(app)
    assert len(emulator.chat_log(EWA)) == before
    assert set(
        await Notification.filter(kind="meeting_reminder").values_list("last_error", flat=True)
    ) == {"stale"}


async def test_a_confirmed_booking_is_reminded_without_the_confirm_button(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    booking_id = await book_for_maja(world)
    await confirm_booking(await resolve_actor(PIOTR), booking_id, now=datetime.now(UTC))
    await due_now("meeting_reminder")
    await deliver_all(app)
    reminder = newest(emulator.chat(EWA), "⏰ Reminder")
    assert [label for row in reminder.buttons for label, _data in row] == [
        "🔁 Change",
        "✖️ Can't come",
    ]


async def test_the_summary_leaves_out_the_staff_notes(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    booking_id = await book_for_maja(world)
    teacher = await resolve_actor(TEACHER)
    slot = await Slot.get(id=world.slots["15:40"])
    later = slot.starts_at + timedelta(minutes=5)
    await set_target(
        teacher, world.maja, Area.READING, "Reads aloud <daily>", "Ask about her book", now=later
    )
    record = await record_meeting(
        teacher,
        booking_id,
        notes="Settled & happy in class",
        child_voice="I like reading to my cat",
        parent_attended=True,
        now=later,
    )
    await MeetingRecord.filter(id=record.id).update(staff_notes="Referral to the school nurse")
    await due_now("meeting_summary")
    await deliver_all(app)
    text = newest(emulator.chat(EWA), "Summary").text or ""
    assert f"📝 Summary of Maja's mentoring meeting on {format_date(world.day, 'long')}" in text
    for shown in ("Settled & happy", "I like reading to my cat", "Reads aloud <daily>"):
        assert shown in text
    assert "🏠 Ask about her book" in text
    assert "nurse" not in text


async def test_a_brothers_time_next_door_is_starred(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    maja = await Pupil.get(id=world.maja).select_related("school", "school_class")
    assert maja.school_class is not None
    jan = await make_pupil(maja.school, maja.school_class, "P2", "Jan")
    ewa = await Guardian.get(telegram_user_id=EWA)
    await GuardianLink.create(guardian=ewa, pupil=jan, relationship="mother")
    await book(await resolve_actor(EWA), world.slots["15:40"], jan.id, now=datetime.now(UTC))
    await deliver_all(app)
    chat, day = emulator.chat(EWA), world.day_text
    assert "⭐" in (newest(chat, "Mentoring meeting for Maja").text or "")
    await dialog(chat, [(f"[⭐ {day}]", "choose a time")])
    labels = [label for label, _data in newest(chat, "choose a time").buttons[0]]
    assert labels == ["⭐ 15:30", "⭐ 15:50"]


async def forged_press(
    emulator: BotApiEmulator, message_id: int, data: str
) -> tuple[str | None, bool]:
    """Olga's modified client sends `data` on a message that never had it; the answer."""
    query_id = await emulator.press_button(OLGA, OLGA, message_id, data, forged=True)
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    return emulator.callback_answers[query_id]


async def test_forged_presses_for_another_family_change_and_reveal_nothing(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    booking_id = await book_for_maja(world)
    await deliver_all(app)
    invitation = newest(emulator.chat(OLGA), "Mentoring meeting for Ola")
    slot, round_id, maja = world.slots["15:50"], world.round_id, world.maja
    for data in (
        callback_data.encode("mb", slot, maja),
        callback_data.encode("md", round_id, maja, f"{world.day:%Y%m%d}"),
        callback_data.encode("mi", round_id, maja),
        callback_data.encode("mw", round_id, maja),
        callback_data.encode("mc", booking_id),
        callback_data.encode("mx", booking_id),
        callback_data.encode("mn", booking_id),
        callback_data.encode("mxs", booking_id, slot),
        callback_data.encode("mns", booking_id),
    ):
        answer = await forged_press(emulator, invitation.message_id, data)
        assert answer == (NotAllowed.message, True), data
    assert newest(emulator.chat(OLGA), "Mentoring meeting for Ola") == invitation
    booking = await Booking.get(id=booking_id)
    assert (booking.status, booking.slot_id) == (BookingStatus.BOOKED, world.slots["15:40"])
    assert await Booking.all().count() == 1
