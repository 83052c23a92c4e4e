"""/terms: the year's six half-terms; senior leaders change one half-term's dates in chat."""

from __future__ import annotations

from datetime import date
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_date, strip_isolates
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import is_staff_chat, reply, show
from handlers.meetings.rounds import error_text, parse_dates
from models.calendar.schools import academic_year_for, school_zone
from models.calendar.term_calendar import (
    HALF_TERMS,
    HalfTermView,
    change_half_term,
    check_half_term,
    half_terms_of,
    year_range,
)
from models.common import clock
from models.common.errors import N_, DomainError
from models.common.flows import Flow, advance_flow, current_flow, end_flow, start_flow
from models.meetings.rounds import BAD_YEAR
from models.people.access import Actor, Permission, require_school_admin, staff_may

PICK = "htp"  # v1:htp:<academic year>:<number>: change this half-term's dates
SAVE = "hts"  # v1:hts: save the dates typed
CANCEL = "htc"  # v1:htc: leave them as they were
FLOW = "terms"
LONG = "EEEE d MMMM y"  # Babel pattern: Thursday 3 September 2026, names in the reader's language
STALE = N_("This button is no longer active.")
DATES_HINT = N_(
    "Type the first and last day, for example 2026-09-03 2026-10-23 or 3/9/2026 – 23/10/2026."
)


def half_term_name(number: int) -> str:
    """`Autumn 1` … `Summer 2`: what English schools call the six half-terms."""
    names = {
        1: _("Autumn 1"),
        2: _("Autumn 2"),
        3: _("Spring 1"),
        4: _("Spring 2"),
        5: _("Summer 1"),
        6: _("Summer 2"),
    }
    return names.get(number, str(number))


def span_text(starts_on: date, ends_on: date) -> str:
    """`Thu 3 Sep - Fri 23 Oct 2026` (with an en dash) in the reader's language."""
    return f"{format_date(starts_on, 'EEE d MMM')} – {format_date(ends_on, 'EEE d MMM y')}"


async def terms(update: Update, context: MentorContext) -> None:
    """`/terms [2027-28]`: the year's half-terms; leaders get a button to change each one."""
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return
    actor = acting(context)
    typed = strip_isolates(" ".join(context.args or [])).strip()
    if typed and year_range(typed) is None:
        await reply(update, "⚠️ " + escape(_(BAD_YEAR).format(value=typed)))
        return
    today = clock.today(await school_zone(actor, staff_only=True))
    text, markup = await calendar_screen(actor, typed or academic_year_for(today), today)
    await reply(update, text, markup)


async def calendar_screen(
    actor: Actor, year: str, today: date
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The year's half-terms, one line each, and for leaders a button per half-term."""
    stored = {view.number: view for view in await half_terms_of(actor, year)}
    lines = ["<b>" + escape(_("Term dates {year}").format(year=year)) + "</b>"]
    for number in HALF_TERMS:
        view = stored.get(number)
        name = escape(half_term_name(number))
        if view is None:
            lines.append(f"{number}. <b>{name}</b>: " + escape(_("not set")))
            continue
        now = " 🟢 " + _("now") if view.starts_on <= today <= view.ends_on else ""
        dates = span_text(view.starts_on, view.ends_on)
        lines.append(f"{number}. <b>{name}</b>: " + escape(dates + now))
    leader = staff_may(actor, Permission.MANAGE_SCHOOL)
    if not stored:
        lines.append("")
        lines.append(escape(_("No term dates are set for {year} yet.").format(year=year)))
        if leader:
            hint = _("Set each half-term below, or import a file with: {command}")
            lines.append(escape(hint.format(command="mentorbot terms import terms.csv")))
    if not leader:
        return "\n".join(lines), None
    buttons = [button("✏️ " + half_term_name(n), PICK, year, n) for n in HALF_TERMS]
    return "\n".join(lines), InlineKeyboardMarkup(rows(buttons, 2))


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor, chat, now = acting(context), chat_id(update), clock.now()
    require_school_admin(actor)
    if kind == PICK:
        number = int_arg(args[1]) if len(args) == 2 else None
        if number is None or number not in HALF_TERMS or year_range(args[0]) is None:
            raise DomainError(STALE)
        await start_flow(chat, FLOW, "dates", {"year": args[0], "number": number}, now=now)
        await _ask_dates(update, actor, args[0], number)
        return None
    flow = await current_flow(chat, now=now, kind=FLOW)
    if flow is None or flow.step != "confirm" or args:
        raise DomainError(STALE)
    year, number = str(flow.data["year"]), int(flow.data["number"])
    name = f"{half_term_name(number)} {year}"
    if kind == CANCEL:
        await end_flow(chat)
        await show(update, escape(_("Nothing was changed.")), None, edit=True)
        return None
    starts_on = date.fromisoformat(flow.data["starts_on"])
    ends_on = date.fromisoformat(flow.data["ends_on"])
    try:
        await change_half_term(actor, year, number, starts_on, ends_on)
    except DomainError as error:
        await advance_flow(flow, "dates", {"year": year, "number": number}, now=now)
        await show(update, error_text(error) + "\n" + escape(_(DATES_HINT)), None, edit=True)
        return None
    await end_flow(chat)
    saved = _("{half_term}: {dates}, saved.").format(
        half_term=name, dates=span_text(starts_on, ends_on)
    )
    await show(update, "✅ " + escape(saved), None, edit=True)
    today = clock.today(await school_zone(actor, staff_only=True))
    await reply(update, *await calendar_screen(actor, year, today))
    return _("Saved")


async def _ask_dates(update: Update, actor: Actor, year: str, number: int) -> None:
    stored = {view.number: view for view in await half_terms_of(actor, year)}
    current: HalfTermView | None = stored.get(number)
    heading = f"<b>{escape(half_term_name(number))}</b> {escape(year)}"
    if current is not None:
        heading += ": " + escape(span_text(current.starts_on, current.ends_on))
    await reply(update, heading + "\n" + escape(_(DATES_HINT)))


@on_text(FLOW)
async def typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """The half-term's first and last day, checked before anything is saved."""
    actor, now = acting(context), clock.now()
    year, number = str(flow.data["year"]), int(flow.data["number"])
    days = parse_dates(text, year)
    if days is None:
        problem = "⚠️ " + escape(_("I couldn't read those dates.") + " " + _(DATES_HINT))
        await reply(update, problem)
        return
    try:
        await check_half_term(actor, year, number, *days)
    except DomainError as error:
        await reply(update, error_text(error) + "\n" + escape(_(DATES_HINT)))
        return
    data = {"year": year, "number": number, "starts_on": days[0].isoformat()}
    await advance_flow(flow, "confirm", {**data, "ends_on": days[1].isoformat()}, now=now)
    question = _("{half_term} {year}: {dates}. Save these dates?").format(
        half_term=half_term_name(number),
        year=year,
        dates=f"{format_date(days[0], LONG)} – {format_date(days[1], LONG)}",
    )
    markup = InlineKeyboardMarkup(
        [[button("✅ " + _("Save"), SAVE), button("✖️ " + _("Cancel"), CANCEL)]]
    )
    await reply(update, escape(question), markup)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("terms", terms))
    register_buttons(app, _dispatch, PICK, SAVE, CANCEL)
