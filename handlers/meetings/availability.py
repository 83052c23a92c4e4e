"""/availability: a teacher opens meeting times for a round, one school day at a time."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_date, format_datetime, ngettext
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import reply, show
from handlers.meetings.rounds import error_text, refused, window
from models.calendar.schools import academic_year_for, school_zone
from models.common import clock
from models.common.errors import N_, DomainError
from models.common.flows import Flow, advance_flow, current_flow, end_flow, start_flow
from models.meetings.availability import (
    AvailabilityRequest,
    InvalidAvailability,
    open_and_invite,
    plan_slots,
)
from models.meetings.rounds import RoundView, current_round, rounds_of
from models.people.access import Actor

ROUND = "avr"  # v1:avr:<round>
DAY = "av"  # v1:av:<round>:<yyyymmdd>
BUFFER = "avb"  # v1:avb:<minutes>
OPEN, CANCEL = "avo", "avx"
FLOW = "availability"
BUFFERS = (0, 5)
STALE = N_("This button is no longer active.")
TIME_HINT = N_("Type the time, e.g. 15:30-17:30 (add a break: 15:30-17:30 break 16:30-16:45)")
_TIME = re.compile(r"(?<!\d)(\d{1,2})[:.](\d{2})(?!\d)")


async def availability(update: Update, context: MentorContext) -> None:
    """`/availability`: the current round's school days (other rounds as buttons)."""
    if await refused(update, context, meetings=True):
        return
    actor = acting(context)
    today = clock.today(await school_zone(actor, staff_only=True))
    current = await current_round(actor, today=today)
    later = [
        view
        for view in await rounds_of(actor, academic_year=academic_year_for(today))
        if view.closes_on >= today and (current is None or view.round_id != current.round_id)
    ]
    if current is not None:
        await _ask_day(update, current, later, today, edit=False)
    elif later:
        buttons = [button(view.name, ROUND, view.round_id) for view in later]
        await reply(update, escape(_("Which round?")), InlineKeyboardMarkup(rows(buttons, 1)))
    else:
        text = _(
            "There is no mentoring round to open times in. Senior leaders add them in /rounds."
        )
        await reply(update, escape(text))


async def _ask_day(
    update: Update, view: RoundView, others: list[RoundView], today: date, *, edit: bool
) -> None:
    first = max(view.opens_on, today)
    days = [first + timedelta(n) for n in range((view.closes_on - first).days + 1)]
    buttons = [
        button(format_date(day, "EEE d MMM"), DAY, view.round_id, day.strftime("%Y%m%d"))
        for day in days
        if day.weekday() < 5
    ][:60]
    lines = [f"<b>{escape(view.name)}</b> ({escape(window(view.opens_on, view.closes_on))})"]
    lines.append(
        escape(_("Which day?") if buttons else _("No school days are left in this round."))
    )
    switch = [button("↔️ " + other.name, ROUND, other.round_id) for other in others]
    markup = InlineKeyboardMarkup(rows(buttons, 3) + rows(switch, 1))
    await show(update, "\n".join(lines), markup if buttons or switch else None, edit=edit)


async def _round(actor: Actor, round_id: int, day: date) -> RoundView:
    for view in await rounds_of(actor, academic_year=academic_year_for(day)):
        if view.round_id == round_id:
            return view
    raise DomainError(STALE)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor, chat, now = acting(context), chat_id(update), clock.now()
    zone = await school_zone(actor, staff_only=True)
    today = clock.today(zone)
    first = int_arg(args[0]) if args else None
    if kind == ROUND and first is not None and len(args) == 1:
        await _ask_day(update, await _round(actor, first, today), [], today, edit=True)
        return None
    if kind == DAY and first is not None and len(args) == 2:
        try:
            day = datetime.strptime(args[1], "%Y%m%d").date()
        except ValueError:
            raise DomainError(STALE) from None
        view = await _round(actor, first, day)
        if not view.opens_on <= day <= view.closes_on or day < today or day.weekday() > 4:
            raise DomainError(STALE)
        await start_flow(chat, FLOW, "time", {"round": first, "day": day.isoformat()}, now=now)
        await show(update, _heading(view, day) + "\n" + escape(_(TIME_HINT)), None, edit=True)
        return None
    flow = await current_flow(chat, now=now, kind=FLOW)
    if flow is None or flow.step not in ("buffer", "confirm"):
        raise DomainError(STALE)
    data = dict(flow.data)
    day = date.fromisoformat(data["day"])
    view = await _round(actor, int(data["round"]), day)
    if kind == CANCEL:
        await end_flow(chat)
        await show(update, escape(_("Cancelled. No times were opened.")), None, edit=True)
    elif kind == BUFFER and first in BUFFERS:
        data["buffer"] = first
        planned = plan_slots(_request(data), slot_minutes=view.slot_minutes, timezone=zone)
        await advance_flow(flow, "confirm", data, now=now)
        keyboard = [[button("✅ " + _("Open"), OPEN), button("✖️ " + _("Cancel"), CANCEL)]]
        text = _heading(view, day) + "\n" + _preview(data, planned, view.slot_minutes, zone)
        await show(update, text, InlineKeyboardMarkup(keyboard), edit=True)
    elif kind == OPEN and flow.step == "confirm":
        try:
            opened = await open_and_invite(actor, view.round_id, _request(data), now=now)
        except InvalidAvailability as error:
            await advance_flow(
                flow, "time", {"round": view.round_id, "day": day.isoformat()}, now=now
            )
            retype = (
                error_text(error) + "\n" + escape(_("Nothing was opened.") + " " + _(TIME_HINT))
            )
            await show(update, _heading(view, day) + "\n" + retype, None, edit=True)
            return None
        await end_flow(chat)
        await show(
            update,
            _heading(view, day) + "\n✅ " + escape(_opened(opened.slots, opened.families_invited)),
            None,
            edit=True,
        )
        return _("Saved")
    else:
        raise DomainError(STALE)
    return None


