"""Invite letters as a PDF: one page per family, in their language, with a QR code and the code."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
import zxingcpp
from pypdf import PdfReader

from bot.app import MentorApplication
from bot.documents.invite_letters import EXPIRY_FORMAT, render_invite_letters
from bot.emulator import BotApiEmulator
from bot.i18n import _, choose_locale, format_date, use_locale
from handlers.common.texts import not_linked_text
from models import AuditEntry, Guardian, Invite, School, SchoolClass, Staff
from models.common.errors import InviteRefused, NotAllowed
from models.people import invitations
from models.people.access import resolve_actor
from models.people.invitations import FailedAttempts, redeem_invite
from models.people.invite_codes import grouped, new_code
from models.people.invite_letters import LetterBatch, issue_invites, issue_letters, letters_to_issue
from models.people.roster import import_roster
from tests.app.test_cli import run_cli
from tests.clock import Clock
from tests.factories import NOW, make_class, make_school
from tests.harness import BOT_USERNAME, dialog
from tests.records.document_world import uncovered

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "roster"
TTL = timedelta(days=30)
HEAD = 100
# Twelve families get reports (the grandmother does not); Ewa's letter goes home with Kacper
# (Reception), the youngest of her two.
FAMILIES = 12
BY_CLASS = {"RB": 4, "3B": 4, "4H": 4}


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
    await Staff.filter(external_id="ST01").update(telegram_user_id=HEAD)
    return school


async def letters(school: School, class_name: str | None = None) -> LetterBatch:
    class_id = None
    if class_name:
        class_id = (await SchoolClass.get(school=school, name=class_name)).id
    return await issue_invites(
        school, now=NOW, ttl=TTL, bot_username=BOT_USERNAME, class_id=class_id, staff=False
    )


def pages(data: bytes) -> list[str]:
    """Each page's text, with line breaks as spaces (a name may wrap onto the next line)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


async def redeem(code: str, user_id: int) -> None:
    await redeem_invite(code, user_id, private_chat=True, now=NOW, attempts=FailedAttempts())


async def test_one_page_per_family_in_their_own_language(school: School) -> None:
    batch = await letters(school)

    texts = pages(render_invite_letters(batch))

    assert len(texts) == len(batch.letters) == FAMILIES
    for letter, text in zip(batch.letters, texts, strict=True):
        assert letter.guardian_name in text
        for child in letter.children:
            assert child in text
        assert grouped(letter.code) in text
        assert letter.link in text
        assert "Oakfield Primary" in text
        assert not uncovered(text)
        locale = choose_locale(letter.language, batch.default_locale)
        with use_locale(locale):
            if locale in ("en", "pl", "ro", "uk"):
                assert format_date(batch.expires_on, EXPIRY_FORMAT) in text, locale
            elif locale == "ar":  # right to left: the month reads back, the order differs
                assert format_date(batch.expires_on, "MMMM") in text
    languages = {choose_locale(letter.language, "en") for letter in batch.letters}
    assert languages == {"en", "pl", "ro", "ur", "ar", "uk"}
    ewa = next(letter for letter in batch.letters if letter.guardian_name == "Ewa Nowak")
    assert ewa.children == ("Kacper Nowak", "Maja Nowak")


async def test_each_qr_code_reads_back_as_the_familys_link(school: School) -> None:
    batch = await letters(school)
    reader = PdfReader(io.BytesIO(render_invite_letters(batch)))

    for letter, page in zip(batch.letters, reader.pages, strict=True):
        (image,) = page.images
        (decoded,) = zxingcpp.read_barcodes(image.image)
        assert decoded.text == letter.link
        assert decoded.format == zxingcpp.BarcodeFormat.QRCode


async def test_a_class_gets_the_letters_of_the_families_whose_youngest_is_in_it(
    school: School,
) -> None:
    counts = {name: len((await letters(school, name)).letters) for name in BY_CLASS}

    assert counts == BY_CLASS
    assert sum(counts.values()) == FAMILIES
    reception = await letters(school, "RB")
    third = await letters(school, "3B")
    # Printing 3B after Reception leaves Reception's letters working: nobody is in both.
    assert not {g.guardian_name for g in reception.letters} & {
        g.guardian_name for g in third.letters
    }
    for user_id, letter in enumerate(reception.letters, start=5000):
        await redeem(letter.code, user_id)


