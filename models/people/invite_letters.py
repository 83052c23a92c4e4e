"""Invite letters: fresh codes for everyone not yet linked, as a CSV or as printed letters."""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.calendar.school import School
from models.common.audit import AuditEntry
from models.common.enums import InviteKind, YearGroup
from models.common.errors import NotAllowed
from models.people.access import Actor, acting_staff_id, require_school_admin
from models.people.invitations import deep_link, issue_invite
from models.people.tables import Guardian, GuardianLink, Pupil, SchoolClass, Staff

Person = TypeVar("Person", Staff, Guardian)

CSV_HEADER = ("kind", "person_id", "name", "code", "link")
# Excel runs a cell starting with one of these as a formula; roster text must stay text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class InviteRow:
    kind: InviteKind
    person_id: str
    name: str
    code: str
    link: str


@dataclass(frozen=True)
class GuardianLetter:
    """One family's page: who it is for, their children, and their code."""

    guardian_name: str
    children: tuple[str, ...]
    language: str | None  # as on the roster; the page falls back to the school's default
    code: str
    link: str


@dataclass(frozen=True)
class LetterBatch:
    school_name: str
    bot_username: str
    default_locale: str
    expires_on: date
    rows: tuple[InviteRow, ...]
    letters: tuple[GuardianLetter, ...]


async def issue_invites_for_unlinked(
    school: School, *, now: datetime, ttl: timedelta, bot_username: str
) -> list[InviteRow]:
    """A new code for every current, unlinked staff member and reporting guardian."""
    batch = await issue_invites(school, now=now, ttl=ttl, bot_username=bot_username)
    return list(batch.rows)


async def issue_invites(
    school: School,
    *,
    now: datetime,
    ttl: timedelta,
    bot_username: str,
    class_id: int | None = None,
    staff: bool = True,
    by_staff_id: int | None = None,
) -> LetterBatch:
    """New codes for the unlinked: staff (unless `staff` is off) and reporting guardians.

    With `class_id`, only the guardians whose letter goes home with that class (their youngest
    child's), and no staff, so printing class by class never cancels another class's letters.
    """
    people_staff = (
        await Staff.filter(school=school, left_at=None, telegram_user_id=None)
        if staff and class_id is None
        else []
    )
    guardians = await _unlinked_guardians(school)
    children = await _children_of([g.id for g in guardians])
    if class_id is not None:
        guardians = [g for g in guardians if _letter_class(children.get(g.id, [])) == class_id]
    rows: list[InviteRow] = []
    letters: list[GuardianLetter] = []
    # One transaction: a failure half-way must not revoke codes whose letters never get printed.
    async with in_transaction():
        people: list[Staff | Guardian] = [*_by_name(people_staff), *_by_name(guardians)]
        for person in people:
            code = await issue_invite(person, now=now, ttl=ttl)
            kind = InviteKind.STAFF if isinstance(person, Staff) else InviteKind.GUARDIAN
            link = deep_link(bot_username, code)
            rows.append(InviteRow(kind, person.external_id, person.full_name, code, link))
            if isinstance(person, Guardian):
                names = tuple(p.full_name for p in children.get(person.id, []))
                letters.append(GuardianLetter(person.full_name, names, person.language, code, link))
        details: dict[str, int] = {"staff": len(people_staff), "guardians": len(guardians)}
        if class_id is not None:
            details["class_id"] = class_id
        await AuditEntry.create(
            school=school,
            actor_kind="system" if by_staff_id is None else "staff",
            actor_id=by_staff_id,
            action="invites_issued",
            subject_kind="school",
            subject_id=school.id,
            details=details,
        )
    return LetterBatch(
        school_name=school.name,
        bot_username=bot_username,
        default_locale=school.default_locale,
        expires_on=(now + ttl).astimezone(ZoneInfo(school.timezone)).date(),
        rows=tuple(rows),
        letters=tuple(letters),
    )


async def letters_to_issue(actor: Actor, class_id: int | None) -> int:
    """How many families would get a letter (a senior leader asks before issuing)."""
    school = await School.get(id=require_school_admin(actor))
    await _check_class(school, class_id)
    guardians = await _unlinked_guardians(school)
    if class_id is None:
        return len(guardians)
    children = await _children_of([g.id for g in guardians])
    return sum(1 for g in guardians if _letter_class(children.get(g.id, [])) == class_id)


async def issue_letters(
    actor: Actor,
    class_id: int | None,
    *,
    now: datetime,
    ttl: timedelta,
    bot_username: str,
) -> LetterBatch:
    """A senior leader's letters for a class or the whole school (families only)."""
    school = await School.get(id=require_school_admin(actor))
    await _check_class(school, class_id)
    return await issue_invites(
        school,
        now=now,
        ttl=ttl,
        bot_username=bot_username,
        class_id=class_id,
        staff=False,
        by_staff_id=acting_staff_id(actor),
    )


async def class_named(school: School, name: str) -> int | None:
    """The id of the school's class with this name (any case), if there is one."""
    for school_class in await SchoolClass.filter(school=school):
        if school_class.name.casefold() == name.strip().casefold():
            return school_class.id
    return None


async def _unlinked_guardians(school: School) -> list[Guardian]:
    """Current guardians not linked yet who receive reports on a current child."""
    return await Guardian.filter(
        school=school,
        left_at=None,
        telegram_user_id=None,
        id__in=Subquery(
            GuardianLink.filter(receives_reports=True, pupil__left_at=None).values("guardian_id")
        ),
    )


async def _check_class(school: School, class_id: int | None) -> None:
    if class_id is not None and not await SchoolClass.exists(id=class_id, school=school):
        raise NotAllowed()


async def _children_of(guardian_ids: list[int]) -> dict[int, list[Pupil]]:
    """Each guardian's current children they receive reports on, in one query."""
    links = (
        await GuardianLink.filter(
            guardian_id__in=guardian_ids, receives_reports=True, pupil__left_at=None
        )
        .select_related("pupil__school_class")
        .order_by("pupil__first_name", "pupil__id")
    )
    children: dict[int, list[Pupil]] = {}
    for link in links:
        children.setdefault(link.guardian_id, []).append(link.pupil)
    return children


def _letter_class(children: list[Pupil]) -> int | None:
    """The class a family's letter goes home with: the youngest child's (as book bags do)."""
    years = list(YearGroup)
    placed = [c for c in children if c.school_class_id is not None]
    if not placed:
        return None
    youngest = min(
        placed,
        key=lambda c: (
            years.index(YearGroup(c.year_group)),
            c.school_class.name if c.school_class else "",
            c.id,
        ),
    )
    return youngest.school_class_id


def write_invites_csv(rows: list[InviteRow], out: Path) -> None:
    """Write `kind,person_id,name,code,link` as UTF-8 with a BOM, readable only by the owner."""
    # The file holds live codes, so it is created private (an existing file keeps its mode).
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for row in rows:
            writer.writerow(
                (row.kind.value, _as_text(row.person_id), _as_text(row.name), row.code, row.link)
            )


def _by_name(people: Sequence[Person]) -> list[Person]:
    return sorted(
        people, key=lambda p: (p.last_name.casefold(), p.first_name.casefold(), p.external_id)
    )


def _as_text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value
