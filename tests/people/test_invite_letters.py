"""Invite letters: fresh codes for everyone not yet linked, and the CSV the office prints from."""

from __future__ import annotations

import csv
import re
from datetime import timedelta
from pathlib import Path

import pytest

from models import Guardian, Invite, Pupil, School, Staff
from models.common.enums import InviteKind
from models.common.errors import InviteRefused
from models.people.invitations import FailedAttempts, redeem_invite
from models.people.invite_codes import hash_code
from models.people.invite_letters import InviteRow, issue_invites_for_unlinked, write_invites_csv
from models.people.roster import import_roster
from tests.factories import NOW, make_school

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "roster"
TTL = timedelta(days=30)
BOT = "oakfield_mentor_bot"
STAFF_BY_NAME = ["ST03", "ST02", "ST04", "ST05", "ST01"]  # Bennett, Khan, Okafor, Patel, Whitaker
# Carter Daniel, Carter Sarah, Haddad, Hussain, Ionescu, Kovalenko, Malik, Nowak, Popescu,
# Robinson, Thompson Kelly, Walker; the grandmother C009 receives no reports.
GUARDIANS_BY_NAME = [
    "C007",
    "C006",
    "C004",
    "C003",
    "C012",
    "C005",
    "C011",
    "C001",
    "C002",
    "C010",
    "C008",
    "C013",
]


@pytest.fixture
async def school(db: str) -> School:
    school = await make_school()
    await import_roster(
        school,
        staff=EXAMPLES / "staff.csv",
        pupils=EXAMPLES / "pupils.csv",
        contacts=EXAMPLES / "contacts.csv",
        now=NOW,
    )
    return school


async def issue(school: School) -> list[InviteRow]:
    return await issue_invites_for_unlinked(school, now=NOW, ttl=TTL, bot_username=BOT)


async def redeem(code: str, telegram_user_id: int) -> None:
    await redeem_invite(
        code, telegram_user_id, private_chat=True, now=NOW, attempts=FailedAttempts()
    )


async def test_one_row_per_unlinked_person_staff_first_then_guardians_by_name(
    school: School,
) -> None:
    rows = await issue(school)

    assert [(r.kind, r.person_id) for r in rows] == [
        *((InviteKind.STAFF, person_id) for person_id in STAFF_BY_NAME),
        *((InviteKind.GUARDIAN, person_id) for person_id in GUARDIANS_BY_NAME),
    ]
    assert rows[0].name == "Tom Bennett"
    assert all(r.link == f"https://t.me/{BOT}?start={r.code}" for r in rows)
    assert len({r.code for r in rows}) == len(rows)


async def test_linked_and_left_people_are_skipped(school: School) -> None:
    await Staff.filter(external_id="ST02").update(telegram_user_id=1001, linked_at=NOW)
    await Guardian.filter(external_id="C001").update(telegram_user_id=2001, linked_at=NOW)
    await Staff.filter(external_id="ST01").update(left_at=NOW)
    await Guardian.filter(external_id="C002").update(left_at=NOW)
    # Kelly Thompson's only child has left, so there is nothing to report to her.
    await Pupil.filter(external_id="P008").update(left_at=NOW)

    rows = await issue(school)

    ids = [r.person_id for r in rows]
    assert ids == [
        "ST03",
        "ST04",
        "ST05",
        *(g for g in GUARDIANS_BY_NAME if g not in {"C001", "C002", "C008"}),
    ]


async def test_a_guardian_without_reports_gets_no_letter(school: School) -> None:
    rows = await issue(school)

    assert "C009" not in {r.person_id for r in rows}
    assert not await Invite.filter(guardian__external_id="C009").exists()


async def test_reissuing_revokes_the_earlier_codes(school: School) -> None:
    first = {r.person_id: r.code for r in await issue(school)}
    second = {r.person_id: r.code for r in await issue(school)}

    with pytest.raises(InviteRefused):
        await redeem(first["C001"], 2001)
    await redeem(second["C001"], 2001)

    assert (await Guardian.get(external_id="C001")).telegram_user_id == 2001
    assert await Invite.filter(revoked_at=NOW).count() == len(first)
    assert await Invite.filter(revoked_at=None).count() == len(second)


async def test_a_person_who_redeemed_is_not_issued_again(school: School) -> None:
    first = {r.person_id: r.code for r in await issue(school)}
    await redeem(first["ST04"], 1004)

    again = await issue(school)

    assert "ST04" not in {r.person_id for r in again}
    assert len(again) == len(first) - 1


async def test_codes_are_long_typeable_and_only_their_hash_is_stored(school: School) -> None:
    rows = await issue(school)

    stored = await Invite.all().values()
    assert len(stored) == len(rows)
    hashes = {invite["code_hash"] for invite in stored}
    for row in rows:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", row.code)  # Crockford's base32
        assert hash_code(row.code) in hashes
        assert not any(row.code in str(value) for invite in stored for value in invite.values())


async def test_the_csv_has_a_bom_the_header_and_one_line_per_row(
    school: School, tmp_path: Path
) -> None:
    rows = await issue(school)
    out = tmp_path / "invites.csv"

    write_invites_csv(rows, out)

    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfkind,person_id,name,code,link\r\n")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert [r["person_id"] for r in read] == [r.person_id for r in rows]
    assert read[0] == {
        "kind": "staff",
        "person_id": "ST03",
        "name": "Tom Bennett",
        "code": rows[0].code,
        "link": rows[0].link,
    }
    assert out.stat().st_mode & 0o077 == 0


def test_the_csv_keeps_roster_text_as_text_in_excel(tmp_path: Path) -> None:
    code = "-x2TzY5a1Q0bM9cD3eF7gHw"
    rows = [
        InviteRow(
            InviteKind.GUARDIAN, "=cmd", "@SUM(A1) Nowak", code, f"https://t.me/b?start={code}"
        )
    ]
    out = tmp_path / "invites.csv"

    write_invites_csv(rows, out)

    with out.open(encoding="utf-8-sig", newline="") as handle:
        read = next(csv.DictReader(handle))
    assert (read["person_id"], read["name"]) == ("'=cmd", "'@SUM(A1) Nowak")
    # The code must stay exactly as issued, or it could not be typed in.
    assert read["code"] == code


async def test_an_empty_school_writes_just_the_header(db: str, tmp_path: Path) -> None:
    school = await make_school()
    out = tmp_path / "invites.csv"

    write_invites_csv(await issue(school), out)

    assert out.read_bytes() == b"\xef\xbb\xbfkind,person_id,name,code,link\r\n"
