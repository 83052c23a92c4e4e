"""Calendar invitations: local wall time with its zone, stable UID, updates and cancellations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from models.meetings.ics import meeting_ics

# The clocks go back in London on 25 October 2026: 16:00 is 15:00 UTC before, 16:00 UTC after.
BEFORE = datetime(2026, 10, 22, 15, 0, tzinfo=UTC)
AFTER = datetime(2026, 10, 29, 16, 0, tzinfo=UTC)


def invite(starts_at: datetime, *, sequence: int = 0, cancelled: bool = False, **kw: str) -> bytes:
    return meeting_ics(
        uid=kw.get("uid", "booking-7@mentorbot"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=10),
        timezone=kw.get("timezone", "Europe/London"),
        summary="Mentoring meeting: Maja with Amira Khan",
        description="About 10 minutes at school. Please bring Maja.",
        sequence=sequence,
        cancelled=cancelled,
    )


def lines(ics: bytes) -> list[str]:
    return ics.decode().replace("\r\n ", "").splitlines()


def test_the_invitation_parses_back_with_its_time_zone() -> None:
    ics = invite(BEFORE, sequence=0)
    calendar = Calendar.from_ical(ics)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.events
    assert event["UID"] == "booking-7@mentorbot"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "Mentoring meeting: Maja with Amira Khan"
    assert event.start == BEFORE
    assert event.end == BEFORE + timedelta(minutes=10)
    assert str(event.start.tzinfo) == "Europe/London"
    [zone] = calendar.timezones
    assert zone.tz_name == "Europe/London"
    assert {str(p["TZNAME"]) for p in zone.walk() if p.name in ("STANDARD", "DAYLIGHT")} >= {
        "BST",
        "GMT",
    }


def test_the_wall_clock_stays_local_across_the_clock_change() -> None:
    assert "DTSTART;TZID=Europe/London:20261022T160000" in lines(invite(BEFORE))
    assert "DTSTART;TZID=Europe/London:20261029T160000" in lines(invite(AFTER))
    assert "DTEND;TZID=Europe/London:20261029T161000" in lines(invite(AFTER))
    warsaw = lines(invite(AFTER, timezone="Europe/Warsaw"))
    assert "DTSTART;TZID=Europe/Warsaw:20261029T170000" in warsaw
    assert "TZID:Europe/Warsaw" in warsaw


def test_a_change_keeps_the_uid_and_raises_the_sequence() -> None:
    first = Calendar.from_ical(invite(BEFORE, sequence=0)).events[0]
    moved = Calendar.from_ical(invite(AFTER, sequence=1)).events[0]
    assert moved["UID"] == first["UID"]
    assert (first["SEQUENCE"], moved["SEQUENCE"]) == (0, 1)
    assert moved.start == AFTER


def test_a_cancellation() -> None:
    ics = invite(AFTER, sequence=2, cancelled=True)
    calendar = Calendar.from_ical(ics)
    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.events
    assert (event["STATUS"], event["SEQUENCE"], event["UID"]) == (
        "CANCELLED",
        2,
        "booking-7@mentorbot",
    )
    assert "METHOD:CANCEL" in lines(ics)
    assert "STATUS:CANCELLED" in lines(ics)


def test_the_time_zone_block_stays_small() -> None:
    assert len(invite(AFTER)) < 2000
