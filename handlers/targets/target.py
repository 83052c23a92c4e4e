"""/target and /review: set a pupil's target with a home idea, then review the active ones."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_list
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.labels import area_label, shown_text
from handlers.common.pickers import area_from, area_keyboard, button, int_arg, rows
from handlers.common.pupil_choice import choose_pupil, is_staff_chat, reply, show
from models.common import clock
from models.common.enums import Area, TargetStatus, YearGroup
from models.common.errors import N_, DomainError
from models.common.flows import Flow, advance_flow, current_flow, end_flow, start_flow
from models.people.access import Permission, staff_may
from models.people.pupils import pupil_for
from models.targets.content import bank_targets, home_ideas
from models.targets.targeting import (
    acknowledged_by,
    active_targets,
    clean_text,
    ensure_room_for_target,
    review_target,
    set_target,
)

PICK = "tg"  # v1:tg:<pupil>[:<area>]
BANK = "tgb"  # v1:tgb:<n>: target n of the bank
HOME = "tgh"  # v1:tgh:<n|->: home idea n, or none
REVIEW_PUPIL = "trp"  # v1:trp:<pupil>
REVIEW = "tr"  # v1:tr:<target>:<a|c|d>
FLOW = "target"
OUTCOMES = {"a": TargetStatus.ACHIEVED, "c": TargetStatus.CARRIED_OVER, "d": TargetStatus.DROPPED}
MARKS = {"a": "✅", "c": "➡️", "d": "✖️"}
DONE = {"a": N_("Marked achieved"), "c": N_("Carried over"), "d": N_("Dropped")}
STALE = N_("This button is no longer active.")


async def _may_start(update: Update, context: MentorContext) -> bool:
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return False
    if not staff_may(acting(context), Permission.MANAGE_TARGETS):
        await reply(update, escape(_("Targets are set and reviewed by class teachers.")))
        return False
    return True


async def new_target(update: Update, context: MentorContext) -> None:
    """`/target [part of a name]`: pupil → area → the target → a home idea."""
    if await _may_start(update, context):
        pupil_id = await choose_pupil(update, context, PICK)
        if pupil_id is not None:
            await _ask_area(update, context, pupil_id, edit=False)


async def review(update: Update, context: MentorContext) -> None:
    """`/review [part of a name]`: the pupil's active targets, each with review buttons."""
    if await _may_start(update, context):
        pupil_id = await choose_pupil(update, context, REVIEW_PUPIL)
        if pupil_id is not None:
            await _show_review(update, context, pupil_id, edit=False)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    first = int_arg(args[0]) if args else None
    if kind == PICK and first is not None and len(args) <= 2:
        area = area_from(args[1]) if len(args) == 2 else None
        if area is None:
            await _ask_area(update, context, first, edit=True)
        else:
            await _ask_text(update, context, first, area)
        return None
    if kind == REVIEW_PUPIL and first is not None and len(args) == 1:
        await _show_review(update, context, first, edit=True)
        return None
    if kind == REVIEW and first is not None and len(args) == 2 and args[1] in OUTCOMES:
        outcome = OUTCOMES[args[1]]
        reviewed = await review_target(acting(context), first, outcome, now=clock.now())
        await _show_review(update, context, reviewed.pupil_id, edit=True)
        return _(DONE[args[1]])
    flow = await current_flow(chat_id(update), now=clock.now(), kind=FLOW)
    if flow is None or len(args) != 1:
        raise DomainError(STALE)
    pupil = await pupil_for(acting(context), int(flow.data["pupil"]), Permission.MANAGE_TARGETS)
    area, year = Area(flow.data["area"]), pupil.year_group
    if kind == BANK and flow.step == "text":
        text = _numbered(bank_targets(area, year), args[0])
        flow = await advance_flow(flow, "home", {**flow.data, "text": text}, now=clock.now())
        await _ask_home(update, flow, year, edit=True)
        return None
    if kind == HOME and flow.step == "home":
        home = "" if args[0] == "-" else _numbered(home_ideas(area, year), args[0])
        await _finish(update, context, flow, home, edit=True)
        return None
    raise DomainError(STALE)


def _numbered(texts: Sequence[str], number: str) -> str:
    """Entry `number` (from 1) of a list, or a stale-button error."""
    index = int_arg(number)
    if index is None or not 1 <= index <= len(texts):
        raise DomainError(STALE)
    return texts[index - 1]


async def _ask_area(update: Update, context: MentorContext, pupil_id: int, *, edit: bool) -> None:
    pupil = await pupil_for(acting(context), pupil_id, Permission.MANAGE_TARGETS)
    text = escape(_("{name}: a new target in which area?").format(name=pupil.full_name))
    await show(update, text, area_keyboard(PICK, pupil_id), edit=edit)


