"""The mentoring meeting's outbox notices: invitation, booked or moved, reminder, offer, summary.

The buttons they carry are answered by handlers/meetings/family.py.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from telegram import Bot, InlineKeyboardMarkup

from bot.i18n import _, format_date, ngettext
from handlers.common.labels import area_label, shown_text
from handlers.common.pickers import button
from handlers.delivery.files import builds_file, follow_with_file
from handlers.delivery.kinds import Reader, int_param, notice, send_html, stale
from handlers.meetings.screens import invite_screen
from handlers.meetings.sheet import SHEET_FILE
from handlers.meetings.teacher_news import booking_news as teacher_news
from handlers.meetings.teacher_news import booking_summary as teacher_summary
from handlers.meetings.texts import (
    BOOK,
    DAYS,
    ICS_NAME,
    booking_keyboard,
    local_day,
    meeting_ics_for,
    meeting_line,
    time_label,
    when,
)
from models.common import clock
from models.common.enums import TargetStatus
from models.delivery.outbox import NoticeView
from models.meetings.booking import (
    calendar_sequence,
    free_slots,
    guardian_acted_last,
    live_booking,
    own_booking,
)
from models.meetings.notices import MeetingNotice, TeacherBookingNotice
from models.meetings.sheet import SheetTarget
from models.meetings.summary import meeting_summary
from models.people.pupils import visible_pupil

MAX_NOTE = 1500  # a summary stays well inside Telegram's 4096 characters
MAX_DIGEST_NOTE = 300  # a digest paragraph gives the notes in short


async def invitation(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """The days with free times, or stale once the family has booked."""
    round_id, pupil_id = int_param(row, "round_id"), int_param(row, "pupil_id")
    if await live_booking(reader.actor, round_id, pupil_id) is not None:
        raise stale()
    now = clock.now()
    screen = await invite_screen(reader.actor, round_id, pupil_id, reader.timezone, now=now)
    return await send_html(bot, row.chat_id, screen.text, screen.markup)


async def booking_news(bot: Bot, row: NoticeView, reader: Reader) -> int | None:
    """For the family's other guardian: the time, its buttons and the calendar file."""
    booking_id = int_param(row, "booking_id")
    view, _round = await own_booking(reader.actor, booking_id)
    if view.slot.starts_at <= clock.now():
        raise stale()
    action = "booking_made" if row.kind == MeetingNotice.BOOKING_CONFIRMED else "booking_changed"
    if await guardian_acted_last(booking_id, action, reader.guardian_id):
        return None  # they pressed it themselves and already have it all in their chat
    line = meeting_line(view, reader.timezone)
    if row.kind == MeetingNotice.BOOKING_CONFIRMED:
        text = "📅 " + _("{name}'s mentoring meeting is booked: {when} with {teacher}.").format(
            **line
        )
        if view.booked_by_school:
            text += "\n" + escape(_("The school booked this time for you."))
    else:
        text = "🔁 " + _("{name}'s mentoring meeting has moved to {when} with {teacher}.").format(
            **line
        )
    message_id = await send_html(bot, row.chat_id, text, booking_keyboard(view))
    await follow_with_file(row, "meeting_ics", booking_id=booking_id)
    return message_id


@builds_file("meeting_ics")
async def meeting_calendar_file(row: NoticeView, reader: Reader) -> tuple[bytes, str]:
    """The booking's calendar file as it stands now (a cancelled one is a CANCEL)."""
    booking_id = int_param(row, "booking_id")
    view, _round = await own_booking(reader.actor, booking_id)
    sequence = await calendar_sequence(booking_id)
    return meeting_ics_for(view, reader.timezone_name, sequence=sequence), ICS_NAME


