"""Invite codes: random, typeable, hashed, single use, expiring, private, rate limited."""

from __future__ import annotations

import math
import re
from datetime import timedelta

import pytest

from models import Guardian, Invite, Staff
from models.common.enums import InviteKind, Role
from models.common.errors import InviteNotInPrivateChat, InviteRefused, TooManyAttempts
from models.people.invitations import FailedAttempts, issue_invite, redeem_invite
from models.people.invite_codes import ALPHABET, canonical_code, grouped, hash_code, new_code
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


async def test_code_is_random_crockford_base32_and_only_its_hash_is_stored(db: str) -> None:
    school = await make_school()
    teacher = await make_staff(school, "T1")
    codes = {await invite_code(teacher) for _ in range(3)}
    assert len(codes) == 3
    for code in codes:
        # No I, L, O or U, one case: nothing on paper to mistake for something else.
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", code)
    assert len(ALPHABET) == 32
    assert 26 * math.log2(len(ALPHABET)) >= 128
    stored = await Invite.all().values_list("code_hash", flat=True)
    assert not codes & set(stored)
    assert {hash_code(c) for c in codes} == set(stored)


def test_a_code_is_read_as_a_person_types_it() -> None:
    code = "7WF2RC7Q0BFEEKGT1D7JHQ4M0X"
    typed = (
        "7wf2 rc7q 0bfe ekgt 1d7j hq4m 0x",  # lower case, spaced as on the letter
        "7WF2-RC7Q-0BFE-EKGT-1D7J-HQ4M-0X",
        "7WF2–RC7Q—0BFE EKGT\n1D7J HQ4M 0X",  # a phone's dashes, a line break
        "7WF2RC7QOBFEEKGTlD7JHQ4MoX",  # O for 0, l for 1
        "7WF2RC7Q0BFEEKGTID7JHQ4M0X",  # I for 1
        "٧WF٢RC٧Q٠BFEEKGT١D٧JHQ٤M٠X",  # Arabic-Indic digits
        "７ＷＦ２ＲＣ７Ｑ０ＢＦＥＥＫＧＴ１Ｄ７ＪＨＱ４Ｍ０Ｘ",  # full width
    )
    for text in typed:
        assert canonical_code(text) == code, text
    assert grouped(code) == "7WF2 RC7Q 0BFE EKGT 1D7J HQ4M 0X"
    for wrong in (
        code[:-1],  # a symbol short
        code + "Z",
        "U" + code[1:],  # U is not in the alphabet
        "7WF2_RC7Q_0BFE_EKGT_1D7J_HQ4M_0X",
        "ß" + code[2:],
        "",
    ):
        assert canonical_code(wrong) is None, wrong


async def test_a_code_typed_in_small_letters_with_spaces_and_look_alikes_works(db: str) -> None:
    school = await make_school()
    teacher = await make_staff(school, "T1")
    code = await invite_code(teacher)
    typed = grouped(code, " ").lower().replace("0", "o").replace("1", "l")

    await redeem(typed)

    assert (await Staff.get(id=teacher.id)).telegram_user_id == 501


async def test_a_code_issued_before_the_new_alphabet_works_until_it_expires(db: str) -> None:
    school = await make_school()
    teacher = await make_staff(school, "T1")
    parent = await make_guardian(school, "G1", ())
    # Codes used to be `secrets.token_urlsafe(16)`, printed in groups of four.
    old = {teacher: "-x2TzY5a1Q0bM9cD3eF7_w", parent: "Ab0lIo_7-ZZzz9qQ1uUrRs"}
    for person, code in old.items():
        await Invite.create(
            school_id=school.id,
            kind=InviteKind.STAFF if isinstance(person, Staff) else InviteKind.GUARDIAN,
            staff_id=person.id if isinstance(person, Staff) else None,
            guardian_id=person.id if isinstance(person, Guardian) else None,
            code_hash=hash_code(code),
            expires_at=NOW + timedelta(days=3),  # issued 27 days before the change
        )

    with pytest.raises(InviteRefused):  # exactly as issued: the old codes were case-sensitive
        await redeem(old[teacher].upper())
    await redeem(" ".join(old[teacher][i : i + 4] for i in range(0, 22, 4)))
    expiry = NOW + timedelta(days=3)
    with pytest.raises(InviteRefused):
        await redeem(old[parent], user_id=502, now=expiry + timedelta(seconds=1))
    await redeem(old[parent], user_id=502, now=expiry - timedelta(seconds=1))

    assert (await Staff.get(id=teacher.id)).telegram_user_id == 501
    assert (await Guardian.get(id=parent.id)).telegram_user_id == 502


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
    # Well-formed codes that match nothing count as much as text that is not a code at all.
    for wrong in [new_code() for _ in range(5)] + ["wrong-code-" + "x" * 12] * 5:
        with pytest.raises(InviteRefused):
            await redeem(wrong, attempts=attempts)
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
