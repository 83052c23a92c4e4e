"""The six half-terms of a school's academic year, and which one a day belongs to."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from models.calendar.school import HalfTerm


@dataclass(frozen=True)
class HalfTermSpan:
    number: int  # 1 to 6
    starts_on: date
    ends_on: date


def year_start(academic_year: str) -> int:
    """`2026-27` starts in 2026."""
    return int(academic_year[:4])


def standard_half_terms(academic_year: str) -> tuple[HalfTermSpan, ...]:
    """An approximation of the English school year for schools that stored no term dates."""
    first, second = year_start(academic_year), year_start(academic_year) + 1
    bounds = (
        (date(first, 9, 1), date(first, 10, 31)),
        (date(first, 11, 1), date(first, 12, 31)),
        (date(second, 1, 1), date(second, 2, 14)),
        (date(second, 2, 15), date(second, 3, 31)),
        (date(second, 4, 1), date(second, 5, 31)),
        (date(second, 6, 1), date(second, 7, 31)),
    )
    return tuple(HalfTermSpan(n, start, end) for n, (start, end) in enumerate(bounds, 1))


async def half_terms(school_id: int, academic_year: str) -> tuple[HalfTermSpan, ...]:
    """The year's six half-terms (one query): the school's own dates where it stored them."""
    # A calendar may be set one half-term at a time; the standard year fills the gaps.
    spans = {span.number: span for span in standard_half_terms(academic_year)}
    for row in await HalfTerm.filter(school_id=school_id, academic_year=academic_year):
        if row.number in spans:
            spans[row.number] = HalfTermSpan(row.number, row.starts_on, row.ends_on)
    return tuple(sorted(spans.values(), key=lambda span: span.starts_on))


def half_term_index(spans: tuple[HalfTermSpan, ...], day: date) -> int:
    """The index of the half-term a day counts towards: holidays count with the one before."""
    return max(bisect_right([span.starts_on for span in spans], day) - 1, 0)


def year_bounds(academic_year: str, timezone: str) -> tuple[datetime, datetime]:
    """The academic year (1 September to 31 August) as aware moments in the school's zone."""
    zone, first = ZoneInfo(timezone), year_start(academic_year)
    return (
        datetime.combine(date(first, 9, 1), time.min, zone),
        datetime.combine(date(first + 1, 9, 1), time.min, zone),
    )
