"""Dates typed for /terms and /rounds, times typed for /availability: read, or "could not read".

Whatever is typed, the parsers return a value or None (the handler's "I couldn't read that"),
and the domain checks what they read with its own errors only. What the bot shows or its hints
document, typed back in any shipped language, reads as the same value.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from hypothesis import example, given
from hypothesis import strategies as st

from handlers.meetings.availability import parse_times
from handlers.meetings.rounds import parse_dates
from models.calendar.term_calendar import HalfTermDates, calendar_problems
from models.common.errors import DomainError
from models.common.languages import SHIPPED_LOCALES
from models.meetings.availability import AvailabilityRequest, plan_slots

ZONES = ("Europe/London", "Europe/Warsaw", "Asia/Karachi", "America/St_Johns", "UTC")
# The digits people type: ASCII, Arabic-Indic (ar) and Extended Arabic-Indic (ur, fa).
DIGITS = ("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")
# What the hints document, besides each language's own short date when it puts the day first.
DATE_FORMATS = ("d/M", "dd/MM", "d.M", "d/M/y", "d.M.y", "dd.MM.yy", "y-MM-dd", "y-M-d")

academic_years = st.integers(min_value=2000, max_value=2097).map(
    lambda start: f"{start}-{(start + 1) % 100:02d}"
)
# Text near what people type: digit groups, separators, words, and any text at all.
pieces = st.one_of(
    st.integers(min_value=0, max_value=99999).map(str),
    st.sampled_from(["/", ".", "-", ":", " ", "–", " - ", "break", "to", "\u200f", "\n"]),
    st.text(max_size=4),
)
typed = st.one_of(st.text(), st.lists(pieces, max_size=12).map("".join))
numbers = st.integers(min_value=0, max_value=99)
date_like = st.one_of(
    st.builds("{}/{}".format, numbers, numbers),
    st.builds("{}.{}.{}".format, numbers, numbers, st.integers(min_value=0, max_value=9999)),
    st.builds("{:04d}-{}-{}".format, st.integers(min_value=0, max_value=9999), numbers, numbers),
)
time_like = st.builds("{}:{:02d}".format, st.integers(min_value=0, max_value=30), numbers)
typed_dates = st.one_of(st.builds("{} – {}".format, date_like, date_like), typed)
typed_times = st.one_of(
    st.builds("{}-{}".format, time_like, time_like),
    st.builds("{}-{} break {}-{}".format, time_like, time_like, time_like, time_like),
    typed,
)


def _digits(text: str, digits: str) -> str:
    return text.translate(str.maketrans("0123456789", digits))


@given(typed, academic_years)
@example("31/02 - 1/03", "2026-27")
@example("0000-00-00 9999-99-99", "2026-27")
@example("1/1/0 2/2/00", "2026-27")
def test_any_typed_dates_read_as_two_dates_or_none(text: str, year: str) -> None:
    days = parse_dates(text, year)
    assert days is None or (isinstance(days[0], date) and isinstance(days[1], date))


@given(typed_dates, academic_years, st.integers(min_value=-3, max_value=9))
def test_the_calendar_rules_refuse_read_dates_with_their_own_problems(
    text: str, year: str, number: int
) -> None:
    days = parse_dates(text, year)
    if days is None:
        return
    for problem in calendar_problems(year, [HalfTermDates(number, *days)], complete=False):
        assert problem.message


@given(typed)
@example("24:00-25:61")
@example("15:30-17:30 break 16:30-16:45 and 18:00")
def test_any_typed_times_read_as_two_or_four_times_or_none(text: str) -> None:
    times = parse_times(text)
    assert times is None or (len(times) in (2, 4) and all(isinstance(t, time) for t in times))


@given(
    typed_times,
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    st.sampled_from(ZONES),
    st.integers(min_value=1, max_value=90),
    st.integers(min_value=0, max_value=60),
)
@example("00:30-03:30", date(2026, 3, 29), "Europe/London", 10, 0)
@example("00:30-03:30", date(2026, 10, 25), "Europe/London", 10, 0)
def test_planning_read_times_fails_only_with_the_domains_error(
    text: str, day: date, zone: str, slot_minutes: int, buffer: int
) -> None:
    times = parse_times(text)
    if times is None:
        return
    pause = times[2:] or [None, None]
    request = AvailabilityRequest(day, times[0], times[1], pause[0], pause[1], buffer)
    try:
        planned = plan_slots(request, slot_minutes=slot_minutes, timezone=ZoneInfo(zone))
    except DomainError:
        return
    assert planned
    assert all(end - start == timedelta(minutes=slot_minutes) for start, end in planned)


def _day_first(locale: str) -> bool:
    pattern = Locale.parse(locale).date_formats["short"].pattern
    return pattern.index("d") < pattern.index("M")


def _formats(locale: str) -> tuple[str, ...]:
    return DATE_FORMATS + (("short",) if _day_first(locale) else ())


@given(
    st.sampled_from(SHIPPED_LOCALES),
    st.integers(min_value=2000, max_value=2097),
    st.integers(min_value=0, max_value=364),
    st.integers(min_value=0, max_value=364),
    st.data(),
)
@example("ar", 2026, 90, 101, None)
def test_dates_written_in_each_language_read_back_the_same(
    locale: str, start_year: int, first: int, second: int, data: st.DataObject | None
) -> None:
    year = f"{start_year}-{(start_year + 1) % 100:02d}"
    starts = date(start_year, 9, 1) + timedelta(days=first)
    ends = date(start_year, 9, 1) + timedelta(days=second)
    formats = _formats(locale)
    fmt = data.draw(st.sampled_from(formats)) if data else "short"
    between = data.draw(st.sampled_from([" – ", " - ", "-", " ", " to "])) if data else " – "
    digits = data.draw(st.sampled_from(DIGITS)) if data else DIGITS[0]
    written = _digits(
        format_date(starts, fmt, locale=locale) + between + format_date(ends, fmt, locale=locale),
        digits,
    )
    assert parse_dates(written, year) == (starts, ends), written


@given(
    st.sampled_from(SHIPPED_LOCALES),
    st.lists(st.times(), min_size=2, max_size=4).filter(lambda ts: len(ts) != 3),
    st.sampled_from(["HH:mm", "H:mm", "HH.mm"]),
    st.sampled_from(DIGITS),
)
def test_times_written_in_each_language_read_back_the_same(
    locale: str, moments: list[time], fmt: str, digits: str
) -> None:
    shown = [_digits(format_time(moment, fmt, locale=locale), digits) for moment in moments]
    written = f"{shown[0]}-{shown[1]}" + (f" break {shown[2]}-{shown[3]}" if shown[2:] else "")
    assert parse_times(written) == [m.replace(second=0, microsecond=0) for m in moments], written