async def reminder(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """A day or two hours before; a booking no longer live (or already begun) is stale."""
    view, _round = await own_booking(reader.actor, int_param(row, "booking_id"))
    now, zone, starts = clock.now(), reader.timezone, view.slot.starts_at
    if starts <= now:
        raise stale()
    line = {**meeting_line(view, zone), "time": escape(time_label(starts, zone))}
    days_ahead = (local_day(starts, zone) - local_day(now, zone)).days
    hours = round((starts - now) / timedelta(hours=1))
    if row.params.get("hours") == 2 and days_ahead == 0 and hours >= 1:
        text = ngettext(
            "Reminder: {name}'s mentoring meeting with {teacher} is in {n} hour, at {time}.",
            "Reminder: {name}'s mentoring meeting with {teacher} is in {n} hours, at {time}.",
            hours,
        ).format(n=hours, **line)
    elif days_ahead == 0:
        text = _("Reminder: {name}'s mentoring meeting with {teacher} is today at {time}.")
    elif days_ahead == 1:
        text = _("Reminder: {name}'s mentoring meeting with {teacher} is tomorrow at {time}.")
    else:
        text = _("Reminder: {name}'s mentoring meeting with {teacher} is on {when}.")
    text = "⏰ " + text.format(**line)
    return await send_html(bot, row.chat_id, text, booking_keyboard(view))


async def offer(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """A time freed up for a family on the waiting list; stale once booked or gone."""
    slot_id, pupil_id = int_param(row, "slot_id"), int_param(row, "pupil_id")
    round_id = int_param(row, "round_id")
    if await live_booking(reader.actor, round_id, pupil_id) is not None:
        raise stale()
    slots = await free_slots(reader.actor, round_id, pupil_id, now=clock.now())
    slot = next((s for s in slots if s.slot_id == slot_id), None)
    pupil = await visible_pupil(reader.actor, pupil_id)
    if slot is None or pupil is None:
        raise stale()
    text = "🔔 " + _(
        "A time has become free for {name}'s mentoring meeting: {when} with {teacher}. "
        "Would you like it?"
    ).format(
        name=escape(pupil.first_name),
        when=escape(when(slot.starts_at, reader.timezone)),
        teacher=escape(slot.staff_name),
    )
    take = button("✅ " + _("Take it"), BOOK, slot_id, pupil_id)
    others = button("📅 " + _("Other times"), DAYS, round_id, pupil_id)
    return await send_html(bot, row.chat_id, text, InlineKeyboardMarkup([[take], [others]]))


async def summary(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """What was said and agreed: notes, the child's voice, targets; never the staff notes."""
    record = await meeting_summary(reader.actor, int_param(row, "record_id"))
    if record is None:
        raise stale()
    name = escape(record.first_name)
    day = format_date(local_day(record.held_at, reader.timezone), "long")
    heading = _("Summary of {name}'s mentoring meeting on {day}").format(name=name, day=day)
    parts = [f"📝 <b>{heading}</b>"]
    if record.notes.strip():
        parts.append(_clip(record.notes))
    if record.child_voice.strip():
        voice = _("{name}'s voice").format(name=name)
        parts.append(f"🧒 <b>{voice}</b>\n{_clip(record.child_voice)}")
    if record.reviewed:
        lines = [f"• {_target_line(t)} — {escape(_status(t))}" for t in record.reviewed]
        parts.append("🔁 <b>" + escape(_("Targets reviewed")) + "</b>\n" + "\n".join(lines))
    if record.new_targets:
        lines = [f"• {_target_line(t)}" + _home(t) for t in record.new_targets]
        parts.append("🎯 <b>" + escape(_("New targets")) + "</b>\n" + "\n".join(lines))
    message_id = await send_html(bot, row.chat_id, "\n\n".join(parts))
    await follow_with_file(row, SHEET_FILE, record_id=record.record_id)  # the sheet, to print
    return message_id


async def summary_paragraph(row: NoticeView, reader: Reader) -> str:
    """That a meeting's summary is here, its notes in short; the printable sheet follows."""
    record = await meeting_summary(reader.actor, int_param(row, "record_id"))
    if record is None:
        raise stale()
    day = format_date(local_day(record.held_at, reader.timezone), "long")
    heading = _("Summary of {name}'s mentoring meeting on {day}").format(
        name=escape(record.first_name), day=day
    )
    notes = record.notes.strip()
    if len(notes) > MAX_DIGEST_NOTE:
        notes = notes[: MAX_DIGEST_NOTE - 1] + "…"
    await follow_with_file(row, SHEET_FILE, record_id=record.record_id)
    return f"📝 <b>{heading}</b>" + (f"\n{escape(notes)}" if notes else "")


def _clip(text: str) -> str:
    text = text.strip()
    return escape(text if len(text) <= MAX_NOTE else text[: MAX_NOTE - 1] + "…")


def _target_line(target: SheetTarget) -> str:
    return f"<b>{escape(area_label(target.area))}</b>: {shown_text(target.text)}"


def _home(target: SheetTarget) -> str:
    return "\n   🏠 " + shown_text(target.home_support) if target.home_support else ""


def _status(target: SheetTarget) -> str:
    labels = {
        TargetStatus.ACTIVE: _("we keep working on it"),
        TargetStatus.ACHIEVED: _("achieved"),
        TargetStatus.CARRIED_OVER: _("carried over"),
        TargetStatus.DROPPED: _("no longer a target"),
    }
    return labels[target.status]


notice(MeetingNotice.MEETING_INVITE, render=invitation)
notice(MeetingNotice.MEETING_OFFER, render=offer)
notice(MeetingNotice.BOOKING_CONFIRMED, render=booking_news)
notice(MeetingNotice.BOOKING_CHANGED, render=booking_news)
notice(MeetingNotice.MEETING_REMINDER, render=reminder)
notice(MeetingNotice.MEETING_SUMMARY, render=summary, digest=summary_paragraph)
notice(TeacherBookingNotice.TEACHER_BOOKING_NEWS, render_for_staff=teacher_news)
notice(TeacherBookingNotice.TEACHER_BOOKING_SUMMARY, render_for_staff=teacher_summary)
