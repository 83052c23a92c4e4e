"""The meeting itself, from /today's "▶️ Start": attendance, targets, notes, the record.

Targets come first, while nothing typed is waiting: "New target" hands over to the /target
flow (which keeps its own state in this chat's flow row) without losing the meeting.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot.i18n import _, format_datetime, isolate
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.labels import area_label, shown_text
from handlers.common.pickers import area_keyboard, button, int_arg
from handlers.common.pupil_choice import reply, show
from handlers.meetings.rounds import error_text
from handlers.meetings.sheet import sheet_button
from handlers.targets import target as targets
from models.calendar.schools import school_zone
from models.common import clock
from models.common.enums import TargetStatus
from models.common.errors import N_, DomainError
from models.common.flows import Flow, advance_flow, current_flow, end_flow, start_flow
from models.meetings.booking import (
    BookingView,
    NotesTooLong,
    bookings_for_day,
    mark_attendance,
    record_meeting,
)
from models.people.access import Actor, Permission
from models.people.pupils import pupil_for
from models.targets.targeting import active_targets, review_target

START = "mt"  # v1:mt:<booking>
ATTEND = "mta"  # v1:mta:<booking>:<1|0>
REVIEW = "mtr"  # v1:mtr:<booking>:<target>:<a|c>
NEW_TARGET = "mtt"  # v1:mtt:<booking>
NOTES = "mtn"  # v1:mtn:<booking>
SKIP = "mts"  # v1:mts: no staff-only notes
FLOW = "meeting"
OUTCOMES = {"a": TargetStatus.ACHIEVED, "c": TargetStatus.CARRIED_OVER}
DONE = {"a": N_("Marked achieved"), "c": N_("Carried over")}
STALE = N_("This button is no longer active.")


async def meeting_booking(actor: Actor, booking_id: int) -> BookingView:
    """One of the teacher's meetings of today or yesterday (school time); stale otherwise."""
    today = clock.today(await school_zone(actor, staff_only=True))
    for day in (today, today - timedelta(days=1)):
        for view in await bookings_for_day(actor, day):
            if view.booking_id == booking_id:
                return view
    raise DomainError(STALE)


async def _heading(actor: Actor, view: BookingView) -> str:
    when = format_datetime(view.slot.starts_at, await school_zone(actor, staff_only=True), "HH:mm")
    return f"<b>{escape(isolate(when))} · {escape(isolate(view.pupil_name))}</b>"


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor, now = acting(context), clock.now()
    ids = [int_arg(a) for a in args]
    if kind == SKIP and not args:
        flow = await current_flow(chat_id(update), now=now, kind=FLOW)
        if flow is None or flow.step != "staff":
            raise DomainError(STALE)
        await _record(update, context, flow.data, "", edit=True)
        return None
    if not ids or ids[0] is None:
        raise DomainError(STALE)
    view = await meeting_booking(actor, ids[0])
    if kind == START and len(args) == 1:
        keyboard = [
            [
                button("✅ " + _("Attended"), ATTEND, view.booking_id, 1),
                button("✖️ " + _("Missed"), ATTEND, view.booking_id, 0),
            ],
            [sheet_button(view.booking_id)],
        ]
        text = await _heading(actor, view) + "\n" + escape(_("Did the family come?"))
        await show(update, text, InlineKeyboardMarkup(keyboard), edit=False)
        return None
    if kind == ATTEND and len(args) == 2 and args[1] in ("0", "1"):
        view = await mark_attendance(actor, view.booking_id, args[1] == "1", now=now)
        if args[1] == "1":
            await _show_targets(update, actor, view)
            return None
        await record_meeting(
            actor, view.booking_id, notes="", child_voice="", parent_attended=False, now=now
        )
        text = await _heading(actor, view) + "\n🔴 " + escape(_("Marked as missed."))
        await show(update, text, None, edit=True)
        return _("Saved")
    if kind == REVIEW and len(args) == 3 and ids[1] is not None and args[2] in OUTCOMES:
        await review_target(actor, ids[1], OUTCOMES[args[2]], now=now)
        await _show_targets(update, actor, view)
        return _(DONE[args[2]])
    if kind == NEW_TARGET and len(args) == 1:
        pupil = await pupil_for(actor, view.pupil_id, Permission.MANAGE_TARGETS)
        question = _("{name}: a new target in which area?").format(name=pupil.full_name)
        await reply(update, escape(question), area_keyboard(targets.PICK, pupil.pupil_id))
        return None
    if kind == NOTES and len(args) == 1:
        data = {"booking": view.booking_id, "pupil": view.pupil_id}
        await start_flow(chat_id(update), FLOW, "notes", data, now=now)
        text = await _heading(actor, view) + "\n📝 " + escape(_("Notes (shared with the family):"))
        await show(update, text, None, edit=True)
        return None
    raise DomainError(STALE)


