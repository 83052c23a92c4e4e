"""Finding the school this installation serves, and the one a person belongs to."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from models.calendar.school import School
from models.common.errors import NotAllowed
from models.people.access import Actor


def academic_year_for(day: date) -> str:
    """English schools' years run September to August: 2026-11-24 is in `2026-27`."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


async def ensure_school(name: str, timezone: str, locale: str, today: date) -> School:
    """The installation's school, created on first use from the settings."""
    school = await School.all().order_by("id").first()
    if school is None:
        school = await School.create(
            name=name,
            timezone=timezone,
            default_locale=locale,
            academic_year=academic_year_for(today),
        )
    return school


async def school_zone(actor: Actor, *, staff_only: bool = False) -> ZoneInfo:
    """The timezone of the actor's school (as staff, else as a guardian); NotAllowed for neither."""
    role = actor.staff if staff_only else actor.guardian or actor.staff
    if role is None:
        raise NotAllowed()
    school = await School.get(id=role.school_id)
    return ZoneInfo(school.timezone)
