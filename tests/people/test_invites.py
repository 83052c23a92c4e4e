"""Invite codes: random, hashed, single use, expiring, private, rate limited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from models import Guardian, Invite, Staff
from models.common.enums import InviteKind, Role
from models.common.errors import InviteNotInPrivateChat, InviteRefused, TooManyAttempts
from models.people.invitations import FailedAttempts, hash_code, issue_invite, redeem_invite
from tests.factories import (
    NOW,
    invite_code,
    make_class,
    make_guardian,
    make_pupil,
    make_school,
    make_staff,
)


async def redeem(code: str, user_id: int = 501, **kwargs: object):  # type: ignore[no-untyped-def]
    options: dict[str, object] = {"private_chat": True, "now": NOW, "attempts": FailedAttempts()}
    options.update(kwargs)
    return await redeem_invite(code, user_id, **options)  # type: ignore[arg-type]


async def test_code_is_random_url_safe_and_only_its_hash_is_stored(db: str) -> None:
    school = await make_school()
    teacher = await make_staff(school, "T1")
    codes = {await invite_code(teacher) for _ in range(3)}
    assert len(codes) == 3
    for code in codes:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,64}", code)
    stored = await Invite.all().values_list("code_hash", flat=True)
    assert not codes & set(stored)
    assert {hash_code(c) for c in codes} == set(stored)


async def test_guardian_is_linked_with_their_children_named(db: str) -> None:
    school = await make_school()
    klass = await make_class(school)
    maja = await make_pupil(school, klass, "P1", "Maja")
    jan = await make_pupil(school, klass, "P2", "Jan")
    parent = await make_guardian(school, "G1", (maja, jan), language="pl")
    linked = await redeem(await invite_code(parent))
    assert linked.kind is InviteKind.GUARDIAN
    assert linked.children == ("Jan", "Maja")
    assert linked.language == "pl"
    assert (await Guardian.get(id=parent.id)).telegram_user_id == 501


async def test_staff_is_linked_with_their_role(db: str) -> None:
    school = await make_school()
    head = await make_staff(school, "H1", Role.ADMIN)
    linked = await redeem(await invite_code(head), user_id=777)
    assert (linked.kind, linked.role) == (InviteKind.STAFF, Role.ADMIN)
    assert (await Staff.get(id=head.id)).telegram_user_id == 777


async def test_code_works_once(db: str) -> None:
    school = await make_school()
    teacher = await make_staff(school, "T1")
    code = await invite_code(teacher)
    await redeem(code, user_id=1)
    with pytest.raises(InviteRefused):
        await redeem(code, user_id=2)
    assert (await Staff.get(id=teacher.id)).telegram_user_id == 1


async def test_expired_unknown_and_reissued_codes_are_refused_alike(db: str) -> None:
    school = await make_school()
    teacher = await make_staff(school, "T1")
    old = await issue_invite(teacher, now=NOW, ttl=timedelta(days=30))
    new = await issue_invite(teacher, now=NOW, ttl=timedelta(days=30))
    refusals = []
    for code, when in ((old, NOW), (new, NOW + timedelta(days=31)), ("x" * 22, NOW)):
        with pytest.raises(InviteRefused) as refused:
            await redeem(code, now=when)
        refusals.append(refused.value.message)
    assert len(set(refusals)) == 1  # the answer reveals nothing about why
    await redeem(new)


async def test_binding_only_in_a_private_chat(db: str) -> None:
    school = await make_school()
    teacher = await make_staff(school, "T1")
    code = await invite_code(teacher)
    with pytest.raises(InviteNotInPrivateChat):
        await redeem(code, private_chat=False)
    assert await Invite.filter(used_at__isnull=False).count() == 0
    await redeem(code)


async def test_eleventh_failure_is_refused_before_the_database(db: str) -> None:
    school = await make_school()
    code = await invite_code(await make_staff(school, "T1"))
    attempts = FailedAttempts()
    for _ in range(10):
        with pytest.raises(InviteRefused):
            await redeem("wrong-code-" + "x" * 12, attempts=attempts)
    await Invite.all().delete()  # if the next call reached the database it would say "refused"
    with pytest.raises(TooManyAttempts):
        await redeem(code, attempts=attempts)
    with pytest.raises(InviteRefused):
        await redeem("wrong-code-" + "x" * 12, user_id=502, attempts=attempts)


def test_failures_expire_after_five_minutes() -> None:
    attempts = FailedAttempts()
    for second in range(10):
        attempts.record(1, now=1000.0 + second)
    assert attempts.blocked(1, now=1010.0)
    assert not attempts.blocked(1, now=1000.0 + 9 + 301)
    assert not attempts.blocked(2, now=1010.0)


async def test_a_new_code_moves_the_link_to_the_new_phone(db: str) -> None:
    school = await make_school()
    teacher = await make_staff(school, "T1")
    await redeem(await invite_code(teacher), user_id=1)
    await redeem(await invite_code(teacher), user_id=2)
    assert (await Staff.get(id=teacher.id)).telegram_user_id == 2
