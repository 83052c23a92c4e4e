"""Mentoring rounds: the meeting points of the year, set by senior leaders."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.calendar.schools import academic_year_for
from models.common.audit import AuditEntry
from models.common.errors import N_, DomainError, NotAllowed
from models.meetings.tables import MentoringRound
from models.people.access import Actor, require_school_admin

ROUND_NUMBERS = range(1, 7)
SLOT_MINUTES = range(5, 31)
MAX_NAME = 100

END_BEFORE_START = N_("A round must close on or after the day it opens.")
BAD_NUMBER = N_("{value} is not a round number; use {low} to {high}.")
BAD_SLOT_MINUTES = N_("{value} is not a meeting length; use {low} to {high} minutes.")
DUPLICATE_NUMBER = N_("Round {number} for {year} already exists.")
NAME_MISSING = N_("Please give the round a name.")
NAME_TOO_LONG = N_("Please keep the round's name under {limit} characters.")
BAD_YEAR = N_("{value} is not an academic year such as 2026-27.")
OUTSIDE_YEAR = N_("The dates of a round must lie in the academic year {year}.")

_YEAR = re.compile(r"\d{4}-\d{2}")


class InvalidRound(DomainError):
    message = N_("This mentoring round is not valid.")


@dataclass(frozen=True)
class RoundView:
    round_id: int
    number: int
    name: str
    opens_on: date
    closes_on: date
    slot_minutes: int


def round_problem(
    number: int, opens_on: date, closes_on: date, slot_minutes: int, academic_year: str
) -> tuple[str, str, dict[str, str]] | None:
    """The first rule a round breaks, as (field, msgid, params); None when it is fine."""
    if number not in ROUND_NUMBERS:
        high = str(ROUND_NUMBERS[-1])
        return "number", BAD_NUMBER, {"value": str(number), "low": "1", "high": high}
    if slot_minutes not in SLOT_MINUTES:
        low, high = str(SLOT_MINUTES[0]), str(SLOT_MINUTES[-1])
        return (
            "slot_minutes",
            BAD_SLOT_MINUTES,
            {"value": str(slot_minutes), "low": low, "high": high},
        )
    if closes_on < opens_on:
        return "closes_on", END_BEFORE_START, {}
    for name, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        if academic_year_for(day) != academic_year:
            return name, OUTSIDE_YEAR, {"year": academic_year}
    return None


async def create_round(
    actor: Actor,
    *,
    number: int,
    name: str,
    opens_on: date,
    closes_on: date,
    slot_minutes: int = 10,
    academic_year: str,
) -> MentoringRound:
    """Add a round to the school's year; senior leaders only."""
    school_id = require_school_admin(actor)
    if not _YEAR.fullmatch(academic_year):
        raise InvalidRound(BAD_YEAR, value=academic_year)
    clean_name = " ".join(name.split())
    if not clean_name:
        raise InvalidRound(NAME_MISSING)
    if len(clean_name) > MAX_NAME:
        raise InvalidRound(NAME_TOO_LONG, limit=MAX_NAME)
    if problem := round_problem(number, opens_on, closes_on, slot_minutes, academic_year):
        raise InvalidRound(problem[1], **problem[2])
    duplicate = InvalidRound(DUPLICATE_NUMBER, number=str(number), year=academic_year)
    key: dict[str, Any] = {"school_id": school_id, "academic_year": academic_year, "number": number}
    if await MentoringRound.exists(**key):
        raise duplicate
    try:
        async with in_transaction():
            mentoring_round = await MentoringRound.create(
                **key,
                name=clean_name,
                opens_on=opens_on,
                closes_on=closes_on,
                slot_minutes=slot_minutes,
            )
            await AuditEntry.create(
                school_id=school_id,
                actor_kind="staff",
                actor_id=actor.staff.staff_id if actor.staff else None,
                action="round_created",
                subject_kind="round",
                subject_id=mentoring_round.id,
                details={"number": number, "academic_year": academic_year},
            )
    except IntegrityError:
        # Two leaders adding the same round at once: the unique key decides.
        raise duplicate from None
    return mentoring_round


async def rounds_of(actor: Actor, *, academic_year: str) -> list[RoundView]:
    """The school's rounds of a year in order, for any staff member."""
    school_id = _staff_school(actor)
    rows = await MentoringRound.filter(school_id=school_id, academic_year=academic_year).order_by(
        "number"
    )
    return [_view(r) for r in rows]


async def current_round(actor: Actor, *, today: date) -> RoundView | None:
    """The round open today, else the next one to open; None when none is left."""
    school_id = _staff_school(actor)
    row = (
        await MentoringRound.filter(school_id=school_id, closes_on__gte=today)
        .order_by("opens_on", "number", "id")
        .first()
    )
    return _view(row) if row is not None else None


def _staff_school(actor: Actor) -> int:
    if actor.staff is None:
        raise NotAllowed()
    return actor.staff.school_id


def _view(row: MentoringRound) -> RoundView:
    return RoundView(row.id, row.number, row.name, row.opens_on, row.closes_on, row.slot_minutes)
