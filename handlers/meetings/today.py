"""/today (or `/today tomorrow`): a teacher's meetings, free times, booking for a family."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_date, format_datetime, isolate, ngettext
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import show
from handlers.meetings.meeting import START
from handlers.meetings.rounds import refused
from handlers.meetings.sheet import sheet_button
from models.calendar.schools import school_zone
from models.common import clock
from models.common.enums import BookingStatus
from models.common.errors import N_, DomainError
from models.meetings.availability import set_slot_blocked
from models.meetings.booking import (
    BookingView,
    book,
    bookings_for_day,
    declines_for_day,
    slots_for_day,
)
from models.people.access import Actor
from models.people.overview import class_list, class_pupils

BOOK_FOR = "mbf"  # v1:mbf:<slot>[:<class>]: book a free time for a family
BOOK_PUPIL = "mbp"  # v1:mbp:<slot>:<pupil>
BLOCK = "mbb"  # v1:mbb:<slot>:<1|0>
DAY = "mbd"  # v1:mbd:<day ordinal>: one meeting day, from the week
WEEK = "mbw"  # v1:mbw:<day ordinal>: the week of the first meeting day from then on
ICONS = {
    BookingStatus.BOOKED: "🕓",
    BookingStatus.CONFIRMED: "✅",
    BookingStatus.DECLINED: "✖️",
    BookingStatus.ATTENDED: "🟢",
    BookingStatus.MISSED: "🔴",
}
STALE = N_("This button is no longer active.")


async def today(update: Update, context: MentorContext) -> None:
    """The day's meetings with their states; free times can be booked for a family or blocked."""
    if await refused(update, context, meetings=True):
        return
    actor = acting(context)
    zone = await school_zone(actor, staff_only=True)
    day = clock.today(zone)
    if context.args and context.args[0].lower() in ("tomorrow", _("tomorrow").lower()):
        day += timedelta(days=1)
    await show_day(update, actor, day, zone, edit=False)


def icon(view: BookingView) -> str:
    if view.booked_by_school and view.status is BookingStatus.BOOKED:
        return "🏫"
    return ICONS.get(view.status, "🕓")


async def show_day(update: Update, actor: Actor, day: date, zone: ZoneInfo, *, edit: bool) -> None:
    booked = {view.slot.slot_id: view for view in await bookings_for_day(actor, day)}
    now = clock.now()
    lines = [f"📅 <b>{escape(format_date(day, 'EEEE d MMMM'))}</b>"]
    keyboard: list[list[InlineKeyboardButton]] = []
    free = 0
    for slot in await slots_for_day(actor, day):
        at = isolate(format_datetime(slot.starts_at, zone, "HH:mm"))
        view = booked.get(slot.id)
        if view is not None:
            lines.append(f"{at} {icon(view)} {escape(isolate(view.pupil_name))}")
            start = _("Start")
            label = f"▶️ {start} {at} · {isolate(view.pupil_name)}"
            sheet = sheet_button(view.booking_id, at)  # short, so the pupil's name shows
            keyboard.append([button(label, START, view.booking_id), sheet])
        elif slot.blocked:
            blocked = _("blocked")
            lines.append(f"{at} ⛔ {escape(blocked)}")
            if slot.starts_at > now:
                keyboard.append([button(f"{at} " + _("Unblock"), BLOCK, slot.id, 0)])
        else:
            free += 1
            free_word = _("free")
            lines.append(f"{at} ▫️ {escape(free_word)}")
            if slot.starts_at > now:
                keyboard.append(
                    [
                        button(f"📌 {at} " + _("Book for a family"), BOOK_FOR, slot.id),
                        button("⛔ " + _("Block"), BLOCK, slot.id, 1),
                    ]
                )
    lines += await _declines(actor, day, zone)
    if len(lines) == 1:
        lines.append(escape(_("No meeting times on this day. Open some with /availability.")))
    else:
        lines.append("")
        lines.append(escape(ngettext("{n} free time", "{n} free times", free).format(n=free)))
        lines.append(
            escape(_("🕓 booked · ✅ confirmed · 🏫 booked by school · 🟢 attended · 🔴 missed"))
        )
    keyboard.append([button("🗓 " + _("Week"), WEEK, day.toordinal())])
    await show(update, "\n".join(lines), InlineKeyboardMarkup(keyboard), edit=edit)


def day_arg(value: str) -> date | None:
    """The day a button carries as its ordinal, or None if forged."""
    number = int_arg(value)
    return date.fromordinal(number) if number and number <= date.max.toordinal() else None


async def _declines(actor: Actor, day: date, zone: ZoneInfo) -> list[str]:
    """The families who cannot come that day, each with the reason they gave."""
    declined = await declines_for_day(actor, day)
    if not declined:
        return []
    lines = ["", "✖️ <b>" + escape(_("Can't come")) + "</b>"]
    for view in declined:
        at = isolate(format_datetime(view.slot.starts_at, zone, "HH:mm"))
        line = f"{at} {escape(isolate(view.pupil_name))}"
        lines.append(line + (f": {escape(view.decline_reason)}" if view.decline_reason else ""))
    return lines


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor, now = acting(context), clock.now()
    ids = [i for i in (int_arg(a) for a in args) if i is not None]
    if not ids or len(ids) != len(args) or actor.staff is None:
        raise DomainError(STALE)
    zone = await school_zone(actor, staff_only=True)
    if kind == DAY and len(args) == 1 and (day := day_arg(args[0])) is not None:
        await show_day(update, actor, day, zone, edit=True)
        return None
    if kind == BLOCK and len(args) == 2 and args[1] in ("0", "1"):
        slot = await set_slot_blocked(actor, ids[0], args[1] == "1")
        await show_day(update, actor, slot.starts_at.astimezone(zone).date(), zone, edit=True)
        return _("Blocked") if slot.blocked else _("Unblocked")
    if kind == BOOK_FOR and len(args) == 1:
        classes = await class_list(actor)
        if len(classes) == 1:
            await _ask_pupil(update, actor, ids[0], classes[0].class_id, edit=False)
            return None
        buttons = [button(c.name, BOOK_FOR, args[0], c.class_id) for c in classes]
        await show(
            update, escape(_("Which class?")), InlineKeyboardMarkup(rows(buttons, 3)), edit=False
        )
        return None
    if kind == BOOK_FOR and len(args) == 2:
        await _ask_pupil(update, actor, ids[0], ids[1], edit=True)
        return None
    if kind == BOOK_PUPIL and len(args) == 2:
        view = await book(actor, ids[0], ids[1], now=now)  # the domain decides
        text = _("Booked for {name} at {time} (booked by school). The family will be told.")
        at = format_datetime(view.slot.starts_at, zone, "EEE d MMM, HH:mm")
        await show(
            update, "🏫 " + escape(text.format(name=view.pupil_name, time=at)), None, edit=True
        )
        return _("Saved")
    raise DomainError(STALE)


async def _ask_pupil(
    update: Update, actor: Actor, slot_id: int, class_id: int, *, edit: bool
) -> None:
    pupils = await class_pupils(actor, class_id)
    buttons = [button(p.full_name, BOOK_PUPIL, slot_id, p.pupil_id) for p in pupils]
    if not buttons:
        raise DomainError(STALE)
    text = escape(_("Book this time for which family?"))
    await show(update, text, InlineKeyboardMarkup(rows(buttons, 2)), edit=edit)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("today", today))
    register_buttons(app, _dispatch, BOOK_FOR, BOOK_PUPIL, BLOCK, DAY)
