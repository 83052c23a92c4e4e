"""Office hours: when families' messages reach staff (school days, opening to closing time).

A school day is Monday to Friday; when the school has stored all six half-terms of the
academic year, only the days inside a half-term count (holidays wait for the next term).
With a partial calendar or none, every weekday counts. A school whose office is "always open"
(stored as equal opening and closing times, see models.calendar.school_hours) has no office
hours: messages are passed on at once. /hours refuses a closing time before the opening; one
found all the same counts as always open, so that no message waits for ever.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.calendar.school import HalfTerm, School
from models.calendar.schools import academic_year_for
from models.calendar.term_calendar import HALF_TERMS
from models.delivery.policy import parse_clock

# Longer than any school holiday; a calendar with no school day in a year is a mistake, and
# then messages are passed on at once rather than never.
SEARCH_DAYS = 400
SATURDAY = 5


@dataclass(frozen=True)
class OfficeHours:
    """One school's office hours and the term dates they follow."""

    zone: ZoneInfo
    opens: time
    closes: time
    # Half-terms of the academic years whose six half-terms are all stored.
    terms: tuple[tuple[date, date], ...] = ()
    term_years: frozenset[str] = frozenset()

    @property
    def always_open(self) -> bool:
        return self.opens >= self.closes

    def is_school_day(self, day: date) -> bool:
        """A weekday, and inside a half-term when the year's calendar is complete."""
        if day.weekday() >= SATURDAY:
            return False
        if academic_year_for(day) not in self.term_years:
            return True
        return any(starts <= day <= ends for starts, ends in self.terms)

    def is_open(self, now: datetime) -> bool:
        if self.always_open:
            return True
        local = now.astimezone(self.zone)
        return self.is_school_day(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, now: datetime) -> datetime:
        """`now` when open, else when the office next opens (aware, in UTC)."""
        if self.is_open(now):
            return now
        local = now.astimezone(self.zone)
        day = local.date() if local.time() < self.opens else local.date() + timedelta(days=1)
        for _ in range(SEARCH_DAYS):
            if self.is_school_day(day):
                return datetime.combine(day, self.opens, tzinfo=self.zone).astimezone(UTC)
            day += timedelta(days=1)
        return now


async def office_hours(school: School, *, now: datetime) -> OfficeHours:
    """The school's office hours with this year's and next year's term dates (one query)."""
    zone = ZoneInfo(school.timezone)
    this_year = academic_year_for(now.astimezone(zone).date())
    next_year = academic_year_for(date(int(this_year[:4]) + 1, 9, 1))
    rows = await HalfTerm.filter(school_id=school.id, academic_year__in=[this_year, next_year])
    numbers: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        numbers[row.academic_year].add(row.number)
    complete = frozenset(year for year, seen in numbers.items() if seen >= set(HALF_TERMS))
    return OfficeHours(
        zone=zone,
        opens=parse_clock(school.office_opens),
        closes=parse_clock(school.office_closes),
        terms=tuple((row.starts_on, row.ends_on) for row in rows if row.academic_year in complete),
        term_years=complete,
    )
