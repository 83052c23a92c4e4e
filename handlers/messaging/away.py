"""/away and /back: a teacher pauses families' messages, with a colleague or the office covering."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import is_staff_chat, reply, show
from models.common import clock
from models.common.errors import N_, DomainError
from models.messaging.conversations import (
    AbsenceView,
    Person,
    come_back,
    cover_choices,
    current_absence,
    go_away,
)

KIND = "away"  # v1:away:<colleague's staff id, or 0 for the office>
OFFICE = 0
STALE = N_("This button is no longer active.")


async def away_command(update: Update, context: MentorContext) -> None:
    """`/away`: choose who covers while you are away."""
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return
    actor, now = acting(context), clock.now()
    try:
        absence = await current_absence(actor, now=now)
        colleagues = await cover_choices(actor, now=now)
    except DomainError as error:
        await reply(update, escape(_(error.message).format(**error.params)))
        return
    if absence is None:
        text = _(
            "While you are away, families' messages for your classes go to someone else. "
            "Who covers for you?"
        )
    else:
        text = _(
            "You are away now, and {cover} covers. Choose someone else, or send /back when "
            "you return."
        ).format(cover=_cover_name(absence))
    await reply(update, "🌴 " + escape(text), _cover_markup(colleagues))


async def back_command(update: Update, context: MentorContext) -> None:
    """`/back`: families' messages come to you again."""
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return
    try:
        ended = await come_back(acting(context), now=clock.now())
    except DomainError as error:
        await reply(update, escape(_(error.message).format(**error.params)))
        return
    if ended:
        await reply(
            update, "👋 " + escape(_("Welcome back! Families' messages come to you again."))
        )
    else:
        await reply(update, escape(_("You were not marked as away.")))


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    chosen = int_arg(args[0]) if len(args) == 1 else None
    if chosen is None:
        raise DomainError(STALE)
    absence = await go_away(acting(context), None if chosen == OFFICE else chosen, now=clock.now())
    text = _(
        "You are away. Families' messages for your classes now go to {cover} until you send /back."
    ).format(cover=_cover_name(absence))
    await show(update, "🌴 " + escape(text), None, edit=True)
    return None


def _cover_name(absence: AbsenceView) -> str:
    return absence.cover.name if absence.cover is not None else _("the school office")


def _cover_markup(colleagues: list[Person]) -> InlineKeyboardMarkup:
    buttons = [button(p.name, KIND, p.staff_id) for p in colleagues]
    office = button("🏫 " + _("The school office"), KIND, OFFICE)
    return InlineKeyboardMarkup([*rows(buttons, 2), [office]])


def register(app: Application) -> None:
    app.add_handler(CommandHandler("away", away_command))
    app.add_handler(CommandHandler("back", back_command))
    register_buttons(app, _dispatch, KIND)