async def test_letters_reissue_codes_only_for_those_not_yet_linked(school: School) -> None:
    staff_codes = await issue_invites(school, now=NOW, ttl=TTL, bot_username=BOT_USERNAME)
    first = await letters(school)
    ewa = next(letter for letter in first.letters if letter.guardian_name == "Ewa Nowak")
    await redeem(ewa.code, 2001)

    second = await letters(school)

    assert "Ewa Nowak" not in {letter.guardian_name for letter in second.letters}
    assert len(second.letters) == FAMILIES - 1
    with pytest.raises(InviteRefused):  # the earlier letter's code was replaced
        await redeem(first.letters[-1].code, 2002)
    await redeem(second.letters[-1].code, 2002)
    # Letters are for families: the staff codes issued before still work.
    staff_row = next(row for row in staff_codes.rows if row.kind.value == "staff")
    await redeem(staff_row.code, 2003)
    assert (await Guardian.get(external_id="C001")).telegram_user_id == 2001


async def test_only_senior_leaders_issue_letters(school: School) -> None:
    await Staff.filter(external_id="ST02").update(telegram_user_id=103)
    await Guardian.filter(external_id="C001").update(telegram_user_id=301)
    for user in (103, 301):
        actor = await resolve_actor(user)
        with pytest.raises(NotAllowed):
            await letters_to_issue(actor, None)
        with pytest.raises(NotAllowed):
            await issue_letters(actor, None, now=NOW, ttl=TTL, bot_username=BOT_USERNAME)
    elsewhere = await make_class(await make_school("Elsewhere Primary"), "3B")
    with pytest.raises(NotAllowed):
        await letters_to_issue(await resolve_actor(HEAD), elsewhere.id)
    assert not await Invite.exists()


async def test_an_empty_batch_still_makes_a_page(db: str) -> None:
    school = await make_school()

    batch = await letters(school)

    (text,) = pages(render_invite_letters(batch))
    assert "no letters to print" in text


async def test_a_senior_leader_makes_a_class_s_letters_in_chat(
    bot: MentorApplication, emulator: BotApiEmulator, school: School
) -> None:
    emulator.add_user(HEAD, "Helen")
    chat = emulator.chat(HEAD)
    await dialog(
        chat,
        [
            ("/letters", "which class?"),
            ("[3B]", ["4 families are not linked yet", "will stop working"]),
        ],
    )
    replies = await chat.press("🖨 Make the letters")

    (document,) = [m.document for m in replies if m.document]
    assert document.filename == "invite-letters.pdf"
    texts = pages(document.data)
    assert len(texts) == BY_CLASS["3B"]
    assert any("Imran Hussain" in text for text in texts)
    entry = await AuditEntry.get(action="invites_issued")
    head = await Staff.get(external_id="ST01")
    assert (entry.actor_kind, entry.actor_id) == ("staff", head.id)
    assert entry.details["guardians"] == BY_CLASS["3B"]
    assert await Invite.filter(revoked_at=None).count() == BY_CLASS["3B"]


async def test_a_teacher_is_told_letters_are_for_senior_leaders(
    bot: MentorApplication, emulator: BotApiEmulator, school: School
) -> None:
    await Staff.filter(external_id="ST02").update(telegram_user_id=103)
    emulator.add_user(103, "Amira")
    await dialog(emulator.chat(103), [("/letters", "This command is for senior leaders.")])
    assert not await Invite.exists()


