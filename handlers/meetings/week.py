"""The week from /today: each meeting evening of the open rounds with its bookings,
confirmations, declines and free times; a button per day, and the weeks before and after."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.i18n import _, format_date, format_datetime, format_list, isolate, ngettext
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.pickers import button, rows
from handlers.common.pupil_choice import show
from handlers.meetings.today import DAY, STALE, WEEK, day_arg, icon
from models.calendar.schools import school_zone
from models.common import clock
from models.common.errors import N_, DomainError
from models.meetings.booking import BookingView
from models.meetings.week import Evening, MeetingWeek, meeting_week

NO_DAYS = N_("No meeting times in the open rounds. Open some with /availability.")


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor = acting(context)
    near = day_arg(args[0]) if kind == WEEK and len(args) == 1 else None
    if near is None or actor.staff is None:
        raise DomainError(STALE)
    zone = await school_zone(actor, staff_only=True)
    week = await meeting_week(actor, near, today=clock.today(zone))
    if week is None:
        raise DomainError(NO_DAYS)
    await show(update, _render(week, zone), _keyboard(week), edit=True)
    return None


def _render(week: MeetingWeek, zone: ZoneInfo) -> str:
    heading = _("Week of {day}").format(day=format_date(week.monday, "EEEE d MMMM"))
    lines = [f"🗓 <b>{escape(heading)}</b>"]
    for evening in week.evenings:
        lines.append("")
        lines.extend(_evening(evening, zone))
    lines.append("")
    lines.append(
        escape(_("🕓 booked · ✅ confirmed · 🏫 booked by school · 🟢 attended · 🔴 missed"))
    )
    return "\n".join(lines)


def _evening(evening: Evening, zone: ZoneInfo) -> list[str]:
    lines = [f"📅 <b>{escape(format_date(evening.day, 'EEEE d MMMM'))}</b>"]
    for time in evening.times:
        if time.booking is not None:
            name = escape(isolate(time.booking.pupil_name))
            lines.append(f"{_at(time.starts_at, zone)} {icon(time.booking)} {name}")
    for view in evening.declined:
        lines.append(f"{_at(view.slot.starts_at, zone)} ✖️ {escape(_declined(view))}")
    blocked = [_at(t.starts_at, zone) for t in evening.times if t.blocked and t.booking is None]
    if blocked:
        word = _("blocked")
        lines.append(f"⛔ {escape(word)}: {escape(format_list(blocked))}")
    free = [_at(t.starts_at, zone) for t in evening.free]
    count = ngettext("{n} free time", "{n} free times", len(free)).format(n=len(free))
    times = f": {format_list(free)}" if free else ""
    lines.append(f"▫️ {escape(count)}{escape(times)}")
    return lines


def _at(moment: datetime, zone: ZoneInfo) -> str:
    return isolate(format_datetime(moment, zone, "HH:mm"))


def _declined(view: BookingView) -> str:
    reason = view.decline_reason or ""
    if reason:
        return _("{name} cannot come: {reason}").format(name=view.pupil_name, reason=reason)
    return _("{name} cannot come").format(name=view.pupil_name)


def _keyboard(week: MeetingWeek) -> InlineKeyboardMarkup:
    days = [button(format_date(e.day, "EEE d MMM"), DAY, e.day.toordinal()) for e in week.evenings]
    keyboard = rows(days, 3)
    paging = []
    if week.earlier is not None:
        paging.append(button("◀️ " + _("Earlier"), WEEK, week.earlier.toordinal()))
    if week.later is not None:
        paging.append(button(_("Later") + " ▶️", WEEK, week.later.toordinal()))
    if paging:
        keyboard.append(paging)
    return InlineKeyboardMarkup(keyboard)


def register(app: Application) -> None:
    register_buttons(app, _dispatch, WEEK)
