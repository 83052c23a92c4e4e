"""Booking news for the meeting's teacher: one change, or the school day's changes together."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import Bot

from bot.i18n import _, isolate
from handlers.delivery.kinds import StaffReader, send_html, stale
from handlers.meetings.texts import when
from models.delivery.outbox import NoticeView
from models.meetings.booking.teacher_news import BookingChange, BookingNewsItem, booking_news_items


def news_line(item: BookingNewsItem, zone: ZoneInfo) -> str:
    """One change in one line (HTML), with the family's reason under a decline."""
    name = escape(isolate(item.pupil_name))
    at = escape(when(item.starts_at, zone))
    if item.change is BookingChange.BOOKED:
        text = "📅 " + _("Booked: {name}, {when}.").format(name=name, when=at)
    elif item.change is BookingChange.MOVED and item.moved_from is not None:
        text = "🔁 " + _("Moved: {name}, from {old} to {when}.").format(
            name=name, old=escape(when(item.moved_from, zone)), when=at
        )
    elif item.change is BookingChange.MOVED:
        text = "🔁 " + _("Moved: {name}, now {when}.").format(name=name, when=at)
    else:
        text = "✖️ " + _("Can't come: {name}, {when}.").format(name=name, when=at)
        reason = (
            _("Reason: {reason}").format(reason=escape(item.reason))
            if item.reason
            else escape(_("No reason given."))
        )
        text += "\n   " + reason
    if item.by_school:
        text += " " + escape(_("(by the school)"))
    return text


async def booking_news(bot: Bot, row: NoticeView, reader: StaffReader) -> int:
    """A family booked, moved or declined one of the reader's meetings."""
    items = await booking_news_items(reader.actor, [dict(row.params)])
    if not items:
        raise stale()
    return await send_html(bot, row.chat_id, news_line(items[0], reader.timezone))


async def booking_summary(bot: Bot, row: NoticeView, reader: StaffReader) -> int:
    """The school day's booking news in one message, when the office closes."""
    events = row.params.get("events")
    if not isinstance(events, list):
        raise stale()
    items = await booking_news_items(reader.actor, [e for e in events if isinstance(e, dict)])
    if not items:
        raise stale()
    heading = "📋 <b>" + escape(_("Booking news today")) + "</b>"
    lines = [news_line(item, reader.timezone) for item in items]
    return await send_html(bot, row.chat_id, "\n\n".join([heading, *lines]))
