"""Parents book, confirm, change or decline a mentoring meeting in a few taps.

The buttons come with the notices (handlers/meetings/notices.py): days → times → booked, with the
calendar file. Every button's ids are checked by the domain, never trusted.
"""

from __future__ import annotations

from contextlib import suppress
from html import escape
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application

from bot.i18n import _
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.pickers import int_arg
from handlers.common.pupil_choice import reply
from handlers.meetings.screens import (
    Screen,
    change_screen,
    day_screen,
    declined_screen,
    invite_screen,
    reason_screen,
    send_calendar,
    taken_screen,
    waiting_screen,
)
from handlers.meetings.texts import (
    BOOK,
    CHANGE,
    CHANGE_DAY,
    CONFIRM,
    DAY,
    DAYS,
    DECLINE,
    KEEP,
    MOVE,
    SKIP,
    WAIT,
    booked_text,
    booking_keyboard,
    booking_picker,
    change_picker,
    confirmed_text,
    day_from,
    meeting_line,
)
from models.calendar.schools import school_zone
from models.common import clock
from models.common.errors import N_, DomainError
from models.common.flows import Flow, current_flow, end_flow, start_flow
from models.meetings.booking import (
    AlreadyBooked,
    SlotTaken,
    book,
    change_booking,
    confirm_booking,
    decline_booking,
    join_waiting_list,
    live_booking,
    own_booking,
    round_of_slot,
)
from models.targets.targeting import TextTooLong

FLOW = "meeting_decline"
STALE = N_("This button is no longer active.")
KINDS = (DAY, BOOK, WAIT, DAYS, CONFIRM, CHANGE, CHANGE_DAY, MOVE, KEEP, DECLINE, SKIP)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    ids = [int_arg(a) for a in args]
    if not ids or ids[0] is None:
        raise DomainError(STALE)
    actor, now, first = acting(context), clock.now(), ids[0]
    zone = await school_zone(actor)
    if len(args) == 1:
        return await _on_booking(update, context, kind, first, zone)
    if kind == CHANGE_DAY and len(args) == 2 and (day := day_from(args[1])):
        await _show(update, await change_screen(actor, first, zone, now=now, day=day))
        return None
    second = ids[1]
    if second is None:
        raise DomainError(STALE)
    if kind == DAY and len(args) == 3 and (day := day_from(args[2])):
        await _show(update, await day_screen(actor, first, second, day, zone, now=now))
        return None
    if len(args) != 2:
        raise DomainError(STALE)
    if kind == DAYS:
        await _show(update, await invite_screen(actor, first, second, zone, now=now))
        return None
    if kind == BOOK:
        return await _book(update, context, first, second, zone)
    if kind == MOVE:
        return await _move(update, context, first, second, zone)
    if kind == WAIT:
        await join_waiting_list(actor, first, second)
        await _show(update, waiting_screen())
        return _("Added to the waiting list")
    raise DomainError(STALE)


async def _on_booking(
    update: Update, context: MentorContext, kind: str, booking_id: int, zone: ZoneInfo
) -> str | None:
    """The buttons under a booking: confirm, change, can't come (and skip the reason), keep."""
    actor, now = acting(context), clock.now()
    if kind == CONFIRM:
        view = await confirm_booking(actor, booking_id, now=now)
        await _show(update, Screen(confirmed_text(view, zone), booking_keyboard(view)))
        return _("Confirmed")
    if kind == CHANGE:
        await _show(update, await change_screen(actor, booking_id, zone, now=now))
        return None
    if kind == KEEP:
        view, _round = await own_booking(actor, booking_id)
        await _forget_decline(update, booking_id)
        await _show(update, Screen(booked_text(view, zone), booking_keyboard(view)))
        return None
    if kind == DECLINE:
        await own_booking(actor, booking_id)
        message = update.effective_message
        data = {"booking": booking_id, "message": message.message_id if message else None}
        await start_flow(chat_id(update), FLOW, "reason", data, now=now)
        await _show(update, reason_screen(booking_id))
        return None
    if kind == SKIP:
        await _decline(update, context, booking_id, "", zone)
        return _("Cancelled")
    raise DomainError(STALE)


