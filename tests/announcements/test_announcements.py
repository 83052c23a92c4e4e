"""School announcements: who may send them to whom, what families get, what the sender sees."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.app import MentorApplication
from bot.config import Settings
from bot.emulator import BotApiEmulator
from bot.i18n import gettext, use_locale
from models import (
    Announcement,
    AnnouncementRecipient,
    AnnouncementTemplate,
    AuditEntry,
    ChatFlow,
    Guardian,
    Notification,
    School,
    UserPreference,
)
from models.announcements.reading import acknowledge_announcement, announcement_for
from models.announcements.report import (
    NobodyToRemind,
    RemindedRecently,
    announcement_status,
    recent_announcements,
    remind_unseen,
)
from models.announcements.sending import (
    AnnouncementEmpty,
    AnnouncementTooLong,
    Audience,
    Draft,
    NobodyToReach,
    TemplateGone,
    check_audience,
    reach,
    send_announcement,
)
from models.announcements.templates import import_templates
from models.common.enums import AudienceKind, NotificationState, UpdateFrequency
from models.common.errors import NotAllowed
from models.common.translation import TranslatorUnavailable, load_translator
from models.delivery.policy import Hold, hold_for
from models.people.access import resolve_actor
from scheduler.delivery import deliver_due
from tests.announcements.announcement_world import (
    ASSISTANT,
    EWA,
    HEAD,
    NOW,
    OLGA,
    PIOTR,
    TEACHER,
    TEACHER4,
    BracketTranslator,
    World,
    build_world,
    deliver,
    in_polish,
    other_school_class,
    paused_bot,
)
from tests.app.test_cli import ROOT
from tests.harness import dialog
from tests.querycount import count_queries

LONDON = ZoneInfo("Europe/London")
CLASS, YEAR, SCHOOL = AudienceKind.CLASS, AudienceKind.YEAR, AudienceKind.SCHOOL


@pytest.fixture
async def world(db: str) -> World:
    return await build_world()


@pytest.fixture
async def app(db: str, emulator: BotApiEmulator) -> AsyncIterator[MentorApplication]:
    async with paused_bot(emulator, db) as application:
        yield application


async def send(user: int, audience: Audience, text: str = "Snow day", **options: object) -> int:
    actor = await resolve_actor(user)
    draft = Draft(audience, text, **options)  # type: ignore[arg-type]
    return (await send_announcement(actor, draft, now=NOW)).announcement_id


async def rows_by_guardian(announcement_id: int) -> dict[int, tuple[str, str]]:
    rows = await Notification.filter(
        idempotency_key__startswith=f"ann-{announcement_id}-g", kind="announcement"
    ).values_list("guardian_id", "state", "idempotency_key")
    return {guardian: (str(state), key) for guardian, state, key in rows}


async def recipients(announcement_id: int) -> set[int]:
    return set(
        await AnnouncementRecipient.filter(announcement_id=announcement_id).values_list(
            "guardian_id", flat=True
        )
    )


# Whom it reaches


async def test_a_class_announcement_reaches_each_family_once_and_counts_the_rest(
    world: World,
) -> None:
    teacher = await resolve_actor(TEACHER)
    audience = Audience(CLASS, str(world.c3))
    preview = await reach(teacher, audience, critical=False)
    # Ewa (two children in 3B) once; Piotr muted; Anna not in Telegram; Kasia gets no reports;
    # Bob's child has left.
    assert (preview.families, preview.muted, preview.unreachable, preview.not_in_telegram) == (
        1,
        1,
        0,
        1,
    )
    assert preview.languages == {"pl"}
    announcement_id = await send(TEACHER, audience)
    assert await recipients(announcement_id) == {world.ewa, world.piotr}
    assert await rows_by_guardian(announcement_id) == {
        world.ewa: ("pending", f"ann-{announcement_id}-g{world.ewa}")
    }
    audit = await AuditEntry.get(action="announcement_sent")
    assert audit.details == {
        "audience": "class",
        "families": 1,
        "muted": 1,
        "unreachable": 0,
        "critical": False,
    }


async def test_a_year_group_and_the_whole_school_count_the_unreachable_without_queuing(
    world: World,
) -> None:
    year4 = await send(HEAD, Audience(YEAR, "4"))
    assert await recipients(year4) == {world.ewa, world.olga, world.zofia}
    rows = await rows_by_guardian(year4)
    assert {g: state for g, (state, _key) in rows.items()} == {
        world.ewa: "pending",
        world.olga: "pending",
        world.zofia: "dead",  # blocked the bot: counted, never sent
    }
    school = await send(HEAD, Audience(SCHOOL))
    assert await recipients(school) == {world.ewa, world.olga, world.piotr, world.zofia}
    assert len(await rows_by_guardian(school)) == 3  # Piotr muted


async def test_a_critical_announcement_reaches_those_who_muted(world: World) -> None:
    head = await resolve_actor(HEAD)
    audience = Audience(CLASS, str(world.c3))
    assert (await reach(head, audience, critical=True)).muted == 0
    announcement_id = await send(HEAD, audience, critical=True)
    rows = await rows_by_guardian(announcement_id)
    assert set(rows) == {world.ewa, world.piotr}


async def test_nobody_to_reach_sends_nothing(world: World) -> None:
    await Guardian.filter(id=world.ewa).update(unreachable_at=NOW)
    with pytest.raises(NobodyToReach):
        await send(TEACHER, Audience(CLASS, str(world.c3)))
    assert await Announcement.all().count() == 0


# Who may send to whom


@pytest.mark.parametrize(
    ("user", "kind", "ref"),
    [
        (TEACHER, CLASS, "c4"),  # another teacher's class
        (TEACHER, YEAR, "3"),
        (TEACHER, SCHOOL, ""),
        (ASSISTANT, CLASS, "c3"),  # assistants do not announce
        (EWA, CLASS, "c3"),  # nor do parents
        (HEAD, CLASS, "other"),  # a class in another school
        (HEAD, CLASS, "99999"),
        (HEAD, YEAR, "7"),
        (HEAD, SCHOOL, "3"),
    ],
)
async def test_nobody_crosses_the_line(
    world: World, user: int, kind: AudienceKind, ref: str
) -> None:
    refs = {"c3": str(world.c3), "c4": str(world.c4), "other": str(await other_school_class())}
    audience = Audience(kind, refs.get(ref, ref))
    actor = await resolve_actor(user)
    with pytest.raises(NotAllowed):
        await check_audience(actor, audience.kind, audience.ref)
    with pytest.raises(NotAllowed):
        await reach(actor, audience, critical=False)
    with pytest.raises(NotAllowed):
        await send_announcement(actor, Draft(audience, "Hello"), now=NOW)
    assert await Announcement.all().count() == 0
    assert await Notification.all().count() == 0


async def test_only_senior_leaders_mark_an_announcement_critical(world: World) -> None:
    teacher = await resolve_actor(TEACHER)
    audience = Audience(CLASS, str(world.c3))
    with pytest.raises(NotAllowed):
        await reach(teacher, audience, critical=True)
    with pytest.raises(NotAllowed):
        await send_announcement(teacher, Draft(audience, "Lockdown", critical=True), now=NOW)
    assert await Announcement.all().count() == 0


async def test_bad_text_changes_nothing(world: World) -> None:
    audience = Audience(CLASS, str(world.c3))
    with pytest.raises(AnnouncementEmpty):
        await send(TEACHER, audience, " \n \n ")
    with pytest.raises(AnnouncementTooLong):
        await send(TEACHER, audience, "x" * 3001)
    with pytest.raises(TemplateGone):
        await send(TEACHER, audience, "", template_id=12345)
    assert await Announcement.all().count() == 0


async def test_paragraphs_are_kept_and_blank_runs_trimmed(world: World) -> None:
    announcement_id = await send(
        TEACHER, Audience(CLASS, str(world.c3)), "  Trip on Friday.  \n\n\n\nBring a coat.  "
    )
    assert (await Announcement.get(id=announcement_id)).text == "Trip on Friday.\n\nBring a coat."


# Translations


async def test_a_template_brings_its_translations_copied_at_send_time(world: World) -> None:
    template = await AnnouncementTemplate.create(
        school_id=world.school,
        key="snow",
        text="School is closed today because of snow.",
        translations={"pl": "Szkoła jest dziś zamknięta z powodu śniegu.", "en": "ignored"},
    )
    announcement_id = await send(
        HEAD, Audience(SCHOOL), "typed text is ignored", template_id=template.id
    )
    await AnnouncementTemplate.filter(id=template.id).update(translations={"pl": "changed"})
    announcement = await Announcement.get(id=announcement_id)
    assert announcement.text == "School is closed today because of snow."
    assert announcement.translations == {
        "pl": {"text": "Szkoła jest dziś zamknięta z powodu śniegu.", "machine": False}
    }


async def test_machine_translations_cover_the_readers_languages_and_failures_are_left_out(
    world: World,
) -> None:
    await UserPreference.create(telegram_user_id=OLGA, language="uk")
    head = await resolve_actor(HEAD)
    sent = await send_announcement(
        head, Draft(Audience(SCHOOL), "Trip on Friday"), now=NOW, translator=BracketTranslator()
    )
    announcement = await Announcement.get(id=sent.announcement_id)
    # Ewa reads Polish; Olga chose Ukrainian, which the translator cannot do; nobody else needs one.
    assert announcement.translations == {"pl": {"text": "[pl] Trip on Friday", "machine": True}}


async def test_a_template_is_never_machine_translated(world: World) -> None:
    template = await AnnouncementTemplate.create(
        school_id=world.school, key="trip", text="Trip on Friday", translations={}
    )
    head = await resolve_actor(HEAD)
    draft = Draft(Audience(SCHOOL), template_id=template.id)
    sent = await send_announcement(head, draft, now=NOW, translator=BracketTranslator())
    assert (await Announcement.get(id=sent.announcement_id)).translations == {}


# Reading and Seen


async def test_only_recipients_still_in_the_audience_read_it_and_press_seen(world: World) -> None:
    announcement_id = await send(TEACHER, Audience(CLASS, str(world.c3)), needs_ack=True)
    ewa, olga = await resolve_actor(EWA), await resolve_actor(OLGA)
    readable = await announcement_for(ewa, announcement_id)
    assert (readable.class_name, readable.seen) == ("3B", False)
    with pytest.raises(NotAllowed):
        await announcement_for(olga, announcement_id)
    with pytest.raises(NotAllowed):
        await acknowledge_announcement(olga, announcement_id, now=NOW)
    with pytest.raises(NotAllowed):
        await acknowledge_announcement(await resolve_actor(TEACHER), announcement_id, now=NOW)
    assert await acknowledge_announcement(ewa, announcement_id, now=NOW) is True
    assert await acknowledge_announcement(ewa, announcement_id, now=NOW) is False
    no_ack = await send(TEACHER, Audience(CLASS, str(world.c3)))
    with pytest.raises(NotAllowed):
        await acknowledge_announcement(ewa, no_ack, now=NOW)


# Quiet hours


async def test_quiet_hours_hold_a_routine_announcement_but_not_a_critical_one(db: str) -> None:
    await build_world(quiet_hours=True)
    # Ewa takes routine news in a daily digest: announcements are never folded into it.
    await UserPreference.create(telegram_user_id=EWA, updates=UpdateFrequency.DAILY)
    evening = datetime(2026, 11, 24, 21, 0, tzinfo=LONDON)
    morning = datetime(2026, 11, 25, 7, 30, tzinfo=LONDON)
    head = await resolve_actor(HEAD)
    for text, critical in (("Cake sale", False), ("Site closed", True)):
        draft = Draft(Audience(SCHOOL), text, critical=critical)
        await send_announcement(head, draft, now=evening)
    routine, critical_row = await Notification.filter(kind="announcement", chat_id=EWA).order_by(
        "id"
    )
    assert await hold_for(routine, now=evening) == Hold(morning, digest=False)
    assert await hold_for(critical_row, now=evening) is None
    reminder = Notification(
        school_id=routine.school_id, chat_id=EWA, kind="announcement_reminder", params={}
    )
    assert await hold_for(reminder, now=evening) == Hold(morning, digest=False)
    sent: list[tuple[int, str]] = []

    async def record(row: Notification) -> int:
        announcement = await Announcement.get(id=row.params["announcement_id"])
        sent.append((row.chat_id, announcement.text))
        return 1

    for _ in range(2):  # one row per chat at a time: the held one, then the critical one
        await deliver_due(record, now=evening, pace=0)
    assert sorted(sent) == [(EWA, "Site closed"), (OLGA, "Site closed"), (PIOTR, "Site closed")]
    assert (await Notification.get(id=routine.id)).due_at == morning
    sent.clear()
    await deliver_due(record, now=morning, pace=0)
    assert sorted(sent) == [(EWA, "Cake sale"), (OLGA, "Cake sale")]  # Piotr muted it


# The sender's view


async def test_counts_for_the_sender_in_a_fixed_number_of_queries(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = await resolve_actor(HEAD)
    await send(TEACHER, Audience(CLASS, str(world.c3)))
    first = await send(HEAD, Audience(SCHOOL), needs_ack=True)
    with count_queries(monkeypatch) as two:
        await recent_announcements(head)
    for _ in range(3):
        await send(HEAD, Audience(YEAR, "4"))
    await send(HEAD, Audience(CLASS, str(world.c4)))
    with count_queries(monkeypatch) as six:
        listing = await recent_announcements(head)
    assert two.count == six.count == 4
    assert len(listing) == 6
    # Teachers see their own only.
    assert [s.audience.kind for s in await recent_announcements(await resolve_actor(TEACHER))] == [
        CLASS
    ]
    await Notification.filter(idempotency_key=f"ann-{first}-g{world.ewa}").update(
        state=NotificationState.SENT
    )
    await acknowledge_announcement(await resolve_actor(EWA), first, now=NOW)
    status = await announcement_status(head, first)
    assert (
        status.recipients,
        status.delivered,
        status.waiting,
        status.seen,
        status.unreachable,
        status.muted,
    ) == (4, 1, 1, 1, 1, 1)
    with pytest.raises(NotAllowed):
        await announcement_status(await resolve_actor(TEACHER), first)
    with pytest.raises(NotAllowed):
        await recent_announcements(await resolve_actor(ASSISTANT))


async def test_a_reminder_goes_once_a_day_to_those_who_got_it_and_have_not_seen_it(
    world: World,
) -> None:
    head = await resolve_actor(HEAD)
    announcement_id = await send(HEAD, Audience(SCHOOL), needs_ack=True, critical=True)
    with pytest.raises(NobodyToRemind):  # nothing delivered yet
        await remind_unseen(head, announcement_id, now=NOW)
    await Notification.filter(kind="announcement", state=NotificationState.PENDING).update(
        state=NotificationState.SENT
    )
    await acknowledge_announcement(await resolve_actor(PIOTR), announcement_id, now=NOW)
    assert await remind_unseen(head, announcement_id, now=NOW) == 2  # Ewa and Olga
    reminders = await Notification.filter(kind="announcement_reminder").values_list(
        "guardian_id", "params"
    )
    assert sorted(g for g, _params in reminders) == sorted([world.ewa, world.olga])
    assert all(params["critical"] is True for _g, params in reminders)
    with pytest.raises(RemindedRecently):
        await remind_unseen(head, announcement_id, now=NOW + timedelta(hours=23))
    assert await Notification.filter(kind="announcement_reminder").count() == 2
    assert await remind_unseen(head, announcement_id, now=NOW + timedelta(hours=24)) == 2
    with pytest.raises(NotAllowed):  # not theirs
        await remind_unseen(await resolve_actor(TEACHER4), announcement_id, now=NOW)
    without_ack = await send(HEAD, Audience(SCHOOL))
    with pytest.raises(NotAllowed):
        await remind_unseen(head, without_ack, now=NOW)


async def test_delivery_fills_the_counts(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    for user in (EWA, OLGA):
        emulator.add_user(user, str(user), started=True)
    emulator.block(OLGA)
    announcement_id = await send(HEAD, Audience(SCHOOL), needs_ack=True)
    await deliver(app)
    status = await announcement_status(await resolve_actor(HEAD), announcement_id)
    # Ewa got it; Olga blocked the bot today and Zofia last week; Piotr muted it.
    assert (status.delivered, status.waiting, status.unreachable, status.muted) == (1, 0, 2, 1)


# Conversations


async def forged(emulator: BotApiEmulator, user_id: int, data: str) -> str | None:
    """Press `data` on the newest bot message in the chat, as a modified client can."""
    if not emulator.chat_log(user_id):
        await emulator.chat(user_id).send("/help")
    message = emulator.chat_log(user_id)[-1]
    query_id = await emulator.press_button(user_id, user_id, message.message_id, data, forged=True)
    await emulator.wait_for(lambda: query_id in emulator.callback_answers, what="the answer")
    return emulator.callback_answers[query_id][0]


def labels(emulator: BotApiEmulator, user_id: int) -> list[str]:
    """The button texts on the newest bot message in the chat."""
    return [text for row in emulator.chat_log(user_id)[-1].buttons for text, _data in row]


def started(emulator: BotApiEmulator, *users: int) -> None:
    for user in users:
        emulator.add_user(user, f"user{user}", started=True)


async def test_a_teacher_announces_to_their_class_and_sees_who_has_seen_it_in_counts(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    started(emulator, TEACHER, EWA, PIOTR)
    teacher = emulator.chat(TEACHER)
    await dialog(
        teacher,
        [
            ("/announce", "Who is the announcement for?"),
            ("[3B]", ["Announcement to 3B", "Type it in English:"]),
            (
                "Swimming on Thursday: please bring a towel & a cap.",
                [
                    "Announcement to 3B",
                    "Swimming on Thursday: please bring a towel & a cap.",
                    "It will reach 1 parent or carer.",
                    "1 parent or carer has muted routine announcements.",
                    "1 parent or carer is not in Telegram yet",
                ],
            ),
        ],
    )
    # Teachers have no "safeguarding-critical" toggle; year groups and the school are not theirs.
    assert labels(emulator, TEACHER) == ["⬜ Ask for 👍 Seen", "📤 Send", "✖️ Cancel"]
    await dialog(
        teacher,
        [
            ("[⬜ Ask for 👍 Seen]", "Announcement to 3B"),
            ("[📤 Send]", "Sent: it is on its way to 1 parent or carer."),
        ],
    )
    assert (await deliver(app)).sent == 1
    notice = emulator.chat_log(EWA)[-1]
    assert "📢 Oakfield Primary · 3B" in (notice.text or "")
    assert "towel &amp; a cap" in (notice.html or "")
    assert emulator.chat_log(PIOTR) == []  # muted
    seen = "👍 " + in_polish("Seen")
    assert labels(emulator, EWA) == [seen]  # no translation: typed, no translator
    await dialog(
        emulator.chat(EWA),
        [(f"[{seen}]", in_polish("Thank you! The school can see that you have read it."))],
    )
    assert labels(emulator, EWA) == ["✅ " + in_polish("Seen")]
    await dialog(
        teacher,
        [
            (
                "/announcements",
                ["Recent announcements", "1.", "3B", "Delivered: 1", "Seen: 1", "Muted: 1"],
            ),
            ("[1]", ["For 2 parents and carers:", "Unreachable: 0", "Waiting: 0"]),
        ],
    )
    # Everyone who got it has seen it: no reminder to offer.
    assert labels(emulator, TEACHER) == ["🔄 Refresh", "⬅️ All announcements"]
    await dialog(teacher, [("[🔄 Refresh]!", "Up to date.")])


async def test_a_ready_made_announcement_to_the_whole_school_reads_in_polish_on_request(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    school = await School.get(id=world.school)
    await import_templates(school, ROOT / "examples" / "announcement-templates.csv")
    started(emulator, HEAD, EWA, OLGA)
    head = emulator.chat(HEAD)
    await dialog(
        head,
        [
            ("/announce", "Who is the announcement for?"),
            (
                "[🏫 Whole school]",
                [
                    "Announcement to the whole school",
                    "Type it in English, or pick a ready-made one:",
                    "1. Friday is a non-uniform day.",
                    "3. School is closed today because of snow.",
                ],
            ),
            (
                "[3]",
                [
                    "School is closed today because of snow.",
                    "Ready-made translations:",
                    "Polski",
                    "It will reach 2 parents and carers.",
                ],
            ),
            ("[⬜ 🚨 Safeguarding-critical]", "does not wait for quiet hours"),
            ("[📤 Send]", "Sent: it is on its way to 3 parents and carers."),
        ],
    )
    await deliver(app)
    ewa = emulator.chat(EWA)
    english = "School is closed today because of snow."
    polish = "Z powodu śniegu szkoła jest dziś zamknięta."
    important = in_polish("Important message from {school}").format(school="Oakfield Primary")
    assert important in (ewa.messages[-1].text or "")
    assert english in (ewa.messages[-1].text or "")
    assert labels(emulator, EWA) == ["🌐 Polski"]  # Seen was not asked
    await dialog(ewa, [("[🌐 Polski]", polish)])
    assert english not in (ewa.messages[-1].text or "")
    assert in_polish("Machine translation") not in (ewa.messages[-1].text or "")
    await dialog(ewa, [("[🌐 English]", english)])
    assert labels(emulator, EWA) == ["🌐 Polski"]
    # Olga reads English: nothing to offer her. Nobody's message names anyone else.
    assert emulator.chat_log(OLGA)[-1].buttons == []
    assert "Ewa" not in (emulator.chat_log(OLGA)[-1].text or "")


async def test_a_machine_translation_is_labelled_as_one(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    settings = app.bot_data.settings
    app.bot_data.settings = settings.model_copy(
        update={"machine_translator": "tests.announcements.announcement_world:make_translator"}
    )
    started(emulator, HEAD, EWA)
    await dialog(
        emulator.chat(HEAD),
        [
            ("/announce", "Who is the announcement for?"),
            ("[Year 3]", "Type it in English"),
            ("Book fair after school today.", "Machine translations will be added for: Polski."),
            ("[📤 Send]", "Sent"),
        ],
    )
    await deliver(app)
    ewa = emulator.chat(EWA)
    await dialog(
        ewa,
        [("[🌐 Polski]", ["[pl] Book fair after school today.", in_polish("Machine translation")])],
    )


async def test_a_reminder_goes_only_to_those_who_have_not_seen_it_and_only_once_a_day(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    started(emulator, HEAD, EWA, OLGA)
    head = emulator.chat(HEAD)
    await dialog(
        head,
        [
            ("/announce", "Who is the announcement for?"),
            ("[Year 4]", "Announcement to Year 4"),
            (
                "Year 4 trip to the museum on Monday.",
                [
                    "It will reach 2 parents and carers.",
                    "1 parent or carer cannot be reached: they blocked the bot.",
                ],
            ),
            ("[⬜ Ask for 👍 Seen]", "Year 4 trip"),
            ("[📤 Send]", "Sent: it is on its way to 2 parents and carers."),
        ],
    )
    await deliver(app)
    await dialog(emulator.chat(OLGA), [("[👍 Seen]", "The school can see that you have read it.")])
    before = {EWA: len(emulator.chat_log(EWA)), OLGA: len(emulator.chat_log(OLGA))}
    await dialog(
        head,
        [
            ("/announcements", ["Year 4", "Delivered: 2", "Seen: 1", "Unreachable: 1"]),
            ("[1]", "For 3 parents and carers:"),
            (
                "[🔔 Remind those who have not seen it]",
                ["Reminder sent:", "A reminder is on its way to 1 parent or carer."],
            ),
        ],
    )
    assert "🔔 Remind those who have not seen it" not in labels(emulator, HEAD)
    await deliver(app)
    assert len(emulator.chat_log(OLGA)) == before[OLGA]
    assert len(emulator.chat_log(EWA)) == before[EWA] + 1
    reminder = emulator.chat_log(EWA)[-1].text or ""
    assert in_polish("Reminder: please press 👍 Seen to let the school know you have read it.") in (
        reminder
    )
    assert "Year 4 trip to the museum on Monday." in reminder
    announcement = await Announcement.get()
    answer = await forged(emulator, HEAD, f"v1:anr:{announcement.id}")
    assert answer == "A reminder already went in the last 24 hours."
    assert await Notification.filter(kind="announcement_reminder").count() == 1


async def test_a_parent_who_mutes_announcements_still_gets_a_critical_one(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    started(emulator, OLGA, EWA)
    olga = emulator.chat(OLGA)
    await dialog(
        olga,
        [
            ("/settings", "Safeguarding-critical announcements always come, even when muted."),
            (
                "[🔕 Mute routine school announcements]",
                [
                    "Routine school announcements are muted.",
                    "Routine announcements muted. Safeguarding-critical ones still come.",
                ],
            ),
        ],
    )
    assert await UserPreference.filter(telegram_user_id=OLGA, mute_routine=True).exists()
    routine = await send(HEAD, Audience(YEAR, "4"), "Cake sale")
    critical = await send(HEAD, Audience(YEAR, "4"), "Site closed: do not come in", critical=True)
    await deliver(app)
    texts = [m.text or "" for m in emulator.chat_log(OLGA)]
    assert not any("Cake sale" in text for text in texts)
    assert "Important message from Oakfield Primary" in texts[-1]
    head = await resolve_actor(HEAD)
    routine_counts = await announcement_status(head, routine)
    assert (routine_counts.delivered, routine_counts.muted) == (1, 1)  # Ewa got it, Olga muted
    assert (await announcement_status(head, critical)).delivered == 2
    await dialog(
        olga, [("[🔔 Turn routine announcements back on]", "Routine announcements are back on.")]
    )


async def test_forged_and_foreign_buttons_change_nothing(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    started(emulator, TEACHER, ASSISTANT, EWA, OLGA)
    not_for_you = "That is not available to you."
    stale = "This button is no longer active."
    for user, locale in ((ASSISTANT, "en"), (EWA, "pl")):  # Ewa reads Polish
        with use_locale(locale):
            refusal = gettext("Announcements are sent by teachers and senior leaders.")
        await dialog(emulator.chat(user), [("/announce", refusal), ("/announcements", refusal)])
    await dialog(emulator.chat(TEACHER), [("/announce", "Who is the announcement for?")])
    assert await forged(emulator, TEACHER, f"v1:ana:c:{world.c4}") == not_for_you
    assert await forged(emulator, TEACHER, "v1:ana:y:3") == not_for_you
    assert await forged(emulator, TEACHER, "v1:ana:s") == not_for_you
    assert await forged(emulator, TEACHER, "v1:ana:x:1") == stale
    assert await forged(emulator, ASSISTANT, f"v1:ana:c:{world.c3}") == not_for_you
    assert await ChatFlow.all().count() == 0
    await dialog(
        emulator.chat(TEACHER),
        [("[3B]", "Type it in English"), ("Sports day moved to Friday.", "It will reach")],
    )
    assert await forged(emulator, TEACHER, "v1:ano:crit") == not_for_you
    assert (await ChatFlow.get(chat_id=TEACHER)).data["critical"] is False
    await dialog(emulator.chat(TEACHER), [("[📤 Send]", "Sent")])
    assert await forged(emulator, TEACHER, "v1:ans") == stale  # a second Send sends nothing
    announcement = await Announcement.get()
    assert await Announcement.all().count() == 1
    await deliver(app)
    # Olga's child is in 4H: the 3B announcement is not hers to read, mark or be reminded of.
    assert await forged(emulator, OLGA, f"v1:anl:{announcement.id}:pl:a") == not_for_you
    assert await forged(emulator, OLGA, f"v1:ank:{announcement.id}:en:a") == not_for_you
    assert await forged(emulator, OLGA, f"v1:anr:{announcement.id}") == not_for_you
    assert await forged(emulator, EWA, f"v1:anl:{announcement.id}:xx:a") == in_polish(stale)
    assert await forged(emulator, EWA, "v1:anl:abc:pl:a") == in_polish(stale)
    assert await AnnouncementRecipient.filter(seen_at__not_isnull=True).count() == 0
    # Muting is for parents and carers: a teacher's forged press stores nothing.
    assert await forged(emulator, TEACHER, "v1:mute:on") == stale
    assert not await UserPreference.filter(telegram_user_id=TEACHER).exists()


async def test_bad_text_gets_a_clear_answer_and_the_draft_waits(
    app: MentorApplication, emulator: BotApiEmulator, world: World
) -> None:
    started(emulator, TEACHER)
    teacher = emulator.chat(TEACHER)
    await dialog(
        teacher,
        [
            ("/announce", "Who is the announcement for?"),
            ("[3B]", "Type it in English"),
            ("x" * 3001, "Please keep an announcement under 3000 characters."),
            ("Short and clear.", "It will reach 1 parent or carer."),
            ("[✖️ Cancel]", "Cancelled: nothing was sent."),
        ],
    )
    assert await Announcement.all().count() == 0
    assert await ChatFlow.all().count() == 0
    await dialog(
        teacher,
        [
            ("/announce", "Who is the announcement for?"),
            ("[✖️ Cancel]", "Cancelled: nothing was sent."),
        ],
    )


# The machine translation plug-in point


def broken_factory() -> object:
    raise RuntimeError("no API key")


def not_a_translator() -> object:
    return object()


@pytest.mark.parametrize(
    "path",
    [
        "tests.announcements.announcement_world",
        "tests.no_such_module:make",
        "tests.announcements.announcement_world:no_such_factory",
        "tests.announcements.test_announcements:broken_factory",
        "tests.announcements.test_announcements:not_a_translator",
    ],
)
def test_a_setting_that_names_no_translator_is_refused(path: str) -> None:
    with pytest.raises(TranslatorUnavailable):
        load_translator(path)


def test_the_translator_is_off_by_default_and_loaded_from_its_dotted_path() -> None:
    assert Settings(_env_file=None).machine_translator == ""  # type: ignore[call-arg]
    assert load_translator("") is None
    assert isinstance(
        load_translator("tests.announcements.announcement_world:make_translator"), BracketTranslator
    )
    with pytest.raises(ValidationError):
        Settings(_env_file=None, machine_translator="not a path")  # type: ignore[call-arg]
