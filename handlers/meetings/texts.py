"""What a family sees of a mentoring meeting: times in the school's timezone, keyboards, .ics."""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _, format_date, format_datetime, ngettext
from handlers.common.pickers import button, rows
from models.meetings.booking import BookingView, SlotView
from models.meetings.ics import meeting_ics

DAY = "md"  # v1:md:<round>:<pupil>:<yyyymmdd>: the free times of that day
BOOK = "mb"  # v1:mb:<slot>:<pupil>
WAIT = "mw"  # v1:mw:<round>:<pupil>: join the waiting list
DAYS = "mi"  # v1:mi:<round>:<pupil>: back to the days
CONFIRM = "mc"  # v1:mc:<booking>
CHANGE = "mx"  # v1:mx:<booking>: the days for another time
CHANGE_DAY = "mxd"  # v1:mxd:<booking>:<yyyymmdd>
MOVE = "mxs"  # v1:mxs:<booking>:<slot>
KEEP = "mv"  # v1:mv:<booking>: the booking as it stands
DECLINE = "mn"  # v1:mn:<booking>: can't come (a reason may follow)
SKIP = "mns"  # v1:mns:<booking>: can't come, no reason given
ICS_NAME = "mentoring-meeting.ics"
STAR = "⭐"
DAY_FORMAT = "EEE d MMM"
TIME_FORMAT = "HH:mm"
MAX_BUTTONS = 60  # Telegram refuses a keyboard of more than 100 buttons


def day_code(day: date) -> str:
    return day.strftime("%Y%m%d")


def day_from(code: str) -> date | None:
    """The day of a callback's yyyymmdd, or None if forged."""
    if len(code) != 8 or not code.isdigit():
        return None
    try:
        return date(int(code[:4]), int(code[4:6]), int(code[6:]))
    except ValueError:
        return None


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def day_label(day: date) -> str:
    return format_date(day, DAY_FORMAT)


def time_label(moment: datetime, zone: ZoneInfo) -> str:
    return format_datetime(moment, zone, TIME_FORMAT)


def when(moment: datetime, zone: ZoneInfo) -> str:
    """`Tue 1 Dec, 15:40` in the reader's language and the school's timezone."""
    day = day_label(local_day(moment, zone))
    # Translators: a meeting's day and time, e.g. "Tue 1 Dec, 15:40".
    return _("{day}, {time}").format(day=day, time=time_label(moment, zone))


def minutes_of(slot: SlotView) -> int:
    return round((slot.ends_at - slot.starts_at).total_seconds() / 60)


@dataclass(frozen=True)
class Picker:
    """How one step's day and time buttons are encoded: booking anew, or changing a booking."""

    day: Callable[[str, date], InlineKeyboardButton]
    time: Callable[[str, int], InlineKeyboardButton]
    back: Callable[[], InlineKeyboardButton]
    last: Callable[[], InlineKeyboardButton]


def booking_picker(round_id: int, pupil_id: int) -> Picker:
    return Picker(
        day=lambda label, day: button(label, DAY, round_id, pupil_id, day_code(day)),
        time=lambda label, slot_id: button(label, BOOK, slot_id, pupil_id),
        back=lambda: button("◀ " + _("Days"), DAYS, round_id, pupil_id),
        last=lambda: button(_("None of these times suit me"), WAIT, round_id, pupil_id),
    )


def change_picker(booking_id: int) -> Picker:
    return Picker(
        day=lambda label, day: button(label, CHANGE_DAY, booking_id, day_code(day)),
        time=lambda label, slot_id: button(label, MOVE, booking_id, slot_id),
        back=lambda: button("◀ " + _("Days"), CHANGE, booking_id),
        last=lambda: button("↩️ " + _("Keep my time"), KEEP, booking_id),
    )


def days_keyboard(
    slots: Sequence[SlotView], zone: ZoneInfo, picker: Picker, starred: Set[int]
) -> InlineKeyboardMarkup:
    """One button per day with free times (⭐ where a time is next to a sibling's meeting)."""
    days = sorted({local_day(s.starts_at, zone) for s in slots})[:MAX_BUTTONS]
    stars = {local_day(s.starts_at, zone) for s in slots if s.slot_id in starred}
    buttons = [picker.day((f"{STAR} " if d in stars else "") + day_label(d), d) for d in days]
    return InlineKeyboardMarkup([*rows(buttons, 2), [picker.last()]])


def times_keyboard(
    slots: Sequence[SlotView],
    zone: ZoneInfo,
    picker: Picker,
    starred: Set[int],
    *,
    with_day: bool = False,
) -> InlineKeyboardMarkup:
    """The given free times (3 a row; 2 with their day), then back to the days and the way out."""
    label = when if with_day else time_label
    buttons = [
        picker.time(
            (f"{STAR} " if s.slot_id in starred else "") + label(s.starts_at, zone), s.slot_id
        )
        for s in slots[:MAX_BUTTONS]
    ]
    width = 2 if with_day else 3
    return InlineKeyboardMarkup([*rows(buttons, width), [picker.back()], [picker.last()]])


def booking_keyboard(view: BookingView) -> InlineKeyboardMarkup:
    """Confirm (until confirmed), Change and Can't come."""
    first = [button("👍 " + _("Confirm"), CONFIRM, view.booking_id)] if not view.confirmed else []
    return InlineKeyboardMarkup(
        [
            [*first, button("🔁 " + _("Change"), CHANGE, view.booking_id)],
            [button("✖️ " + _("Can't come"), DECLINE, view.booking_id)],
        ]
    )


def meeting_line(view: BookingView, zone: ZoneInfo) -> dict[str, str]:
    """The escaped placeholders every booking text uses."""
    return {
        "when": escape(when(view.slot.starts_at, zone)),
        "teacher": escape(view.slot.staff_name),
        "name": escape(view.pupil_name),
    }


def booked_text(view: BookingView, zone: ZoneInfo) -> str:
    text = "✅ " + _("Booked: {when} with {teacher} for {name}").format(**meeting_line(view, zone))
    if view.booked_by_school:
        text += "\n" + escape(_("The school booked this time for you."))
    if view.confirmed:
        text += "\n👍 " + escape(_("Confirmed."))
    return text


def confirmed_text(view: BookingView, zone: ZoneInfo) -> str:
    return "👍 " + _("Thank you, see you on {when} with {teacher} ({name}).").format(
        **meeting_line(view, zone)
    )


def meeting_ics_for(
    view: BookingView, timezone: str, *, sequence: int, cancelled: bool = False
) -> bytes:
    """The calendar entry for a booking; its UID stays the same whatever changes."""
    zone = ZoneInfo(timezone)
    names = {"name": view.pupil_name, "teacher": view.slot.staff_name}
    length = minutes_of(view.slot)
    return meeting_ics(
        uid=f"booking-{view.booking_id}@mentorbot",
        starts_at=view.slot.starts_at,
        ends_at=view.slot.ends_at,
        timezone=timezone,
        summary=_("Mentoring meeting: {name} with {teacher}").format(**names),
        description=ngettext(
            "About {n} minute at school, {when}, with {name} there too.",
            "About {n} minutes at school, {when}, with {name} there too.",
            length,
        ).format(n=length, when=when(view.slot.starts_at, zone), name=view.pupil_name),
        sequence=sequence,
        cancelled=cancelled,
    )
