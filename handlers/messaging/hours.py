"""/hours for senior leaders: when families' messages reach staff, and the quiet hours.

Each can be switched off with a button: office hours "always open", quiet hours "off".
To switch them on again, "✏️" and type the hours."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.pickers import button
from handlers.common.pupil_choice import reply, show
from handlers.meetings.rounds import error_text
from models.calendar.school_hours import (
    HoursKind,
    SchoolHours,
    school_hours,
    set_school_hours,
    switch_off,
)
from models.common import clock
from models.common.errors import DomainError
from models.common.flows import Flow, end_flow, start_flow

FLOW = "hours"
PICK = "hrs"
OFF = "off"  # v1:hrs:quiet:off — quiet hours off, or office hours always open


def hours_screen(hours: SchoolHours) -> tuple[str, InlineKeyboardMarkup]:
    """Both spans in words, with buttons to change each or switch it off."""
    if hours.office is None:
        office, office_note = _("always open"), _("Families' messages reach staff at once.")
    else:
        office = "–".join(hours.office)
        office_note = _(
            "Families' messages reach staff in these hours on school days; outside them, "
            "in the next morning's digest."
        )
    if hours.quiet is None:
        quiet, quiet_note = _("off"), _("News to families goes out whatever the hour.")
    else:
        quiet = "–".join(hours.quiet)
        quiet_note = _(
            "Routine news to families waits until they end; safeguarding-critical "
            "messages and changes to a meeting that day still go at once."
        )
    lines = [
        "🕗 <b>" + escape(_("Office hours")) + "</b>: " + escape(office),
        escape(office_note),
        "",
        "🌙 <b>" + escape(_("Quiet hours")) + "</b>: " + escape(quiet),
        escape(quiet_note),
    ]
    office_row = [button("✏️ " + _("Office hours"), PICK, HoursKind.OFFICE.value)]
    if hours.office is not None:
        office_row.append(button("🔓 " + _("Always open"), PICK, HoursKind.OFFICE.value, OFF))
    quiet_row = [button("✏️ " + _("Quiet hours"), PICK, HoursKind.QUIET.value)]
    if hours.quiet is not None:
        quiet_row.append(button("✖️ " + _("Off"), PICK, HoursKind.QUIET.value, OFF))
    return "\n".join(lines), InlineKeyboardMarkup([office_row, quiet_row])


async def show_hours(update: Update, context: MentorContext) -> None:
    """Senior leaders only; the domain refuses everyone else."""
    try:
        hours = await school_hours(acting(context))
    except DomainError as error:
        await reply(update, error_text(error))
        return
    await reply(update, *hours_screen(hours))


async def _pressed(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor = acting(context)
    await school_hours(actor)  # senior leaders only, before anything else
    which = next((k for k in HoursKind if args[:1] == (k.value,)), None)
    if which is None or args[1:] not in ((), (OFF,)):
        return _("This button is no longer active.")
    if args[1:] == (OFF,):
        hours = await switch_off(actor, which, now=clock.now())
        await end_flow(chat_id(update))
        await show(update, *hours_screen(hours), edit=True)
        return _("Saved")
    await start_flow(chat_id(update), FLOW, "span", {"kind": which.value}, now=clock.now())
    await reply(update, escape(_("Type the new hours, such as 08:00-17:00.")))
    return None


@on_text(FLOW)
async def typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """The new span: saved when it reads right, otherwise asked again and nothing changes."""
    try:
        hours = await set_school_hours(
            acting(context), HoursKind(flow.data["kind"]), text, now=clock.now()
        )
    except DomainError as error:
        await reply(update, "⚠️ " + error_text(error))
        return
    await end_flow(chat_id(update))
    text, markup = hours_screen(hours)
    await reply(update, "✅ " + escape(_("Saved")) + "\n\n" + text, markup)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("hours", show_hours))
    register_buttons(app, _pressed, PICK)
