"""/sweep: judge a whole class in one area, one tap per pupil, in one message edited in place.

The sweep's position is kept as this chat's flow, so it survives restarts and replicas, and
`/sweep` offers to carry on where it stopped.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from html import escape
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_date
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.labels import area_label, band_label, progress_label
from handlers.common.pickers import (
    area_code,
    area_from,
    area_keyboard,
    band_buttons,
    band_from,
    button,
    int_arg,
    rows,
)
from handlers.common.pupil_choice import is_staff_chat, reply
from models.assessment.assessing import latest_bands, record_assessment, undo_assessment
from models.assessment.bands import progress
from models.assessment.expecting import expected_bands
from models.calendar.schools import academic_year_for
from models.common import clock
from models.common.enums import Area
from models.common.errors import N_, DomainError
from models.common.flows import current_flow, end_flow, save_flow_data, start_flow
from models.people.access import Actor
from models.people.overview import class_list, class_pupils

FLOW = "sweep"
CLASS, AREA, TAP, UNDO, STOP, RESUME = "swc", "swa", "sw", "swu", "sws", "swr"


async def sweep(update: Update, context: MentorContext) -> None:
    """Offer to resume an unfinished sweep, or choose a class."""
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return
    flow = await current_flow(chat_id(update), now=clock.now(), kind=FLOW)
    if flow is not None:
        area = area_from(str(flow.data["area"]))
        text = _("You stopped a {area} sweep at pupil {number}. Carry on?").format(
            area=area_label(area) if area else "", number=int(flow.data["index"]) + 1
        )
        keyboard = [
            [
                button("▶️ " + _("Carry on"), RESUME, "go"),
                button("🔄 " + _("Start again"), RESUME, "new"),
            ]
        ]
        await reply(update, escape(text), InlineKeyboardMarkup(keyboard))
        return
    await _choose_class(update, context)


async def _choose_class(update: Update, context: MentorContext) -> None:
    classes = await class_list(acting(context))
    if not classes:
        await reply(update, escape(_("You have no classes yet. Please ask the school office.")))
        return
    markup = InlineKeyboardMarkup(rows([button(c.name, CLASS, c.class_id) for c in classes], 3))
    await reply(update, escape(_("Sweep which class?")), markup)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor, now, chat = acting(context), clock.now(), chat_id(update)
    query = update.callback_query
    if kind == CLASS and len(args) == 1 and (class_id := int_arg(args[0])) is not None:
        if not any(c.class_id == class_id for c in await class_list(actor)):
            raise DomainError(N_("This button is no longer active."))
        if query is not None:
            await query.edit_message_text(
                escape(_("Which area?")), reply_markup=area_keyboard(AREA, class_id)
            )
        return None
    if kind == AREA and len(args) == 2 and (class_id := int_arg(args[0])) is not None:
        area = area_from(args[1])
        if area is None:
            raise DomainError(N_("This button is no longer active."))
        fresh = {"class": class_id, "area": area_code(area), "index": 0, "done": [], "skipped": 0}
        await start_flow(chat, FLOW, "tap", fresh, now=now)
        await _show(update, actor, fresh)
        return None
    if kind == RESUME and args in (("go",), ("new",)):
        flow = await current_flow(chat, now=now, kind=FLOW)
        if args == ("new",) or flow is None:
            await end_flow(chat)
            await _choose_class(update, context)
            return None
        await _show(update, actor, flow.data)
        return None
    flow = await current_flow(chat, now=now, kind=FLOW)
    if flow is None:
        raise DomainError(N_("This button is no longer active."))
    data: dict[str, Any] = deepcopy(dict(flow.data))  # its own "done" list to pop and append
    if kind == STOP:
        await end_flow(chat)
        await _finished(update, data, stopped=True)
        return None
    if kind == UNDO:
        if not data["done"]:
            return _("Nothing to undo")
        index, assessment_id = data["done"].pop()
        await undo_assessment(actor, assessment_id, now=now)
        data["index"] = index
    elif kind == TAP and len(args) == 2 and int_arg(args[0]) == data["index"]:
        pupils = await class_pupils(actor, int(data["class"]))
        area = Area(list(Area)[int(data["area"])])
        if args[1] == "s":
            data["skipped"] += 1
        else:
            band = band_from(area, args[1])
            if band is None or data["index"] >= len(pupils):
                raise DomainError(N_("This button is no longer active."))
            judged = await record_assessment(
                actor, pupils[data["index"]].pupil_id, area, band, now=now
            )
            data["done"].append([data["index"], judged.id])
        data["index"] += 1
    else:
        raise DomainError(N_("This button is no longer active."))
    await save_flow_data(flow, data)
    await _show(update, actor, data)
    return None


async def _show(update: Update, actor: Actor, data: Mapping[str, Any]) -> None:
    """The sweep message for the pupil at data["index"], or the summary at the end."""
    pupils = await class_pupils(actor, int(data["class"]))
    area = list(Area)[int(data["area"])]
    index = int(data["index"])
    if index >= len(pupils):
        await end_flow(chat_id(update))
        await _finished(update, data, stopped=False)
        return
    pupil = pupils[index]
    previous = (await latest_bands([pupil.pupil_id], area)).get((pupil.pupil_id, area))
    before = (
        _("Before: {band} ({date})").format(
            band=band_label(area, previous.band),
            date=format_date(previous.recorded_at.date(), "d MMM"),
        )
        if previous
        else _("Before: not judged yet")
    )
    year = academic_year_for(clock.now().date())
    expected = (await expected_bands([pupil.pupil_id], area, academic_year=year)).get(
        pupil.pupil_id
    )
    if previous and expected:
        before += " " + progress_label(progress(area, previous.band, expected))
    text = "\n".join(
        [
            escape(f"{area_label(area)} · {index + 1}/{len(pupils)}"),
            f"<b>{escape(pupil.full_name)}</b>",
            escape(before),
        ]
    )
    keyboard = [
        *rows(band_buttons(TAP, area, index), 2),
        [
            button("⏭ " + _("Skip"), TAP, index, "s"),
            button("↩️ " + _("Undo"), UNDO, index),
            button("⏹ " + _("Stop"), STOP, index),
        ],
    ]
    query = update.callback_query
    if query is not None and query.message is not None:
        await query.edit_message_text(
            text, parse_mode="HTML", reply_markup=InlineKeyboardMarkup(keyboard)
        )
    else:
        await reply(update, text, InlineKeyboardMarkup(keyboard))


async def _finished(update: Update, data: Mapping[str, Any], *, stopped: bool) -> None:
    done, skipped = len(data["done"]), int(data["skipped"])
    headline = _("Sweep stopped.") if stopped else _("Sweep finished.")
    text = escape(
        headline
        + " "
        + _("Recorded: {done}, skipped: {skipped}.").format(done=done, skipped=skipped)
    )
    query = update.callback_query
    if query is not None:
        await query.edit_message_text(text)
    else:
        await reply(update, text)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("sweep", sweep))
    register_buttons(app, _dispatch, CLASS, AREA, TAP, UNDO, STOP, RESUME)