async def _show_targets(update: Update, actor: Actor, view: BookingView) -> None:
    """The pupil's active targets to review; ones set today (new or carried over) just listed."""
    today = clock.now().date()
    lines = [await _heading(actor, view), "", "🎯 " + escape(_("Targets:"))]
    keyboard: list[list[InlineKeyboardButton]] = []
    for n, target in enumerate(await active_targets(actor, view.pupil_id), 1):
        mark = "🆕 " if target.set_on >= today else ""
        lines.append(
            f"{n}. {mark}<b>{escape(area_label(target.area))}</b>: {shown_text(target.text)}"
        )
        if target.set_on < today:
            keyboard.append(
                [
                    button(f"{n} ✅ " + _("Achieved"), REVIEW, view.booking_id, target.id, "a"),
                    button(f"{n} ➡️ " + _("Carry over"), REVIEW, view.booking_id, target.id, "c"),
                ]
            )
    if len(lines) == 3:
        lines.append(escape(_("No active targets.")))
    keyboard.append([button("➕ " + _("New target"), NEW_TARGET, view.booking_id)])
    keyboard.append([button("✔️ " + _("Targets done: notes"), NOTES, view.booking_id)])
    await show(update, "\n".join(lines), InlineKeyboardMarkup(keyboard), edit=True)


@on_text(FLOW)
async def typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """The notes (step "notes"), the child's voice ("child"), staff-only notes ("staff")."""
    now, said = clock.now(), text.strip()
    if flow.step == "notes":
        flow = await advance_flow(flow, "child", {**flow.data, "notes": said}, now=now)
        pupil = await pupil_for(acting(context), int(flow.data["pupil"]), Permission.VIEW_PUPIL)
        question = _("What did {first} say? (the child's voice)").format(first=pupil.first_name)
        await reply(update, "🧒 " + escape(question))
    elif flow.step == "child":
        await advance_flow(flow, "staff", {**flow.data, "child": said}, now=now)
        question = _("Staff-only notes? (never shown to parents) — type, or Skip")
        skip = InlineKeyboardMarkup([[button("⏭ " + _("Skip"), SKIP)]])
        await reply(update, "🔒 " + escape(question), skip)
    else:
        await _record(update, context, flow.data, said, edit=False)


async def _record(
    update: Update,
    context: MentorContext,
    data: Mapping[str, Any],
    staff_notes: str,
    *,
    edit: bool,
) -> None:
    """Record the meeting (the domain queues the family's summary) and say so."""
    actor, now = acting(context), clock.now()
    try:
        await record_meeting(
            actor,
            int(data["booking"]),
            notes=str(data["notes"]),
            child_voice=str(data["child"]),
            staff_notes=staff_notes,
            parent_attended=True,
            now=now,
        )
    except NotesTooLong as error:
        flow = await current_flow(chat_id(update), now=now, kind=FLOW)
        if flow is not None:  # the notes are typed again; nothing was saved
            await advance_flow(flow, "notes", {k: data[k] for k in ("booking", "pupil")}, now=now)
        retry = escape(_("Nothing was saved. Notes (shared with the family):"))
        await show(update, error_text(error) + "\n" + retry, None, edit=edit)
        return
    except DomainError as error:  # no longer possible (moved, not allowed): retyping cannot help
        await end_flow(chat_id(update))
        await show(update, error_text(error), None, edit=edit)
        return
    await end_flow(chat_id(update))
    done = _("Saved. A summary is on its way to the family.")
    await show(update, "✅ " + escape(done), None, edit=edit)


def register(app: Application) -> None:
    register_buttons(app, _dispatch, START, ATTEND, REVIEW, NEW_TARGET, NOTES, SKIP)
