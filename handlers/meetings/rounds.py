"""/rounds: the year's mentoring rounds; senior leaders add one in a short flow.

Also the helpers the other meeting screens share: the school's timezone, who holds meetings.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_date
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import is_staff_chat, reply, show
from models.calendar.schools import academic_year_for, school_zone
from models.common import clock
from models.common.enums import Role
from models.common.errors import N_, DomainError
from models.common.flows import Flow, advance_flow, current_flow, end_flow, start_flow
from models.meetings.rounds import create_round, rounds_of
from models.people.access import Actor, Permission, require_school_admin, staff_may

NEW = "rdn"  # v1:rdn: a senior leader starts a new round
LENGTH = "rdl"  # v1:rdl:<minutes>
FLOW = "round"
LENGTHS, DEFAULT_LENGTH = (5, 10, 15, 20), 10
MAX_NAME = 100
STALE = N_("This button is no longer active.")
DATES_HINT = N_("Type the dates as 30/11 – 11/12 (or 2026-11-30 2026-12-11)")
_ISO = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_DAY_MONTH = r"(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?"
_DATE = re.compile(rf"{_ISO}|{_DAY_MONTH}")
# Direction marks (LRM, RLM, ALM, embeddings, isolates): Arabic short dates put an RLM after
# the day and the month, and RTL keyboards type them; they are not part of a date.
_BIDI_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def holds_meetings(actor: Actor | None) -> bool:
    """Class teachers and senior leaders hold mentoring meetings; assistants do not."""
    return actor is not None and actor.staff is not None and actor.staff.role is not Role.ASSISTANT


async def refused(update: Update, context: MentorContext, *, meetings: bool) -> bool:
    """Answer politely and return True when this chat may not use a staff meeting command."""
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return True
    if meetings and not holds_meetings(context.actor):
        await reply(update, escape(_("Mentoring meetings are held by class teachers.")))
        return True
    return False


def error_text(error: DomainError) -> str:
    return "⚠️ " + escape(_(error.message).format(**error.params))


def window(opens_on: date, closes_on: date) -> str:
    return f"{format_date(opens_on, 'd MMM')} – {format_date(closes_on, 'd MMM y')}"


async def rounds(update: Update, context: MentorContext) -> None:
    """`/rounds`: this academic year's rounds and their windows."""
    if await refused(update, context, meetings=False):
        return
    actor = acting(context)
    today = clock.today(await school_zone(actor, staff_only=True))
    year = academic_year_for(today)
    heading = _("Mentoring rounds {year}").format(year=year)
    lines = [f"<b>{escape(heading)}</b>"]
    for view in await rounds_of(actor, academic_year=year):
        minutes = _("{n}-minute meetings").format(n=view.slot_minutes)
        now_open = " 🟢 " + _("open now") if view.opens_on <= today <= view.closes_on else ""
        dates = window(view.opens_on, view.closes_on)
        lines.append(
            f"{view.number}. <b>{escape(view.name)}</b>: {escape(dates)}, "
            + escape(minutes + now_open)
        )
    if len(lines) == 1:
        lines.append(escape(_("No rounds yet for this year.")))
    leader = staff_may(actor, Permission.MANAGE_SCHOOL)
    markup = InlineKeyboardMarkup([[button("➕ " + _("New round"), NEW)]]) if leader else None
    await reply(update, "\n".join(lines), markup)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor, chat, now = acting(context), chat_id(update), clock.now()
    require_school_admin(actor)
    if kind == NEW and not args:
        await start_flow(chat, FLOW, "name", {}, now=now)
        await reply(update, escape(_("What is the new round called? (e.g. Spring meetings)")))
        return None
    flow = await current_flow(chat, now=now, kind=FLOW)
    minutes = int_arg(args[0]) if len(args) == 1 else None
    if kind != LENGTH or flow is None or flow.step != "length" or minutes not in LENGTHS:
        raise DomainError(STALE)
    data, year = flow.data, str(flow.data["year"])
    taken = {view.number for view in await rounds_of(actor, academic_year=year)}
    number = next(n for n in range(1, len(taken) + 2) if n not in taken)
    opens_on, closes_on = date.fromisoformat(data["opens"]), date.fromisoformat(data["closes"])
    try:
        await create_round(
            actor,
            number=number,
            name=str(data["name"]),
            opens_on=opens_on,
            closes_on=closes_on,
            slot_minutes=minutes,
            academic_year=year,
        )
    except DomainError as error:
        await advance_flow(flow, "dates", {"name": data["name"], "year": year}, now=now)
        await show(update, error_text(error) + "\n" + escape(_(DATES_HINT)), None, edit=True)
        return None
    await end_flow(chat)
    text = _("Round {number} “{name}” added: {window}, {minutes}-minute meetings.").format(
        number=number, name=data["name"], window=window(opens_on, closes_on), minutes=minutes
    )
    await show(update, "✅ " + escape(text), None, edit=True)
    return _("Saved")


