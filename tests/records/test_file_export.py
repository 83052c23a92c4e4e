"""The mentoring file export: everything held about one pupil, for senior leaders only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import MentorApplication
from bot.documents.file_export import export_filename, render_file_export
from bot.emulator import BotApiEmulator
from bot.i18n import SHIPPED_LOCALES, _, use_locale
from handlers.common.menu import commands_for
from models import AuditEntry, Guardian, Pupil
from models.assessment.assessing import record_assessment
from models.common.enums import Area, Role
from models.common.errors import NotAllowed
from models.people.access import resolve_actor
from models.records.file_export import EXPORTED, export_pupil_file
from models.targets.targeting import set_target
from tests.factories import make_school, make_staff
from tests.harness import dialog
from tests.querycount import count_queries
from tests.records.document_world import (
    AMIRA,
    ASSISTANT,
    AT_HOME,
    CAPITALS,
    CHILD_VOICE,
    EWA,
    FOURS,
    HEAD,
    HELPER,
    NOTES,
    PHONICS,
    READS_ALOUD,
    STAFF_NOTE,
    DocumentWorld,
    build_world,
    hold_meeting,
    page_count,
    pdf_text,
    uncovered,
)

PHONE = "+44 7700 900123"


@pytest.fixture
async def world(db: str) -> DocumentWorld:
    built = await build_world()
    await hold_meeting(built)
    await Guardian.filter(telegram_user_id=EWA).update(phone=PHONE, email="ewa@example.org")
    return built


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
async def test_the_export_holds_the_whole_record(world: DocumentWorld, locale: str) -> None:
    export = await export_pupil_file(await resolve_actor(HEAD), world.maja, now=datetime.now(UTC))
    pdf = render_file_export(export, locale)

    text = pdf_text(pdf)
    for shown in (
        "Maja Nowak",
        "P1",
        "3B",
        "Ewa Nowak",
        "Piotr Nowak",
        "Adam Nowak",
        "mother",
        "Amira Khan",
        "Helen Khan",
        CAPITALS,
        FOURS,
        READS_ALOUD,
        AT_HOME,
        PHONICS,
        HELPER,
        NOTES,
        CHILD_VOICE,
        STAFF_NOTE,  # a subject access request covers staff notes: the leader reviews them
        "Late twice after the dentist",
        "Autumn meetings",
    ):
        assert shown in text, shown
    # Contact details are the guardians' own data, not the child's.
    assert PHONE not in text
    assert "ewa@example.org" not in text
    assert page_count(pdf) >= 2
    assert not uncovered(text)


async def test_pages_are_numbered_and_headed_with_the_school(world: DocumentWorld) -> None:
    export = await export_pupil_file(await resolve_actor(HEAD), world.maja, now=datetime.now(UTC))
    pdf = render_file_export(export, "pl")

    pages = page_count(pdf)
    text = pdf_text(pdf)
    with use_locale("pl"):
        for page in range(1, pages + 1):
            assert _("Page {page} of {pages}").format(page=page, pages=pages) in text
    assert text.count("Oakfield Primary") >= pages
    assert export_filename(export) == f"mentoring-file-maja-nowak-{export.generated_at.date()}.pdf"


async def test_what_the_export_records(world: DocumentWorld) -> None:
    export = await export_pupil_file(await resolve_actor(HEAD), world.maja, now=datetime.now(UTC))

    assert [g.name for g in export.guardians] == [
        "Ewa Nowak",
        "Piotr Nowak",
        "Kasia Nowak",  # receives no reports
        "Adam Nowak",
    ]
    assert [g.receives_reports for g in export.guardians] == [True, True, False, True]
    capitals = next(t for t in export.targets if t.text == CAPITALS)
    assert [(e.status.value, e.by) for e in capitals.events] == [
        ("active", "Amira Khan"),
        ("achieved", "Amira Khan"),
    ]
    assert [a.guardian for a in capitals.seen_by] == ["Ewa Nowak"]
    (meeting,) = export.meetings
    assert meeting.staff_notes == STAFF_NOTE
    assert [text for text, _status in meeting.reviewed] == [CAPITALS, FOURS]
    assert {"target_set", "meeting_recorded", "support_recorded"} <= {
        line.action for line in export.audit
    }
    assert export.exported_by == "Helen Khan"


async def test_each_export_is_audited_by_ids_only(world: DocumentWorld) -> None:
    head = await resolve_actor(HEAD)
    await export_pupil_file(head, world.maja, now=datetime.now(UTC))

    entry = await AuditEntry.get(action=EXPORTED)
    assert head.staff is not None
    assert (entry.actor_kind, entry.actor_id) == ("staff", head.staff.staff_id)
    assert (entry.subject_kind, entry.subject_id, entry.pupil_id) == (
        "pupil",
        world.maja,
        world.maja,
    )
    assert entry.details == {}
    # The next export lists the one before.
    again = await export_pupil_file(head, world.maja, now=datetime.now(UTC))
    assert again.audit[-1].action == EXPORTED


async def test_only_senior_leaders_of_the_school_may_export(world: DocumentWorld) -> None:
    for user in (AMIRA, ASSISTANT, EWA):  # her own teacher, an assistant, her mother
        with pytest.raises(NotAllowed):
            await export_pupil_file(await resolve_actor(user), world.maja, now=datetime.now(UTC))
    other = await make_school("Elsewhere Primary")
    await make_staff(other, "OH", Role.ADMIN, telegram_user_id=900)
    with pytest.raises(NotAllowed):
        await export_pupil_file(await resolve_actor(900), world.maja, now=datetime.now(UTC))
    assert not await AuditEntry.filter(action=EXPORTED).exists()


async def test_a_pupil_who_has_left_can_still_be_exported(world: DocumentWorld) -> None:
    await Pupil.filter(id=world.maja).update(left_at=datetime.now(UTC))

    export = await export_pupil_file(await resolve_actor(HEAD), world.maja, now=datetime.now(UTC))

    assert export.left_at is not None
    assert "Maja Nowak" in pdf_text(render_file_export(export, "en"))


async def test_a_longer_record_takes_no_more_queries(
    world: DocumentWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    head, amira = await resolve_actor(HEAD), await resolve_actor(AMIRA)
    with count_queries(monkeypatch) as before:
        await export_pupil_file(head, world.maja, now=datetime.now(UTC))
    now = datetime.now(UTC)
    await set_target(amira, world.maja, Area.ATTITUDE, "Asks for help when stuck", "", now=now)
    for area in (Area.ATTITUDE, Area.ATTENDANCE):
        await record_assessment(amira, world.maja, area, "good", now=now)
    with count_queries(monkeypatch) as after:
        await export_pupil_file(head, world.maja, now=datetime.now(UTC))
    assert after.count == before.count <= 20


async def test_a_senior_leader_exports_in_chat(
    bot: MentorApplication, emulator: BotApiEmulator, world: DocumentWorld
) -> None:
    emulator.add_user(HEAD, "Helen")
    chat = emulator.chat(HEAD)
    replies = await chat.send("/export maja")

    (document,) = [m.document for m in replies if m.document]
    assert document.filename.startswith("mentoring-file-maja-nowak-")
    assert STAFF_NOTE in pdf_text(document.data)
    assert await AuditEntry.filter(action=EXPORTED, subject_id=world.maja).count() == 1
    # Without a name: class, then pupil.
    await dialog(chat, [("/export", "Which class?"), ("[3B]", "Which pupil?")])
    replies = await chat.press("Zara Hussain")
    assert next(m.document.filename for m in replies if m.document).startswith(
        "mentoring-file-zara-hussain-"
    )


async def test_teachers_and_families_are_told_it_is_for_senior_leaders(
    bot: MentorApplication, emulator: BotApiEmulator, world: DocumentWorld
) -> None:
    for user, language in ((AMIRA, "en"), (EWA, "pl")):
        emulator.add_user(user, "Someone")
        with use_locale(language):
            refusal = _("This command is for senior leaders.")
        await dialog(emulator.chat(user), [("/export maja", refusal)])
    assert not await AuditEntry.filter(action=EXPORTED).exists()


async def test_the_menu_offers_export_and_letters_to_senior_leaders_only(
    world: DocumentWorld,
) -> None:
    head = [name for name, _text in commands_for(await resolve_actor(HEAD))]
    teacher = [name for name, _text in commands_for(await resolve_actor(AMIRA))]

    assert {"export", "letters"} <= set(head)
    assert not {"export", "letters"} & set(teacher)


async def test_a_forged_export_button_from_a_teacher_is_refused(
    bot: MentorApplication, emulator: BotApiEmulator, world: DocumentWorld
) -> None:
    emulator.add_user(AMIRA, "Amira")
    chat = emulator.chat(AMIRA)
    await dialog(chat, [("/help", "/today")])
    query_id = await emulator.press_button(
        AMIRA, AMIRA, chat.messages[-1].message_id, f"v1:xp:{world.maja}", forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")

    assert emulator.callback_answers[query_id] == (NotAllowed.message, True)
    assert not await AuditEntry.filter(action=EXPORTED).exists()
