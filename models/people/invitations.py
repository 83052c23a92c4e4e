"""Issuing one-time invite codes and redeeming them to link a Telegram user."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from tortoise.transactions import in_transaction

from models.common.audit import AuditEntry
from models.common.enums import InviteKind, Role
from models.common.errors import InviteNotInPrivateChat, InviteRefused, TooManyAttempts
from models.people.invite_codes import candidate_hashes, hash_code, new_code
from models.people.invites import Invite
from models.people.tables import Guardian, GuardianLink, Staff

Person = TypeVar("Person", Staff, Guardian)

MAX_FAILURES = 10
FAILURE_WINDOW_SECONDS = 300.0


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


async def issue_invite(person: Staff | Guardian, now: datetime, ttl: timedelta) -> str:
    """A new code for this person; any earlier unused code stops working."""
    code = new_code()
    kind = InviteKind.STAFF if isinstance(person, Staff) else InviteKind.GUARDIAN
    staff_id = person.id if kind is InviteKind.STAFF else None
    guardian_id = person.id if kind is InviteKind.GUARDIAN else None
    async with in_transaction():
        await Invite.filter(
            staff_id=staff_id, guardian_id=guardian_id, used_at=None, revoked_at=None
        ).update(revoked_at=now)
        await Invite.create(
            school_id=person.school_id,
            kind=kind,
            code_hash=hash_code(code),
            expires_at=now + ttl,
            staff_id=staff_id,
            guardian_id=guardian_id,
        )
    return code


class FailedAttempts:
    """Failed redemptions per user in a sliding window, checked before any database work."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW_SECONDS) -> None:
        self._limit = limit
        self._window = window
        self._failures: defaultdict[int, deque[float]] = defaultdict(deque)

    def _recent(self, user_id: int, now: float) -> deque[float]:
        failures = self._failures[user_id]
        while failures and now - failures[0] > self._window:
            failures.popleft()
        return failures

    def blocked(self, user_id: int, now: float | None = None) -> bool:
        return len(self._recent(user_id, now or time.monotonic())) >= self._limit

    def record(self, user_id: int, now: float | None = None) -> None:
        moment = now or time.monotonic()
        self._recent(user_id, moment).append(moment)
        if len(self._failures) > 10_000:
            self._forget_idle(moment)

    def _forget_idle(self, now: float) -> None:
        for user_id in [
            u for u, f in self._failures.items() if not f or now - f[-1] > self._window
        ]:
            del self._failures[user_id]


@dataclass(frozen=True)
class LinkedPerson:
    """Who a redeemed code linked, for the welcome message."""

    kind: InviteKind
    first_name: str
    role: Role | None
    children: tuple[str, ...]
    language: str | None


async def redeem_invite(
    code: str,
    telegram_user_id: int,
    *,
    private_chat: bool,
    now: datetime,
    attempts: FailedAttempts,
) -> LinkedPerson:
    """Link the sender to the person the code was issued for, once; `code` as typed."""
    if not private_chat:
        raise InviteNotInPrivateChat()
    if attempts.blocked(telegram_user_id):
        raise TooManyAttempts()
    hashes = candidate_hashes(code)
    if not hashes:  # not the shape of any code: refused without asking the database
        attempts.record(telegram_user_id)
        raise InviteRefused()
    async with in_transaction():
        invite = await Invite.filter(
            code_hash__in=hashes, used_at=None, revoked_at=None, expires_at__gt=now
        ).first()
        # The conditional update makes a code single-use even when two redeem it at once.
        claimed = invite is not None and (
            await Invite.filter(id=invite.id, used_at=None).update(used_at=now)
        )
        if invite is None or not claimed:
            attempts.record(telegram_user_id)
            raise InviteRefused()
        person: Staff | Guardian
        if invite.kind is InviteKind.STAFF and invite.staff_id is not None:
            person = await _bind(Staff, invite.staff_id, telegram_user_id, now)
        elif invite.guardian_id is not None:
            person = await _bind(Guardian, invite.guardian_id, telegram_user_id, now)
        else:  # an invite always names its person; treat a broken row as unknown
            raise InviteRefused()
        await AuditEntry.create(
            school_id=invite.school_id,
            actor_kind=invite.kind.value,
            actor_id=person.id,
            action="linked_telegram",
            subject_kind=invite.kind.value,
            subject_id=person.id,
        )
    if isinstance(person, Staff):
        return LinkedPerson(
            InviteKind.STAFF, person.first_name, Role(person.role), (), person.language
        )
    children = await _children_names(person.id)
    return LinkedPerson(InviteKind.GUARDIAN, person.first_name, None, children, person.language)


async def _bind(
    model: type[Person], person_id: int, telegram_user_id: int, now: datetime
) -> Person:
    # One Telegram account holds one record of each kind: a newer code moves the link.
    await (
        model.filter(telegram_user_id=telegram_user_id)
        .exclude(id=person_id)
        .update(telegram_user_id=None, linked_at=None)
    )
    await model.filter(id=person_id).update(telegram_user_id=telegram_user_id, linked_at=now)
    return await model.get(id=person_id)


async def _children_names(guardian_id: int) -> tuple[str, ...]:
    links = (
        await GuardianLink.filter(
            guardian_id=guardian_id, receives_reports=True, pupil__left_at=None
        )
        .order_by("pupil__first_name")
        .prefetch_related("pupil")
    )
    return tuple(link.pupil.first_name for link in links)