@on_text(FLOW)
async def typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """The round's name (step "name"), then its dates (step "dates")."""
    now = clock.now()
    if flow.step == "name":
        name = " ".join(text.split())
        if not name or len(name) > MAX_NAME:
            message = _("Please give the round a name of up to {limit} characters.")
            await reply(update, "⚠️ " + escape(message.format(limit=MAX_NAME)))
            return
        today = clock.today(await school_zone(acting(context), staff_only=True))
        data = {"name": name, "year": academic_year_for(today)}
        await advance_flow(flow, "dates", data, now=now)
        await reply(update, escape(_(DATES_HINT)))
    elif flow.step == "dates":
        year = str(flow.data["year"])
        window_dates = parse_dates(text, year)
        if window_dates is None:
            problem = _("I couldn't read those dates.") + " " + _(DATES_HINT)
        elif window_dates[1] < window_dates[0]:
            problem = _("A round must close on or after the day it opens.")
        elif {academic_year_for(d) for d in window_dates} != {year}:
            problem = _("The dates of a round must lie in the academic year {year}.")
        else:
            opens, closes = (d.isoformat() for d in window_dates)
            await advance_flow(
                flow, "length", {**flow.data, "opens": opens, "closes": closes}, now=now
            )
            await _ask_length(update)
            return
        await reply(update, "⚠️ " + escape(problem.format(year=year)))
    else:
        await reply(update, escape(_("Please choose the meeting length with the buttons above.")))


async def _ask_length(update: Update) -> None:
    buttons = [
        button(_("{n} min").format(n=n) + (" ✓" if n == DEFAULT_LENGTH else ""), LENGTH, n)
        for n in LENGTHS
    ]
    await reply(
        update, escape(_("How long is each meeting?")), InlineKeyboardMarkup(rows(buttons, 4))
    )


def parse_dates(text: str, academic_year: str) -> tuple[date, date] | None:
    """Two dates typed as `30/11 - 11/12`, `30.11.2026-11.12.2026` or ISO; None if unreadable."""
    found = list(_DATE.finditer(_BIDI_MARKS.sub("", text)))
    if len(found) != 2:
        return None
    start_year = int(academic_year[:4])
    days: list[date] = []
    try:
        for match in found:
            if match.group(1):
                days.append(date(int(match[1]), int(match[2]), int(match[3])))
                continue
            day, month, year = int(match[4]), int(match[5]), match[6]
            if year is None:
                whole = start_year if month >= 9 else start_year + 1
            else:
                whole = int(year) + (2000 if len(year) == 2 else 0)
            days.append(date(whole, month, day))
    except ValueError:
        return None
    return days[0], days[1]


def register(app: Application) -> None:
    app.add_handler(CommandHandler("rounds", rounds))
    register_buttons(app, _dispatch, NEW, LENGTH)
