"""The term calendar: the six half-terms of each academic year, set by senior leaders.

A year's calendar is set all at once (six half-terms, numbered 1 to 6, in order, each
starting after the one before ends, all between 1 August and the next 31 August), or one
half-term at a time, checked against the half-terms already stored. Rows are changed in
place, never replaced, so the half-termly reminders keyed on a half-term's id never repeat.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from tortoise.transactions import in_transaction

from models.calendar.school import HalfTerm, School
from models.common.audit import AuditEntry
from models.common.errors import N_, DomainError, NotAllowed
from models.meetings.rounds import BAD_YEAR
from models.people.access import Actor, acting_staff_id, require_school_admin

HALF_TERMS = range(1, 7)

BAD_NUMBER = N_("{value} is not a half-term number; use 1 to 6.")
DUPLICATE = N_("Half-term {number} of {year} is listed more than once.")
MISSING = N_("Half-term {number} of {year} is missing.")
END_BEFORE_START = N_("Half-term {number} must end on or after the day it starts.")
OVERLAP = N_("Half-term {number} must start after half-term {previous} ends ({day}).")
OUTSIDE_YEAR = N_("The dates of half-term {number} must lie between {first} and {last}.")

_YEAR = re.compile(r"(\d{4})-(\d{2})")


class InvalidCalendar(DomainError):
    message = N_("These term dates are not valid.")


@dataclass(frozen=True)
class HalfTermDates:
    """One half-term as a leader or a file gives it."""

    number: int
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class HalfTermView:
    half_term_id: int
    school_id: int
    academic_year: str
    number: int
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class CalendarProblem:
    """A rule broken; `index` is the half-term's place in the list given (None: the year)."""

    index: int | None
    column: str
    message: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CalendarChange:
    """How many half-terms were new, changed or already as given."""

    created: int
    updated: int
    unchanged: int


def year_range(academic_year: str) -> tuple[date, date] | None:
    """`2026-27` may hold term dates from 1 August 2026 to 31 August 2027; None if malformed."""
    match = _YEAR.fullmatch(academic_year)
    if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
        return None
    start = int(match[1])
    return date(start, 8, 1), date(start + 1, 8, 31)


def calendar_problems(
    academic_year: str, spans: Sequence[HalfTermDates], *, complete: bool = True
) -> list[CalendarProblem]:
    """Every rule the half-terms break; `complete` asks for all six of the year."""
    bounds = year_range(academic_year)
    if bounds is None:
        return [CalendarProblem(None, "academic_year", BAD_YEAR, {"value": academic_year})]
    first, last = bounds
    problems: list[CalendarProblem] = []
    seen: dict[int, int] = {}
    for index, span in enumerate(spans):
        number = str(span.number)
        if span.number not in HALF_TERMS:
            problems.append(CalendarProblem(index, "half_term", BAD_NUMBER, {"value": number}))
            continue
        if span.number in seen:
            params = {"number": number, "year": academic_year}
            problems.append(CalendarProblem(index, "half_term", DUPLICATE, params))
            continue
        seen[span.number] = index
        for column, day in (("starts_on", span.starts_on), ("ends_on", span.ends_on)):
            if not first <= day <= last:
                params = {"number": number, "first": first.isoformat(), "last": last.isoformat()}
                problems.append(CalendarProblem(index, column, OUTSIDE_YEAR, params))
                break
        if span.ends_on < span.starts_on:
            problems.append(CalendarProblem(index, "ends_on", END_BEFORE_START, {"number": number}))
    # A mistyped or repeated number already explains the one that seems to be missing.
    if complete and not problems:
        problems += [
            CalendarProblem(None, "half_term", MISSING, {"number": str(n), "year": academic_year})
            for n in HALF_TERMS
            if n not in seen
        ]
    for (before, before_index), (later, index) in pairwise(sorted(seen.items())):
        previous = spans[before_index]
        if spans[index].starts_on <= previous.ends_on:
            params = {
                "number": str(later),
                "previous": str(before),
                "day": previous.ends_on.isoformat(),
            }
            problems.append(CalendarProblem(index, "starts_on", OVERLAP, params))
    return problems


def _refuse(problems: list[CalendarProblem]) -> None:
    if problems:
        raise InvalidCalendar(problems[0].message, **problems[0].params)


async def set_half_terms(
    actor: Actor, academic_year: str, spans: Sequence[HalfTermDates]
) -> CalendarChange:
    """Set a year's six half-terms at once; senior leaders only, all or nothing."""
    school_id = require_school_admin(actor)
    _refuse(calendar_problems(academic_year, spans))
    async with in_transaction():
        return await store_calendar(
            school_id, academic_year, spans, actor_kind="staff", actor_id=acting_staff_id(actor)
        )