async def _book(
    update: Update, context: MentorContext, slot_id: int, pupil_id: int, zone: ZoneInfo
) -> str | None:
    """Take the time; if someone was quicker, offer the nearest free ones instead."""
    actor = acting(context)
    try:
        view = await book(actor, slot_id, pupil_id, now=clock.now())
    except SlotTaken as taken:
        round_id = await round_of_slot(slot_id)
        picker = booking_picker(round_id, pupil_id)
        alternatives = taken.alternatives
        await _show(
            update, await taken_screen(actor, round_id, pupil_id, alternatives, zone, picker)
        )
        return None
    except AlreadyBooked as error:
        live = await live_booking(actor, await round_of_slot(slot_id), pupil_id)
        if live is None:
            raise
        await _show(update, Screen(booked_text(live, zone), booking_keyboard(live)))
        return _(error.message).format(**error.params)
    await _show(update, Screen(booked_text(view, zone), booking_keyboard(view)))
    await send_calendar(context.bot, chat_id(update), view, zone)
    return _("Booked")


async def _move(
    update: Update, context: MentorContext, booking_id: int, slot_id: int, zone: ZoneInfo
) -> str | None:
    actor = acting(context)
    try:
        view = await change_booking(actor, booking_id, slot_id, now=clock.now())
    except SlotTaken as taken:
        old, round_id = await own_booking(actor, booking_id)
        picker = change_picker(booking_id)
        alternatives = taken.alternatives
        screen = await taken_screen(actor, round_id, old.pupil_id, alternatives, zone, picker)
        await _show(update, screen)
        return None
    text = "🔁 " + _("Changed: {when} with {teacher} for {name}").format(**meeting_line(view, zone))
    await _show(update, Screen(text, booking_keyboard(view)))
    await send_calendar(context.bot, chat_id(update), view, zone)
    return _("Changed")


async def _decline(
    update: Update, context: MentorContext, booking_id: int, reason: str, zone: ZoneInfo
) -> None:
    """Free the time (the teacher sees the reason) and cancel the calendar entry."""
    actor = acting(context)
    view, round_id = await own_booking(actor, booking_id)
    await decline_booking(actor, booking_id, reason, now=clock.now())
    await _forget_decline(update, booking_id)
    await _show(update, declined_screen(view, round_id, zone))
    await send_calendar(context.bot, chat_id(update), view, zone, cancelled=True)


@on_text(FLOW)
async def reason_typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """The reason for not coming, typed after "✖️ Can't come"."""
    booking_id, question = flow.data.get("booking"), flow.data.get("message")
    if not isinstance(booking_id, int):
        await end_flow(chat_id(update))
        return
    try:
        zone = await school_zone(acting(context))
        await _decline(update, context, booking_id, text.strip(), zone)
    except DomainError as error:
        if not isinstance(error, TextTooLong):  # retyping cannot help: the flow ends here
            await end_flow(chat_id(update))
        await reply(update, "⚠️ " + escape(_(error.message).format(**error.params)))
        return
    if isinstance(question, int):  # the question's Skip / Keep buttons have had their day
        with suppress(TelegramError):
            await context.bot.edit_message_reply_markup(chat_id(update), question)


async def _forget_decline(update: Update, booking_id: int) -> None:
    flow = await current_flow(chat_id(update), now=clock.now(), kind=FLOW)
    if flow is not None and flow.data.get("booking") == booking_id:
        await end_flow(chat_id(update))


async def _show(update: Update, screen: Screen) -> None:
    """Edit the pressed message in place; answer typed text with a new one."""
    query = update.callback_query
    if query is None:
        await reply(update, screen.text, screen.markup)
        return
    try:
        await query.edit_message_text(screen.text, parse_mode="HTML", reply_markup=screen.markup)
    except BadRequest as error:
        if "not modified" not in error.message:  # pressing the same button twice is fine
            raise


def register(app: Application) -> None:
    register_buttons(app, _dispatch, *KINDS)
