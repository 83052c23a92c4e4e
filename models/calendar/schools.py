"""Finding the school this installation serves."""

from __future__ import annotations

from datetime import date

from models.calendar.school import School


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
