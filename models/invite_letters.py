"""Invite letters: fresh codes for everyone not yet linked, written as a CSV for a mail merge."""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.audit import AuditEntry
from models.enums import InviteKind
from models.invitations import deep_link, issue_invite
from models.people import Guardian, GuardianLink, Staff
from models.school import School

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


async def issue_invites_for_unlinked(
    school: School, *, now: datetime, ttl: timedelta, bot_username: str
) -> list[InviteRow]:
    """A new code for every current, unlinked staff member and reporting guardian."""
    staff = await Staff.filter(school=school, left_at=None, telegram_user_id=None)
    guardians = await Guardian.filter(
        school=school,
        left_at=None,
        telegram_user_id=None,
        id__in=Subquery(
            GuardianLink.filter(receives_reports=True, pupil__left_at=None).values("guardian_id")
        ),
    )
    rows = []
    # One transaction: a failure half-way must not revoke codes whose letters never get printed.
    async with in_transaction():
        people: list[Staff | Guardian] = [*_by_name(staff), *_by_name(guardians)]
        for person in people:
            code = await issue_invite(person, now=now, ttl=ttl)
            kind = InviteKind.STAFF if isinstance(person, Staff) else InviteKind.GUARDIAN
            rows.append(
                InviteRow(
                    kind, person.external_id, person.full_name, code, deep_link(bot_username, code)
                )
            )
        await AuditEntry.create(
            school=school,
            actor_kind="system",
            action="invites_issued",
            subject_kind="school",
            subject_id=school.id,
            details={"staff": len(staff), "guardians": len(guardians)},
        )
    return rows


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
