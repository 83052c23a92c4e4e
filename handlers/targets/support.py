"""/support: record the help agreed for a pupil, who delivers it and when to review it."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_date, isolate, ngettext
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.labels import support_kind_label
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import choose_pupil, is_staff_chat, reply, show
from models.common import clock
from models.common.enums import SupportKind
from models.common.errors import N_, DomainError
from models.common.flows import Flow, advance_flow, current_flow, end_flow, start_flow
from models.people.access import Permission
from models.people.pupils import pupil_for
from models.targets.targeting import clean_text, record_support

PICK = "sp"  # v1:sp:<pupil>[:<kind index>]
REVIEW = "spr"  # v1:spr:<days|->
FLOW = "support"
KINDS: tuple[SupportKind, ...] = tuple(SupportKind)
REVIEW_DAYS = (14, 28, 42)  # offered as "In 2 weeks" and so on
STALE = N_("This button is no longer active.")


def _today(context: MentorContext) -> date:
    return clock.today(context.services.settings.timezone)


async def support(update: Update, context: MentorContext) -> None:
    """`/support [part of a name]`: pupil → kind → what → who → review date."""
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return
    pupil_id = await choose_pupil(update, context, PICK)
    if pupil_id is not None:
        await _ask_kind(update, context, pupil_id, edit=False)


async def _ask_kind(update: Update, context: MentorContext, pupil_id: int, *, edit: bool) -> None:
    pupil = await pupil_for(acting(context), pupil_id, Permission.RECORD_SUPPORT)
    text = escape(_("{name}: what kind of support?").format(name=pupil.full_name))
    buttons = [button(support_kind_label(kind), PICK, pupil_id, i) for i, kind in enumerate(KINDS)]
    await show(update, text, InlineKeyboardMarkup(rows(buttons, 2)), edit=edit)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor, now = acting(context), clock.now()
    first = int_arg(args[0]) if args else None
    if kind == PICK and first is not None and len(args) == 1:
        await _ask_kind(update, context, first, edit=True)
        return None
    if kind == PICK and first is not None and len(args) == 2:
        index = int_arg(args[1])
        if index is None or index >= len(KINDS):
            raise DomainError(STALE)
        pupil = await pupil_for(actor, first, Permission.RECORD_SUPPORT)
        data = {"pupil": pupil.pupil_id, "kind": KINDS[index].value}
        await start_flow(chat_id(update), FLOW, "what", data, now=now)
        heading = f"{isolate(pupil.full_name)} — {support_kind_label(KINDS[index])}"
        text = escape(heading) + "\n" + escape(_("Describe the support agreed:"))
        await show(update, text, None, edit=True)
        return None
    flow = await current_flow(chat_id(update), now=now, kind=FLOW)
    if kind != REVIEW or flow is None or flow.step != "when" or len(args) != 1:
        raise DomainError(STALE)
    if args != ("-",) and first not in REVIEW_DAYS:
        raise DomainError(STALE)
    await _record(update, context, flow, None if args == ("-",) else first)
    return _("Saved")


@on_text(FLOW)
async def typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """What the support is (step "what"), then who delivers it (step "who")."""
    now = clock.now()
    try:
        if flow.step == "what":
            await advance_flow(flow, "who", {**flow.data, "what": clean_text(text)}, now=now)
            await reply(update, escape(_("Who delivers it?")))
        elif flow.step == "who":
            await advance_flow(flow, "when", {**flow.data, "who": clean_text(text)}, now=now)
            await _ask_review(update)
        else:
            await reply(update, escape(_("Please choose a review date with the buttons above.")))
    except DomainError as error:
        await reply(update, "⚠️ " + escape(_(error.message).format(**error.params)))


async def _ask_review(update: Update) -> None:
    buttons = [
        button(ngettext("In {n} week", "In {n} weeks", days // 7).format(n=days // 7), REVIEW, days)
        for days in REVIEW_DAYS
    ]
    keyboard = [*rows(buttons, 3), [button(_("No review date"), REVIEW, "-")]]
    await reply(update, escape(_("When will it be reviewed?")), InlineKeyboardMarkup(keyboard))


async def _record(update: Update, context: MentorContext, flow: Flow, days: int | None) -> None:
    """Record the support (the domain checks who may) and confirm what was agreed."""
    actor, data, today = acting(context), flow.data, _today(context)
    review_on = today + timedelta(days=days) if days else None
    kind = SupportKind(data["kind"])
    pupil = await pupil_for(actor, int(data["pupil"]), Permission.RECORD_SUPPORT)
    saved = await record_support(
        actor,
        pupil.pupil_id,
        kind,
        str(data["what"]),
        str(data["who"]),
        starts_on=today,
        review_on=review_on,
    )
    await end_flow(chat_id(update))
    review = (
        _("Review on {date}.").format(date=format_date(saved.review_on))
        if saved.review_on
        else _("No review date.")
    )
    lines = [
        "✅ "
        + escape(
            _("Support recorded for {name}: {kind}.").format(
                name=pupil.full_name, kind=support_kind_label(kind)
            )
        ),
        escape(saved.description),
        escape(_("Delivered by: {who}").format(who=saved.responsible)),
        escape(review),
    ]
    await show(update, "\n".join(lines), None, edit=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("support", support))
    register_buttons(app, _dispatch, PICK, REVIEW)