async def store_calendar(
    school_id: int,
    academic_year: str,
    spans: Sequence[HalfTermDates],
    *,
    actor_kind: str,
    actor_id: int | None = None,
) -> CalendarChange:
    """Write a checked calendar inside the caller's transaction; audited when anything changed."""
    _refuse(calendar_problems(academic_year, spans))
    stored = {
        row.number: row
        for row in await HalfTerm.filter(
            school_id=school_id, academic_year=academic_year
        ).select_for_update()
    }
    created, updated = [], []
    for span in spans:
        row = stored.get(span.number)
        if row is None:
            created.append(
                HalfTerm(
                    school_id=school_id,
                    academic_year=academic_year,
                    number=span.number,
                    starts_on=span.starts_on,
                    ends_on=span.ends_on,
                )
            )
        elif (row.starts_on, row.ends_on) != (span.starts_on, span.ends_on):
            row.starts_on, row.ends_on = span.starts_on, span.ends_on
            updated.append(row)
    if created:
        await HalfTerm.bulk_create(created)
    if updated:
        await HalfTerm.bulk_update(updated, fields=["starts_on", "ends_on"])
    changed = sorted(row.number for row in [*created, *updated])
    if changed:
        await AuditEntry.create(
            school_id=school_id,
            actor_kind=actor_kind,
            actor_id=actor_id,
            action="term_calendar_set",
            subject_kind="school",
            subject_id=school_id,
            details={"academic_year": academic_year, "half_terms": changed},
        )
    return CalendarChange(len(created), len(updated), len(spans) - len(changed))


async def check_half_term(
    actor: Actor, academic_year: str, number: int, starts_on: date, ends_on: date
) -> None:
    """Refuse new dates for one half-term that would break the year's calendar; saves nothing."""
    school_id = require_school_admin(actor)
    rows = await HalfTerm.filter(school_id=school_id, academic_year=academic_year)
    _refuse(_with_change(rows, academic_year, HalfTermDates(number, starts_on, ends_on)))


async def change_half_term(
    actor: Actor, academic_year: str, number: int, starts_on: date, ends_on: date
) -> HalfTermView:
    """Give one half-term new dates, checked against the others; senior leaders only."""
    school_id = require_school_admin(actor)
    wanted = HalfTermDates(number, starts_on, ends_on)
    async with in_transaction():
        rows = await HalfTerm.filter(
            school_id=school_id, academic_year=academic_year
        ).select_for_update()
        _refuse(_with_change(rows, academic_year, wanted))
        row = next((r for r in rows if r.number == number), None)
        if row is not None and (row.starts_on, row.ends_on) == (starts_on, ends_on):
            return _view(row)
        if row is None:
            row = await HalfTerm.create(
                school_id=school_id,
                academic_year=academic_year,
                number=number,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        else:
            row.starts_on, row.ends_on = starts_on, ends_on
            await HalfTerm.filter(id=row.id).update(starts_on=starts_on, ends_on=ends_on)
        await AuditEntry.create(
            school_id=school_id,
            actor_kind="staff",
            actor_id=acting_staff_id(actor),
            action="half_term_changed",
            subject_kind="half_term",
            subject_id=row.id,
            details={"academic_year": academic_year, "number": number},
        )
    return _view(row)


def _with_change(
    rows: Sequence[HalfTerm], academic_year: str, wanted: HalfTermDates
) -> list[CalendarProblem]:
    others = [HalfTermDates(r.number, r.starts_on, r.ends_on) for r in rows]
    spans = [span for span in others if span.number != wanted.number] + [wanted]
    return calendar_problems(academic_year, spans, complete=False)


async def half_terms_of(actor: Actor, academic_year: str) -> list[HalfTermView]:
    """The year's stored half-terms in order, for any staff member of the school."""
    if actor.staff is None:
        raise NotAllowed()
    return await school_half_terms(actor.staff.school_id, academic_year)


async def school_half_terms(school_id: int, academic_year: str) -> list[HalfTermView]:
    """The year's stored half-terms in order (one query)."""
    rows = await HalfTerm.filter(school_id=school_id, academic_year=academic_year).order_by(
        "number"
    )
    return [_view(row) for row in rows]


async def current_half_term(school: School | int, *, on: date) -> HalfTermView | None:
    """The half-term in session on a day; None in the holidays or without a calendar."""
    row = await HalfTerm.filter(
        school_id=_school_id(school), starts_on__lte=on, ends_on__gte=on
    ).first()
    return _view(row) if row is not None else None


async def half_term_for(school: School | int, *, on: date) -> HalfTermView | None:
    """The half-term a day counts towards: the one in session, or in a holiday the one before.

    Days after the last half-term of a year count towards it until that year's 31 August.
    """
    row = (
        await HalfTerm.filter(school_id=_school_id(school), starts_on__lte=on)
        .order_by("-starts_on")
        .first()
    )
    if row is None:
        return None
    bounds = year_range(row.academic_year)
    return _view(row) if bounds is not None and on <= bounds[1] else None


async def next_half_term(half_term: HalfTermView) -> HalfTermView | None:
    """The school's first stored half-term starting after this one ends, in any year."""
    row = (
        await HalfTerm.filter(school_id=half_term.school_id, starts_on__gt=half_term.ends_on)
        .order_by("starts_on")
        .first()
    )
    return _view(row) if row is not None else None


async def half_term_by_id(half_term_id: int) -> HalfTermView | None:
    row = await HalfTerm.get_or_none(id=half_term_id)
    return _view(row) if row is not None else None


def _school_id(school: School | int) -> int:
    return school if isinstance(school, int) else school.id


def _view(row: HalfTerm) -> HalfTermView:
    return HalfTermView(
        row.id,
        row.school_id,  # type: ignore[attr-defined]
        row.academic_year,
        row.number,
        row.starts_on,
        row.ends_on,
    )