def _heading(view: RoundView, day: date) -> str:
    return f"<b>{escape(view.name)}</b> · {escape(format_date(day, 'EEEE d MMMM'))}"


def _opened(slots: int, families: int) -> str:
    opened = ngettext("Opened {n} time", "Opened {n} times", slots).format(n=slots)
    if not families:
        return opened + "; " + _("every family has already been invited.")
    invited = ngettext(
        "an invitation is on its way to {n} family.",
        "invitations are on their way to {n} families.",
        families,
    )
    return opened + "; " + invited.format(n=families)


def parse_times(text: str) -> list[time] | None:
    """Start and end, then a break's if typed (`15:30-17:30 break 16:30-16:45`); None if not."""
    found = [(int(h), int(m)) for h, m in _TIME.findall(text)]
    if len(found) not in (2, 4) or any(h > 23 or m > 59 for h, m in found):
        return None
    return [time(h, m) for h, m in found]


@on_text(FLOW)
async def typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """The times of the day (retyping them is fine at any step)."""
    typed_times = parse_times(text)
    if typed_times is None:
        await reply(update, "⚠️ " + escape(_("I couldn't read that time.") + " " + _(TIME_HINT)))
        return
    times = [moment.strftime("%H:%M") for moment in typed_times]
    data: dict[str, Any] = {"round": flow.data["round"], "day": flow.data["day"], "buffer": 0}
    data |= {"starts": times[0], "ends": times[1], "break": times[2:] or None}
    actor = acting(context)
    zone = await school_zone(actor, staff_only=True)
    try:
        view = await _round(actor, int(data["round"]), date.fromisoformat(data["day"]))
        plan_slots(_request(data), slot_minutes=view.slot_minutes, timezone=zone)
    except DomainError as error:
        await reply(update, error_text(error))
        return
    await advance_flow(flow, "buffer", data, now=clock.now())
    buttons = [
        button(_("No gap") if n == 0 else _("{n} min").format(n=n), BUFFER, n) for n in BUFFERS
    ]
    question = _("A gap after each meeting?")
    await reply(update, escape(question), InlineKeyboardMarkup([buttons]))


def _request(data: dict[str, Any]) -> AvailabilityRequest:
    pause = data.get("break") or [None, None]
    return AvailabilityRequest(
        day=date.fromisoformat(data["day"]),
        starts=time.fromisoformat(data["starts"]),
        ends=time.fromisoformat(data["ends"]),
        break_starts=time.fromisoformat(pause[0]) if pause[0] else None,
        break_ends=time.fromisoformat(pause[1]) if pause[1] else None,
        buffer_minutes=int(data.get("buffer", 0)),
    )


def _preview(
    data: dict[str, Any], planned: list[tuple[datetime, datetime]], minutes: int, zone: ZoneInfo
) -> str:
    """`12 meetings of 10 minutes: 15:30, 15:40, … (break 16:30-16:45)`."""
    starts = [format_datetime(start, zone, "HH:mm") for start, _end in planned]
    shown = ", ".join(starts[:30]) + (", …" if len(starts) > 30 else "")
    text = ngettext(
        "{n} meeting of {minutes} minutes: {times}",
        "{n} meetings of {minutes} minutes: {times}",
        len(planned),
    ).format(n=len(planned), minutes=minutes, times=shown)
    if data.get("break"):
        day = date.fromisoformat(data["day"])
        start, end = (
            format_datetime(datetime.combine(day, time.fromisoformat(t), zone), zone, "HH:mm")
            for t in data["break"]
        )
        text += " " + _("(break {start}–{end})").format(start=start, end=end)
    if data.get("buffer"):
        text += " " + _("with a {n}-minute gap after each").format(n=data["buffer"])
    return escape(text)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("availability", availability))
    register_buttons(app, _dispatch, ROUND, DAY, BUFFER, OPEN, CANCEL)
