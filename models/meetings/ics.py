"""Calendar invitations (RFC 5545) for a meeting, in the school's own time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from models.common import clock

PRODID = "-//Mentorbot//Mentoring meetings//EN"
# The VTIMEZONE only needs to cover the meeting; the whole zone history makes a huge file.
ZONE_MARGIN = timedelta(days=366)


def meeting_ics(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    timezone: str,
    summary: str,
    description: str,
    sequence: int,
    cancelled: bool = False,
) -> bytes:
    """One VEVENT with local DTSTART/DTEND (TZID) and its VTIMEZONE; CANCEL when cancelled."""
    # Calendar apps match updates by UID and keep the highest SEQUENCE: the caller keeps the
    # UID per booking and raises SEQUENCE with every change.
    zone = ZoneInfo(timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", clock.now())
    event.add("sequence", sequence)
    event.add("dtstart", starts_at.astimezone(zone))
    event.add("dtend", ends_at.astimezone(zone))
    event.add("summary", summary)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=(starts_at - ZONE_MARGIN).date(), last_date=(ends_at + ZONE_MARGIN).date()
    )
    return calendar.to_ical()
