"""A school's office hours (families' messages reach staff) and quiet hours (nothing routine).

Either span can be switched off: quiet hours "off" (news goes whatever the hour) and office
hours "always open" (families' messages reach staff at once). Off is stored one way only, as
equal start and end times (`NO_SPAN`, "00:00"-"00:00"); typing two equal times means the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tortoise.transactions import in_transaction

from models.calendar.school import School
from models.common.audit import AuditEntry
from models.common.errors import N_, DomainError
from models.delivery.policy import retime_quiet_holds
from models.messaging.conversations.digest import retime_held_messages
from models.people.access import Actor, require_school_admin

_SPAN = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(?:-|–|—|to)\s*(\d{1,2})[:.](\d{2})\s*$")
BAD_SPAN = N_("Please type two times, such as 08:00-17:00.")
EMPTY_SPAN = N_("Office hours must end after they begin.")
NO_SPAN = ("00:00", "00:00")


class HoursKind(StrEnum):
    OFFICE = "office"
    QUIET = "quiet"


@dataclass(frozen=True)
class SchoolHours:
    """None for office hours is "always open"; None for quiet hours is "off"."""

    office: tuple[str, str] | None
    quiet: tuple[str, str] | None


def span_or_none(starts: str, ends: str) -> tuple[str, str] | None:
    """A stored span, or None when it is switched off (equal times)."""
    return None if starts == ends else (starts, ends)


def parse_span(text: str) -> tuple[str, str]:
    """Two times such as "8:00-17:00" or "20.00 to 7.30" as ("HH:MM", "HH:MM"); else DomainError."""
    match = _SPAN.match(text)
    if match is None:
        raise DomainError(BAD_SPAN)
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise DomainError(BAD_SPAN)
    return f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"


def hours_of(school: School) -> SchoolHours:
    return SchoolHours(
        span_or_none(school.office_opens, school.office_closes),
        span_or_none(school.quiet_starts, school.quiet_ends),
    )


async def school_hours(actor: Actor) -> SchoolHours:
    """The hours of the senior leader's school."""
    return hours_of(await School.get(id=require_school_admin(actor)))


async def set_school_hours(
    actor: Actor, kind: HoursKind, text: str, *, now: datetime
) -> SchoolHours:
    """Senior leaders set office or quiet hours; quiet hours may run past midnight.

    Two equal times switch the hours off, as the "Off" and "Always open" buttons do.
    """
    require_school_admin(actor)
    starts, ends = parse_span(text)
    if kind is HoursKind.OFFICE and ends < starts:
        raise DomainError(EMPTY_SPAN)
    return await _save(actor, kind, span_or_none(starts, ends), now=now)


async def switch_off(actor: Actor, kind: HoursKind, *, now: datetime) -> SchoolHours:
    """Quiet hours off, or office hours always open."""
    require_school_admin(actor)
    return await _save(actor, kind, None, now=now)


async def _save(
    actor: Actor, kind: HoursKind, span: tuple[str, str] | None, *, now: datetime
) -> SchoolHours:
    school_id = require_school_admin(actor)
    starts, ends = span or NO_SPAN
    async with in_transaction():
        before = await School.get(id=school_id)
        if kind is HoursKind.OFFICE:
            await School.filter(id=school_id).update(office_opens=starts, office_closes=ends)
        else:
            await School.filter(id=school_id).update(quiet_starts=starts, quiet_ends=ends)
        school = await School.get(id=school_id)
        # What is already held waits for the new hours, not the ones it was held under.
        if kind is HoursKind.OFFICE:
            await retime_held_messages(school, now=now)
        else:
            await retime_quiet_holds(before, school, now=now)
        await AuditEntry.create(
            school_id=school_id,
            actor_kind="staff",
            actor_id=actor.staff.staff_id if actor.staff else None,
            action=f"{kind.value}_hours_set",
            subject_kind="school",
            subject_id=school_id,
            details={"from": starts, "to": ends} if span else {"off": True},
        )
    return hours_of(school)