async def _ask_text(update: Update, context: MentorContext, pupil_id: int, area: Area) -> None:
    pupil = await pupil_for(acting(context), pupil_id, Permission.MANAGE_TARGETS)
    await ensure_room_for_target(acting(context), pupil.pupil_id, area)
    data = {"pupil": pupil.pupil_id, "area": area.value}
    await start_flow(chat_id(update), FLOW, "text", data, now=clock.now())
    bank = bank_targets(area, pupil.year_group)
    question = _("New target for {name} — {area}. Type it, or pick one:").format(
        name=pupil.full_name, area=area_label(area)
    )
    numbers = _number_rows(BANK, len(bank))
    markup = InlineKeyboardMarkup(numbers) if numbers else None
    await show(update, _listing(question, bank), markup, edit=True)


async def _ask_home(update: Update, flow: Flow, year: YearGroup, *, edit: bool) -> None:
    ideas = home_ideas(Area(flow.data["area"]), year)
    question = _("How can parents help at home? Type an idea, pick one, or skip:")
    text = "🎯 " + shown_text(str(flow.data["text"])) + "\n\n" + _listing(question, ideas)
    skip = [button("⏭ " + _("Skip"), HOME, "-")]
    markup = InlineKeyboardMarkup([*_number_rows(HOME, len(ideas)), skip])
    await show(update, text, markup, edit=edit)


def _listing(question: str, texts: Sequence[str]) -> str:
    lines = [escape(question), ""] if texts else [escape(question)]
    return "\n".join(lines + [f"{n}. {shown_text(t)}" for n, t in enumerate(texts, 1)])


def _number_rows(kind: str, count: int) -> list[list[InlineKeyboardButton]]:
    return rows([button(str(n), kind, n) for n in range(1, count + 1)], 5)


@on_text(FLOW)
async def typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """The target typed at step "text", the home idea at step "home"."""
    try:
        if flow.step == "text":
            pupil_id = int(flow.data["pupil"])
            pupil = await pupil_for(acting(context), pupil_id, Permission.MANAGE_TARGETS)
            data = {**flow.data, "text": clean_text(text)}
            flow = await advance_flow(flow, "home", data, now=clock.now())
            await _ask_home(update, flow, pupil.year_group, edit=False)
        else:
            await _finish(update, context, flow, clean_text(text, required=False), edit=False)
    except DomainError as error:
        await reply(update, "⚠️ " + escape(_(error.message).format(**error.params)))


async def _finish(
    update: Update, context: MentorContext, flow: Flow, home: str, *, edit: bool
) -> None:
    """Set the target (the domain queues the parents' messages) and confirm."""
    actor, pupil_id = acting(context), int(flow.data["pupil"])
    area, text = Area(flow.data["area"]), str(flow.data["text"])
    try:
        pupil = await pupil_for(actor, pupil_id, Permission.MANAGE_TARGETS)
        target = await set_target(actor, pupil_id, area, text, home, now=clock.now())
    except DomainError as error:
        # Retyping cannot help (too many targets, no longer allowed): the flow ends here.
        await end_flow(chat_id(update))
        await show(update, "⚠️ " + escape(_(error.message).format(**error.params)), None, edit=edit)
        return
    await end_flow(chat_id(update))
    title = _("Target set for {name} ({area}):").format(name=pupil.full_name, area=area_label(area))
    lines = [f"✅ {escape(title)} {shown_text(target.text)}"]
    if target.home_support:
        lines.append("🏠 " + shown_text(target.home_support))
    lines.append(escape(_("Parents who receive reports will be told.")))
    await show(update, "\n".join(lines), None, edit=edit)


async def _show_review(
    update: Update, context: MentorContext, pupil_id: int, *, edit: bool
) -> None:
    pupil = await pupil_for(acting(context), pupil_id, Permission.MANAGE_TARGETS)
    targets = await active_targets(acting(context), pupil.pupil_id)
    seen = await acknowledged_by([t.id for t in targets])
    heading = _("Active targets for {name}:").format(name=pupil.full_name)
    lines = [f"🎯 <b>{escape(heading)}</b>", ""]
    keyboard: list[list[InlineKeyboardButton]] = []
    for n, target in enumerate(targets, 1):
        lines.append(f"{n}. <b>{escape(area_label(target.area))}</b>: {shown_text(target.text)}")
        if target.home_support:
            lines.append("    🏠 " + shown_text(target.home_support))
        names = seen.get(target.id)
        state = _("👍 seen by {names}").format(names=format_list(names)) if names else None
        lines.append("    " + escape(state or _("not seen yet")))
        keyboard.append(
            [button(f"{n} {mark}", REVIEW, target.id, code) for code, mark in MARKS.items()]
        )
    if targets:
        lines += ["", escape(_("✅ achieved · ➡️ carried over · ✖️ dropped"))]
    else:
        lines.append(escape(_("No active targets. Send /target to set one.")))
    markup = InlineKeyboardMarkup(keyboard) if keyboard else None  # Telegram refuses an empty one
    await show(update, "\n".join(lines), markup, edit=edit)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("target", new_target))
    app.add_handler(CommandHandler("review", review))
    register_buttons(app, _dispatch, PICK, BANK, HOME, REVIEW_PUPIL, REVIEW)
