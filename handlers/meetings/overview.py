"""/overview: how a mentoring round is going, per class, and which families to chase."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _, isolate, ngettext
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import reply, show
from handlers.meetings.rounds import refused
from models.calendar.schools import academic_year_for, school_zone
from models.common import clock
from models.common.errors import N_, DomainError
from models.meetings.overview import ClassRoundStats, RoundOverview, round_overview
from models.meetings.rounds import current_round, rounds_of

PICK = "mo"  # v1:mo:<round>
MAX_LISTED = 30
STALE = N_("This button is no longer active.")


async def overview(update: Update, context: MentorContext) -> None:
    """`/overview`: the current round's figures, with the year's other rounds as buttons."""
    if await refused(update, context, meetings=True):
        return
    actor = acting(context)
    today = clock.today(await school_zone(actor, staff_only=True))
    current = await current_round(actor, today=today)
    views = await rounds_of(actor, academic_year=academic_year_for(today))
    others = [v for v in views if current is None or v.round_id != current.round_id]
    markup = InlineKeyboardMarkup(rows([button(v.name, PICK, v.round_id) for v in others], 2))
    if current is not None:
        text = render(await round_overview(actor, current.round_id))
        await reply(update, text, markup if others else None)
    elif others:
        await reply(update, escape(_("Which round?")), markup)
    else:
        await reply(update, escape(_("No rounds yet for this year.")))


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    round_id = int_arg(args[0]) if len(args) == 1 else None
    if kind != PICK or round_id is None:
        raise DomainError(STALE)
    summary = await round_overview(acting(context), round_id)  # the domain decides who may see it
    await show(update, render(summary), None, edit=True)
    return None


def _line(name: str, stats: ClassRoundStats) -> str:
    return _(
        "{name}: booked {booked}/{pupils} ({booked_pct}%), "
        "confirmed {confirmed_pct}%, attended {attended_pct}%"
    ).format(
        name=name,
        booked=stats.booked,
        pupils=stats.pupils,
        booked_pct=stats.booked_pct,
        confirmed_pct=stats.confirmed_pct,
        attended_pct=stats.attended_pct,
    )


def render(summary: RoundOverview) -> str:
    """Per class lines, the total, and the families who have not booked yet."""
    lines = [f"📊 <b>{escape(summary.round_name)}</b>", ""]
    lines += [escape(_line(stats.class_name, stats)) for stats in summary.classes]
    if not summary.classes:
        lines.append(escape(_("You have no classes yet. Please ask the school office.")))
    total = _("Total")
    lines += ["", f"<b>{escape(_line(total, summary.total))}</b>"]
    if summary.not_booked:
        heading = _("Not booked yet:")
        lines += ["", f"<b>{escape(heading)}</b>"]
        lines += [
            "• " + escape(isolate(f"{pupil} ({class_name})"))
            for pupil, class_name in summary.not_booked[:MAX_LISTED]
        ]
        more = len(summary.not_booked) - MAX_LISTED
        if more > 0:
            lines.append(escape(ngettext("…and {n} more", "…and {n} more", more).format(n=more)))
    elif summary.classes:
        lines += ["", "✅ " + escape(_("Every family has booked."))]
    return "\n".join(lines)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("overview", overview))
    register_buttons(app, _dispatch, PICK)
