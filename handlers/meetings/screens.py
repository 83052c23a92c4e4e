"""The screens of booking a mentoring meeting, built from the domain for the acting guardian.

Every id in them comes from a button and is only a wish: the domain decides what this person
may see or book, and a refusal looks the same whether the record is missing or someone else's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardMarkup

from bot.i18n import _, format_list, ngettext
from handlers.common.pickers import button
from handlers.meetings.texts import (
    DAYS,
    ICS_NAME,
    KEEP,
    SKIP,
    Picker,
    booked_text,
    booking_keyboard,
    booking_picker,
    change_picker,
    day_label,
    days_keyboard,
    local_day,
    meeting_ics_for,
    meeting_line,
    times_keyboard,
)
from models.meetings.booking import (
    BookingView,
    SlotView,
    calendar_sequence,
    free_slots,
    invitation,
    live_booking,
    next_to_siblings,
    own_booking,
)
from models.people.access import Actor


@dataclass(frozen=True)
class Screen:
    text: str
    markup: InlineKeyboardMarkup | None = None


async def send_calendar(
    bot: Bot, chat_id: int, view: BookingView, zone: ZoneInfo, *, cancelled: bool = False
) -> None:
    """The booking's calendar file after the family changed it themselves in this chat."""
    sequence = await calendar_sequence(view.booking_id) + (1 if cancelled else 0)
    data = meeting_ics_for(view, zone.key, sequence=sequence, cancelled=cancelled)
    await bot.send_document(chat_id, document=data, filename=ICS_NAME)


async def invite_screen(
    actor: Actor, round_id: int, pupil_id: int, zone: ZoneInfo, *, now: datetime
) -> Screen:
    """The invitation: who the meeting is with and for how long, and the days with free times."""
    slots = await free_slots(actor, round_id, pupil_id, now=now)
    live = await live_booking(actor, round_id, pupil_id)
    if live is not None:  # the other guardian was quicker: this is what the family has
        return Screen(booked_text(live, zone), booking_keyboard(live))
    invited = await invitation(actor, round_id, pupil_id)
    teachers = format_list(sorted({s.staff_name for s in slots})) or _("the class teacher")
    length = ngettext("about {n} minute", "about {n} minutes", invited.slot_minutes)
    name = escape(invited.pupil_first_name)
    text = "📅 " + _("Mentoring meeting for {name} with {teacher} ({length}, with {name}).").format(
        name=name, teacher=escape(teachers), length=length.format(n=invited.slot_minutes)
    )
    stars = await next_to_siblings(actor, round_id, pupil_id, slots)
    if not slots:
        text += "\n\n" + escape(_("No times are free at the moment."))
        picker = booking_picker(round_id, pupil_id)
        return Screen(text, InlineKeyboardMarkup([[picker.last()]]))
    if stars:
        text += "\n" + escape(_("⭐ marks times right next to a brother's or sister's meeting."))
    text += "\n\n" + escape(_("Choose a day:"))
    return Screen(text, days_keyboard(slots, zone, booking_picker(round_id, pupil_id), stars))


async def day_screen(
    actor: Actor, round_id: int, pupil_id: int, day: date, zone: ZoneInfo, *, now: datetime
) -> Screen:
    """The free times of one day, for a family booking anew."""
    slots = await free_slots(actor, round_id, pupil_id, now=now)
    picker = booking_picker(round_id, pupil_id)
    return await _times(actor, round_id, pupil_id, slots, day, zone, picker)


async def change_screen(
    actor: Actor, booking_id: int, zone: ZoneInfo, *, now: datetime, day: date | None = None
) -> Screen:
    """Another time for a live booking: its days, or the free times of one day."""
    view, round_id = await own_booking(actor, booking_id)
    slots = await free_slots(actor, round_id, view.pupil_id, now=now)
    picker = change_picker(booking_id)
    if day is not None:
        return await _times(actor, round_id, view.pupil_id, slots, day, zone, picker)
    stars = await next_to_siblings(actor, round_id, view.pupil_id, slots)
    text = "🔁 " + _("Now booked: {when} with {teacher} for {name}").format(
        **meeting_line(view, zone)
    )
    if not slots:
        text += "\n\n" + escape(_("No other times are free at the moment."))
        return Screen(text, InlineKeyboardMarkup([[picker.last()]]))
    text += "\n\n" + escape(_("Choose a new day:"))
    return Screen(text, days_keyboard(slots, zone, picker, stars))


async def _times(
    actor: Actor,
    round_id: int,
    pupil_id: int,
    slots: Sequence[SlotView],
    day: date,
    zone: ZoneInfo,
    picker: Picker,
) -> Screen:
    stars = await next_to_siblings(actor, round_id, pupil_id, slots)
    that_day = [s for s in slots if local_day(s.starts_at, zone) == day]
    if not that_day:
        text = _("No free times are left on {day}. Please choose another day:")
        return Screen(
            escape(text.format(day=day_label(day))), days_keyboard(slots, zone, picker, stars)
        )
    text = escape(_("{day}: choose a time:").format(day=day_label(day)))
    return Screen(text, times_keyboard(that_day, zone, picker, stars))


async def taken_screen(
    actor: Actor,
    round_id: int,
    pupil_id: int,
    alternatives: Sequence[SlotView],
    zone: ZoneInfo,
    picker: Picker,
) -> Screen:
    """Someone was quicker: the nearest free times instead."""
    if not alternatives:
        text = escape(_("Sorry, that time was just taken, and no other times are free now."))
        return Screen(text, InlineKeyboardMarkup([[picker.last()]]))
    stars = await next_to_siblings(actor, round_id, pupil_id, alternatives)
    text = escape(_("Sorry, that time was just taken. The nearest free times:"))
    return Screen(text, times_keyboard(alternatives, zone, picker, stars, with_day=True))


def waiting_screen() -> Screen:
    text = _(
        "You are on the waiting list. We will send you a message as soon as a time becomes free."
    )
    return Screen("📝 " + escape(text))


def reason_screen(booking_id: int) -> Screen:
    """After "✖️ Can't come": a reason is welcome, not required."""
    question = _("Would you like to tell the teacher why? Type a short reason, or press Skip.")
    skip = button("⏭ " + _("Skip"), SKIP, booking_id)
    keep = button("↩️ " + _("Keep my time"), KEEP, booking_id)
    return Screen("✖️ " + escape(question), InlineKeyboardMarkup([[skip], [keep]]))


def declined_screen(view: BookingView, round_id: int, zone: ZoneInfo) -> Screen:
    text = "✖️ " + _("Cancelled: {when} with {teacher} for {name}.").format(
        **meeting_line(view, zone)
    )
    text += "\n" + escape(_("Thank you for letting us know. You can choose another time."))
    again = button("📅 " + _("Choose another time"), DAYS, round_id, view.pupil_id)
    return Screen(text, InlineKeyboardMarkup([[again]]))