@pytest.fixture
def codes_with_a_0_and_a_1(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every new code holds a 0 and a 1, so a test can type them as O and l."""

    def drawn() -> str:
        code = new_code()
        return code[:5] + "0" + code[6:12] + "1" + code[13:]

    monkeypatch.setattr(invitations, "new_code", drawn)


def welcome_for_ewa(emulator: BotApiEmulator) -> str:
    emulator.add_user(301, "Ewa")
    with use_locale("pl"):
        welcome = _("Welcome, {name}! You are now linked as a parent or carer of {children}.")
    return welcome.split("{")[0]


async def test_a_parent_types_the_code_from_her_letter_as_she_reads_it(
    bot: MentorApplication,
    emulator: BotApiEmulator,
    school: School,
    clock: Clock,
    codes_with_a_0_and_a_1: None,
) -> None:
    clock.travel(NOW + timedelta(days=1))  # the letters went home yesterday; codes last 30 days
    batch = await letters(school)
    texts = pages(render_invite_letters(batch))
    ewa, text = next(
        (letter, text)
        for letter, text in zip(batch.letters, texts, strict=True)
        if letter.guardian_name == "Ewa Nowak"
    )
    words = text.split()
    printed = words[words.index("/start") + 1 :][:7]  # 26 symbols in groups of four
    assert [len(group) for group in printed] == [4, 4, 4, 4, 4, 4, 2]
    assert "".join(printed) == ewa.code

    # Small letters, the spaces kept, an O for each 0 and an l for each 1.
    typed = " ".join(printed).lower().replace("0", "o").replace("1", "l")
    assert "o" in typed
    assert "l" in typed
    welcome = welcome_for_ewa(emulator)
    await dialog(emulator.chat(301), [(f"/start {typed}", welcome)])
    assert (await Guardian.get(external_id="C001")).telegram_user_id == 301


async def test_the_qr_code_on_a_letter_still_links_the_family(
    bot: MentorApplication, emulator: BotApiEmulator, school: School, clock: Clock
) -> None:
    clock.travel(NOW + timedelta(days=1))
    batch = await letters(school)
    reader = PdfReader(io.BytesIO(render_invite_letters(batch)))
    page = next(
        page
        for letter, page in zip(batch.letters, reader.pages, strict=True)
        if letter.guardian_name == "Ewa Nowak"
    )
    (image,) = page.images
    (decoded,) = zxingcpp.read_barcodes(image.image)
    link, parameter = decoded.text.split("?start=")
    assert link == f"https://t.me/{BOT_USERNAME}"

    # Pressing Start in the chat the link opens sends the parameter after /start.
    welcome = welcome_for_ewa(emulator)
    await dialog(emulator.chat(301), [(f"/start {parameter}", welcome)])
    assert (await Guardian.get(external_id="C001")).telegram_user_id == 301


def _cli_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite://{tmp_path / 'school.sqlite3'}",
        "TELEGRAM_BOT_USERNAME": BOT_USERNAME,
        "SCHOOL_NAME": "Oakfield Primary",
    }


def test_the_command_line_prints_a_class_s_letters(tmp_path: Path) -> None:
    env = _cli_env(tmp_path)
    imported = run_cli(
        "import-roster",
        "--staff",
        str(EXAMPLES / "staff.csv"),
        "--pupils",
        str(EXAMPLES / "pupils.csv"),
        "--contacts",
        str(EXAMPLES / "contacts.csv"),
        env=env,
        cwd=tmp_path,
    )
    assert imported.returncode == 0, imported.stderr

    done = run_cli("invites", "--letters", "letters.pdf", "--class", "3b", env=env, cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "Wrote 4 invite letters to letters.pdf." in done.stdout
    out = tmp_path / "letters.pdf"
    assert len(pages(out.read_bytes())) == BY_CLASS["3B"]
    assert os.stat(out).st_mode & 0o077 == 0  # it holds live codes

    both = run_cli("invites", "--out", "invites.csv", "--letters", "all.pdf", env=env, cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    csv_text = (tmp_path / "invites.csv").read_text(encoding="utf-8-sig")
    letter_texts = pages((tmp_path / "all.pdf").read_bytes())
    assert len(letter_texts) == FAMILIES
    assert csv_text.count("\nstaff,") == 5  # staff codes go to the CSV, not to letters
    for text in letter_texts:  # one issue: the letters carry the CSV's codes
        link = next(word for word in text.split() if word.startswith("https://t.me/"))
        assert link in csv_text


def test_the_command_line_explains_what_it_needs(tmp_path: Path) -> None:
    env = _cli_env(tmp_path)
    nothing = run_cli("invites", env=env, cwd=tmp_path)
    assert nothing.returncode == 2
    assert "--letters letters.pdf" in nothing.stderr
    unknown = run_cli("invites", "--letters", "x.pdf", "--class", "9Z", env=env, cwd=tmp_path)
    assert unknown.returncode == 2
    assert "There is no class called 9Z." in unknown.stderr
    assert not (tmp_path / "x.pdf").exists()


async def test_the_code_typed_on_its_own_without_start_links_the_family_too(
    bot: MentorApplication, emulator: BotApiEmulator, school: School, clock: Clock
) -> None:
    clock.travel(NOW + timedelta(days=1))
    batch = await letters(school)
    ewa = next(letter for letter in batch.letters if letter.guardian_name == "Ewa Nowak")
    welcome = welcome_for_ewa(emulator)
    chat = emulator.chat(301)
    await dialog(chat, [("hello", not_linked_text())])  # chatter is not taken for a code
    await dialog(chat, [(grouped(ewa.code, " ").lower(), welcome)])
    assert (await Guardian.get(external_id="C001")).telegram_user_id == 301
