"""The mentoring sheet PDF: the teacher's copy before the meeting, the family's after it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import MentorApplication
from bot.documents.mentoring_sheet import render_mentoring_sheet, sheet_filename
from bot.emulator import BotApiEmulator
from bot.i18n import SHIPPED_LOCALES, _, use_locale
from models import Notification, Slot
from models.assessment.assessing import record_assessment
from models.common.enums import Area, NotificationState
from models.common.errors import NotAllowed
from models.meetings.sheet import family_sheet, staff_sheet
from models.people.access import resolve_actor
from models.targets.targeting import set_target
from tests.harness import dialog, running_bot
from tests.meetings.family_world import deliver_all
from tests.querycount import count_queries
from tests.records.document_world import (
    ADAM,
    AMIRA,
    ASSISTANT,
    AT_HOME,
    BEN,
    BILAL,
    CAPITALS,
    CHILD_VOICE,
    EWA,
    FOURS,
    HEAD,
    HELPER,
    NOTES,
    PHONICS,
    PIOTR,
    READS_ALOUD,
    RESTRICTED,
    STAFF_NOTE,
    ZONE,
    DocumentWorld,
    build_world,
    hold_meeting,
    page_count,
    pdf_text,
    uncovered,
)


@pytest.fixture
async def world(db: str) -> DocumentWorld:
    return await build_world()


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
async def test_the_teachers_copy_before_the_meeting(world: DocumentWorld, locale: str) -> None:
    sheet = await staff_sheet(await resolve_actor(AMIRA), world.maja_booking)
    pdf = render_mentoring_sheet(sheet, locale)

    text = pdf_text(pdf)
    for shown in ("Maja Nowak", "3B", "Amira Khan", CAPITALS, FOURS, PHONICS, HELPER):
        assert shown in text, shown
    assert not uncovered(text)
    assert not sheet.held
    assert sheet.staff_notes == ""  # lines to write on, not a hidden note
    assert [t.text for t in sheet.reviewed] == [CAPITALS, FOURS]
    writing = next(a for a in sheet.areas if a.area is Area.WRITING)
    assert (writing.band, writing.own_band, writing.expected) == ("towards", "expected", "expected")
    assert sheet_filename(sheet).startswith("mentoring-sheet-maja-nowak-")


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
async def test_the_familys_copy_after_the_meeting_has_no_staff_notes(
    world: DocumentWorld, locale: str
) -> None:
    record_id = await hold_meeting(world)

    sheet = await family_sheet(await resolve_actor(EWA), record_id)
    text = pdf_text(render_mentoring_sheet(sheet, locale))

    assert sheet.staff_notes is None
    assert STAFF_NOTE not in text
    assert "nurse" not in text
    assert "dentist" not in text  # a judgement's staff-only note neither
    for shown in ("Maja Nowak", NOTES, CHILD_VOICE, CAPITALS, FOURS, READS_ALOUD, AT_HOME, PHONICS):
        assert shown in text, shown
    assert not uncovered(text)


@pytest.mark.parametrize("locale", ["pl", "uk", "ro"])
async def test_headings_are_in_the_readers_language(world: DocumentWorld, locale: str) -> None:
    record_id = await hold_meeting(world)
    sheet = await family_sheet(await resolve_actor(EWA), record_id)

    words = " ".join(pdf_text(render_mentoring_sheet(sheet, locale)).split())

    with use_locale(locale):
        for msgid in ("Targets reviewed", "New targets", "Reading", "Attitude to learning"):
            assert _(msgid) in words, msgid
            assert _(msgid) != msgid, "this heading has a translation"


async def test_the_teachers_copy_after_the_meeting_keeps_the_staff_notes(
    world: DocumentWorld,
) -> None:
    record_id = await hold_meeting(world)
    sheet = await staff_sheet(await resolve_actor(HEAD), world.maja_booking)

    text = pdf_text(render_mentoring_sheet(sheet, "en"))

    assert sheet.held
    assert sheet.staff_notes == STAFF_NOTE
    assert STAFF_NOTE in text
    assert [t.text for t in sheet.new_targets] == [FOURS, READS_ALOUD]
    assert {t.text: t.status.value for t in sheet.reviewed} == {
        CAPITALS: "achieved",
        FOURS: "carried_over",
    }
    assert record_id


async def test_who_may_have_which_copy(world: DocumentWorld) -> None:
    record_id = await hold_meeting(world)
    for user in (BEN, ASSISTANT, EWA, BILAL):  # another class, no meetings, families
        with pytest.raises(NotAllowed):
            await staff_sheet(await resolve_actor(user), world.maja_booking)
    # Another child's parent, a parent without reports, the separated father (his own
    # meetings are his), and staff, who have their own copy.
    for user in (BILAL, RESTRICTED, ADAM, AMIRA, HEAD):
        with pytest.raises(NotAllowed):
            await family_sheet(await resolve_actor(user), record_id)
    for user in (EWA, PIOTR):
        assert (await family_sheet(await resolve_actor(user), record_id)).held
    with pytest.raises(NotAllowed):
        await staff_sheet(await resolve_actor(AMIRA), 999_999)
    with pytest.raises(NotAllowed):
        await family_sheet(await resolve_actor(EWA), 999_999)


async def test_a_fuller_file_takes_no_more_queries(
    world: DocumentWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    amira = await resolve_actor(AMIRA)
    with count_queries(monkeypatch) as before:
        await staff_sheet(amira, world.maja_booking)
    now = datetime.now(UTC)
    await set_target(amira, world.maja, Area.ATTITUDE, "Asks for help when stuck", "", now=now)
    for area in (Area.ATTITUDE, Area.ATTENDANCE, Area.READING):
        await record_assessment(
            amira, world.maja, area, "good" if area is not Area.READING else "expected", now=now
        )
    with count_queries(monkeypatch) as after:
        await staff_sheet(amira, world.maja_booking)
    assert after.count == before.count <= 9


async def test_the_teacher_presses_for_the_sheet_on_today(
    bot: MentorApplication, emulator: BotApiEmulator, world: DocumentWorld
) -> None:
    emulator.add_user(AMIRA, "Amira")
    chat = emulator.chat(AMIRA)
    await dialog(chat, [("/today", "Maja Nowak")])
    at = (await Slot.get(bookings__id=world.maja_booking)).starts_at.astimezone(ZONE)
    replies = await chat.press(f"📄 {at:%H:%M}")

    (document,) = [m.document for m in replies if m.document]
    assert document.filename.startswith("mentoring-sheet-maja-nowak-")
    text = pdf_text(document.data)
    assert "Maja Nowak" in text
    assert CAPITALS in text
    assert page_count(document.data) >= 1


async def test_the_start_screen_offers_the_sheet_too(
    bot: MentorApplication, emulator: BotApiEmulator, world: DocumentWorld
) -> None:
    emulator.add_user(AMIRA, "Amira")
    chat = emulator.chat(AMIRA)
    await dialog(chat, [("/today", "Maja Nowak")])
    start = next(
        label for m in chat.messages for row in m.buttons for label, _data in row if "▶️" in label
    )
    await dialog(chat, [(f"[{start}]", "Did the family come?")])
    replies = await chat.press("📄 Mentoring sheet")

    assert next(m.document.filename for m in replies if m.document).endswith(".pdf")


async def test_a_forged_press_for_another_class_gets_nothing(
    bot: MentorApplication, emulator: BotApiEmulator, world: DocumentWorld
) -> None:
    emulator.add_user(BEN, "Ben")
    chat = emulator.chat(BEN)
    await dialog(chat, [("/help", "/today")])
    forged = f"v1:msh:{world.maja_booking}"
    query_id = await emulator.press_button(
        BEN, BEN, chat.messages[-1].message_id, forged, forged=True
    )
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")

    assert emulator.callback_answers[query_id] == (NotAllowed.message, True)
    assert not [m for m in chat.messages if m.document]


async def test_the_family_gets_the_sheet_after_the_summary_in_their_language(
    db: str, emulator: BotApiEmulator, world: DocumentWorld
) -> None:
    async with running_bot(emulator, db, over_http=False) as app:
        assert app.job_queue is not None
        for job in app.job_queue.jobs():
            job.enabled = False  # delivered by hand below, tick by tick
        for user_id, name in ((EWA, "Ewa"), (PIOTR, "Piotr"), (ADAM, "Adam")):
            emulator.add_user(user_id, name, started=True)
        await hold_meeting(world)
        await Notification.exclude(kind="meeting_summary").update(state=NotificationState.DEAD)
        await deliver_all(app)  # the summary, then its file a second later

    ewa = emulator.chat(EWA)
    (summary,) = [m for m in ewa.messages if "📝" in (m.text or "")]
    (sheet,) = [m.document for m in ewa.messages if m.document]
    assert ewa.messages.index(summary) < [m.document for m in ewa.messages].index(sheet)
    text = pdf_text(sheet.data)
    with use_locale("pl"):
        assert _("Targets reviewed") in text
    assert NOTES in text
    assert READS_ALOUD in text
    assert STAFF_NOTE not in text
    piotr = [m.document for m in emulator.chat(PIOTR).messages if m.document]
    assert len(piotr) == 1
    assert "Targets reviewed" in pdf_text(piotr[0].data)
    assert not [m for m in emulator.chat(ADAM).messages if m.document]
