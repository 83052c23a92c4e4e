"""A school's office hours (families' messages reach staff) and quiet hours (nothing routine)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from models.calendar.school import School
from models.common.audit import AuditEntry
from models.common.errors import N_, DomainError
from models.people.access import Actor, require_school_admin

_SPAN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(?:-|–|—|to)\s*(\d{1,2})[:.](\d{2})\s*$")
BAD_SPAN = N_("Please type two times, such as 08:00-17:00.")
EMPTY_SPAN = N_("Office hours must end after they begin.")


class HoursKind(StrEnum):
    OFFICE = "office"
    QUIET = "quiet"


@dataclass(frozen=True)
class SchoolHours:
    office: tuple[str, str]
    quiet: tuple[str, str]


def parse_span(text: str) -> tuple[str, str]:
    """Two times such as "8:00-17:00" or "20.00 to 7.30" as ("HH:MM", "HH:MM"); else DomainError."""
    match = _SPAN.match(text)
    if match is None:
        raise DomainError(BAD_SPAN)
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise DomainError(BAD_SPAN)
    return f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"


async def school_hours(actor: Actor) -> SchoolHours:
    """The hours of the senior leader's school."""
    school = await School.get(id=require_school_admin(actor))
    return SchoolHours(
        (school.office_opens, school.office_closes), (school.quiet_starts, school.quiet_ends)
    )


async def set_school_hours(actor: Actor, kind: HoursKind, text: str) -> SchoolHours:
    """Senior leaders set office or quiet hours; quiet hours may run past midnight."""
    school_id = require_school_admin(actor)
    starts, ends = parse_span(text)
    if kind is HoursKind.OFFICE:
        if ends <= starts:
            raise DomainError(EMPTY_SPAN)
        await School.filter(id=school_id).update(office_opens=starts, office_closes=ends)
    else:
        await School.filter(id=school_id).update(quiet_starts=starts, quiet_ends=ends)
    await AuditEntry.create(
        school_id=school_id,
        actor_kind="staff",
        actor_id=actor.staff.staff_id if actor.staff else None,
        action=f"{kind.value}_hours_set",
        subject_kind="school",
        subject_id=school_id,
        details={"from": starts, "to": ends},
    )
    return await school_hours(actor)
