"""Half-termly reminders: planned once per window from the calendar, delivered in each language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from bot.i18n import use_locale
from handlers.calendar import halfterm as halfterm_notices
from handlers.common.labels import area_label, band_label
from handlers.delivery import notices
from models import (
    Assessment,
    AuditEntry,
    Expectation,
    Guardian,
    GuardianLink,
    HalfTerm,
    Notification,
    Pupil,
    School,
    SchoolClass,
    Target,
    UserPreference,
)
from models.calendar.halfterm_reminders import plan_halfterm_reminders
from models.calendar.halfterm_review import NoLongerDue, family_summary, teacher_reminder
from models.calendar.term_calendar import store_calendar
from models.common.enums import Area, NotificationState, Role, TargetStatus, UpdateFrequency
from models.common.errors import NotAllowed
from models.people.access import resolve_actor
from scheduler.delivery import DeliveryResult, deliver_due
from tests.calendar.test_term_calendar import ENGLISH_2026_27, YEAR
from tests.factories import make_class, make_guardian, make_pupil, make_school, make_staff
from tests.harness import running_bot
from tests.querycount import count_queries

LONDON = ZoneInfo("Europe/London")
HEAD, TEACHER_3B, TEACHER_4H, ASSISTANT, EWA, OLGA, KASIA, PIOTR = (
    101, 103, 105, 104, 301, 305, 306, 307,
)  # fmt: skip


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON)


AUTUMN_2_ENDS = date(2026, 12, 18)  # a Friday; spring 1 starts on Monday 4 January
TEACHERS_FROM = london(date(2026, 12, 11), 8)
FAMILIES_FROM = london(AUTUMN_2_ENDS, 15, 30)
SPRING_STARTS = london(date(2027, 1, 4), 0)


@dataclass
class World:
    school: School
    maja: Pupil
    jan: Pupil
    zed: Pupil
    autumn_2: int  # the half-term's id


async def build_world(families: int = 0) -> World:
    """3B (Maja, Jan, and Ola who left) and 4H (Zed), their teachers and families.

    Ewa (Polish) has Maja and Jan; Olga has Zed; Kasia may not hear about Maja; Piotr never
    linked his Telegram; Zed's grandmother blocked the bot. `families` adds more children in 4H,
    each with a linked parent.
    """
    school = await make_school()
    await store_calendar(school.id, YEAR, ENGLISH_2026_27, actor_kind="system")
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    maja = await make_pupil(school, c3, "P1", "Maja")
    jan = await make_pupil(school, c3, "P2", "Jan")
    zed = await make_pupil(school, c4, "P3", "Zed")
    ola = await make_pupil(school, c3, "P4", "Ola")
    await Pupil.filter(id=ola.id).update(left_at=datetime(2026, 11, 1, tzinfo=UTC))
    await make_staff(school, "H", Role.ADMIN, first_name="Helen", telegram_user_id=HEAD)
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER_3B)
    await make_staff(
        school, "T4", Role.TEACHER, (c4,), first_name="Tom", telegram_user_id=TEACHER_4H
    )
    await make_staff(school, "A3", Role.ASSISTANT, (c3,), telegram_user_id=ASSISTANT)
    await make_staff(school, "T5", Role.TEACHER, (c4,), first_name="Sam")  # never linked
    await make_guardian(school, "G1", (maja, jan), language="pl", telegram_user_id=EWA)
    await make_guardian(school, "G2", (zed,), telegram_user_id=OLGA, first_name="Olga")
    await make_guardian(
        school, "G3", (maja,), receives_reports=False, telegram_user_id=KASIA, first_name="Kasia"
    )
    await make_guardian(school, "G4", (ola,), telegram_user_id=308, first_name="Ana")
    await make_guardian(school, "G5", (zed,), first_name="Piotr")
    gran = await make_guardian(school, "G6", (zed,), telegram_user_id=309, first_name="Gran")
    await Guardian.filter(id=gran.id).update(unreachable_at=datetime(2026, 10, 1, tzinfo=UTC))
    for n in range(families):
        child = await make_pupil(school, c4, f"X{n}", f"Child{n}")
        await make_guardian(school, f"GX{n}", (child,), telegram_user_id=5000 + n)
    autumn_2 = await HalfTerm.get(school_id=school.id, academic_year=YEAR, number=2)
    return World(school, maja, jan, zed, autumn_2.id)


@pytest.fixture
async def world(db: str) -> World:
    return await build_world()


async def queued(kind: str | None = None) -> list[tuple[str, int]]:
    rows = Notification.all() if kind is None else Notification.filter(kind=kind)
    return sorted(await rows.values_list("idempotency_key", "chat_id"))


# When each window opens and closes


async def test_nothing_is_planned_before_the_teachers_window(world: World) -> None:
    assert await plan_halfterm_reminders(now=TEACHERS_FROM - timedelta(minutes=1)) == 0
    assert await Notification.all().count() == 0
    assert await AuditEntry.filter(subject_kind="half_term").count() == 0


async def test_class_teachers_are_reminded_from_eight_a_week_before_the_end(world: World) -> None:
    assert await plan_halfterm_reminders(now=TEACHERS_FROM) == 2
    key = f"ht-teacher-{world.autumn_2}-s"
    staff = {s.telegram_user_id: s.id for s in await world.school.staff.all()}
    assert await queued() == sorted(
        [(f"{key}{staff[TEACHER_3B]}", TEACHER_3B), (f"{key}{staff[TEACHER_4H]}", TEACHER_4H)]
    )
    row = await Notification.get(chat_id=TEACHER_3B)
    assert (row.kind, row.params, row.due_at) == (
        "halfterm_teacher",
        {"half_term_id": world.autumn_2},
        TEACHERS_FROM,
    )
    assert row.guardian_id is None
    assert row.staff_id == staff[TEACHER_3B]


async def test_planning_again_or_after_a_restart_adds_nothing(world: World) -> None:
    assert await plan_halfterm_reminders(now=TEACHERS_FROM) == 2
    assert await plan_halfterm_reminders(now=TEACHERS_FROM) == 0
    await Notification.all().update(state=NotificationState.SENT)  # delivered, then a deploy
    for later in (timedelta(hours=1), timedelta(days=3)):
        assert await plan_halfterm_reminders(now=TEACHERS_FROM + later) == 0
    assert await Notification.all().count() == 2
    audit = await AuditEntry.get(action="halfterm_teachers_planned")
    assert (audit.actor_kind, audit.subject_id, audit.details) == (
        "system",
        world.autumn_2,
        {"queued": 2},
    )


async def test_a_window_missed_while_no_process_ran_is_planned_on_the_next_run(
    world: World,
) -> None:
    late = london(date(2026, 12, 16), 13)
    assert await plan_halfterm_reminders(now=late) == 2
    assert {row.due_at for row in await Notification.all()} == {late}


async def test_teachers_are_not_reminded_once_the_half_term_is_over(world: World) -> None:
    last_minute = london(AUTUMN_2_ENDS, 23, 59)
    assert await plan_halfterm_reminders(now=last_minute + timedelta(minutes=1)) == 3
    assert await queued("halfterm_teacher") == []
    assert len(await queued("halfterm_summary")) == 3


async def test_a_teachers_note_planned_at_night_waits_for_the_morning(world: World) -> None:
    await School.filter(id=world.school.id).update(quiet_starts="20:00", quiet_ends="07:30")
    night = london(date(2026, 12, 14), 22)
    assert await plan_halfterm_reminders(now=night) == 2
    assert {row.due_at for row in await Notification.all()} == {london(date(2026, 12, 15), 7, 30)}


async def test_families_hear_at_half_past_three_on_the_last_day(world: World) -> None:
    assert await plan_halfterm_reminders(now=FAMILIES_FROM - timedelta(minutes=1)) == 2
    assert await queued("halfterm_summary") == []
    assert await plan_halfterm_reminders(now=FAMILIES_FROM) == 3
    key = f"ht-summary-{world.autumn_2}"
    ewa, olga = await Guardian.get(telegram_user_id=EWA), await Guardian.get(telegram_user_id=OLGA)
    assert await queued("halfterm_summary") == sorted(
        [
            (f"{key}-p{world.maja.id}-g{ewa.id}", EWA),
            (f"{key}-p{world.jan.id}-g{ewa.id}", EWA),
            (f"{key}-p{world.zed.id}-g{olga.id}", OLGA),
        ]
    )
    row = await Notification.get(chat_id=OLGA)
    assert row.params == {"half_term_id": world.autumn_2, "pupil_id": world.zed.id}
    assert await plan_halfterm_reminders(now=FAMILIES_FROM + timedelta(days=5)) == 0


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (SPRING_STARTS - timedelta(minutes=1), 3),  # the last evening of the holiday
        (SPRING_STARTS, 0),  # the next half-term has begun: no longer news
    ],
)
async def test_families_are_told_until_the_next_half_term_starts(
    world: World, now: datetime, expected: int
) -> None:
    assert await plan_halfterm_reminders(now=now) == expected


async def test_the_summer_half_terms_windows_follow_british_summer_time(world: World) -> None:
    summer_1_ends = date(2027, 5, 28)
    summer_1 = await HalfTerm.get(number=5)
    assert summer_1.ends_on == summer_1_ends
    # 15:30 in London is 14:30 UTC in May; the teachers' week is still on until midnight.
    assert await plan_halfterm_reminders(now=datetime(2027, 5, 28, 14, 29, tzinfo=UTC)) == 2
    assert await plan_halfterm_reminders(now=datetime(2027, 5, 28, 14, 30, tzinfo=UTC)) == 3
    summaries = Notification.filter(idempotency_key__startswith=f"ht-summary-{summer_1.id}-")
    assert await summaries.count() == 3


async def test_after_the_last_half_term_families_hear_until_the_new_school_year(
    world: World,
) -> None:
    assert await plan_halfterm_reminders(now=london(date(2027, 9, 1), 0)) == 0
    assert await plan_halfterm_reminders(now=london(date(2027, 8, 31), 23, 59)) == 3


async def test_a_school_without_term_dates_gets_no_reminders(db: str) -> None:
    school = await make_school()
    c3 = await make_class(school, "3B")
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=TEACHER_3B)
    await make_guardian(school, "G1", (await make_pupil(school, c3, "P1"),), telegram_user_id=EWA)
    for day in (date(2026, 12, 11), date(2026, 12, 18), date(2027, 7, 22)):
        assert await plan_halfterm_reminders(now=london(day, 16)) == 0


async def test_planning_is_cheap_when_nothing_is_due_and_does_not_grow_with_families(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await build_world(families=2)
    with count_queries(monkeypatch) as idle:
        assert await plan_halfterm_reminders(now=london(date(2026, 11, 24), 9)) == 0
    assert idle.count == 1
    with count_queries(monkeypatch) as first:
        assert await plan_halfterm_reminders(now=FAMILIES_FROM) == 2 + 5
    with count_queries(monkeypatch) as planned:
        assert await plan_halfterm_reminders(now=FAMILIES_FROM) == 0
    assert planned.count == 2
    await Notification.all().delete()
    await AuditEntry.all().delete()
    school, c4 = await School.get(name="Oakfield Primary"), await SchoolClass.get(name="4H")
    for n in range(2, 40):
        child = await make_pupil(school, c4, f"X{n}")
        await make_guardian(school, f"GX{n}", (child,), telegram_user_id=5000 + n)
    with count_queries(monkeypatch) as bigger:
        assert await plan_halfterm_reminders(now=FAMILIES_FROM) == 2 + 5 + 38
    assert bigger.count == first.count


# What the reminders say


async def judge(pupil: Pupil, area: Area, band: str, day: date, *, by_pupil: bool = False) -> None:
    await Assessment.create(
        pupil=pupil, area=area, band=band, by_pupil=by_pupil, recorded_at=london(day, 10)
    )


async def target(pupil: Pupil, area: Area, text: str, set_on: date, **fields: object) -> Target:
    return await Target.create(
        pupil=pupil, area=area, text=text, home_support=f"Home: {text}", set_on=set_on, **fields
    )


async def test_a_teacher_hears_who_is_not_judged_and_which_targets_to_review(
    world: World,
) -> None:
    for area in (Area.READING, Area.WRITING, Area.MATHS):
        await judge(world.maja, area, "expected", date(2026, 11, 20))
    await judge(world.jan, Area.READING, "towards", date(2026, 12, 1))
    await judge(world.jan, Area.WRITING, "expected", date(2026, 10, 20))  # autumn 1: too early
    await judge(world.jan, Area.MATHS, "expected", date(2026, 12, 1), by_pupil=True)  # his own
    await judge(world.jan, Area.BEHAVIOUR, "good", date(2026, 12, 1))  # not attainment
    old = await target(world.maja, Area.WRITING, "Full stops", date(2026, 10, 1))
    review = await target(
        world.jan, Area.MATHS, "Times tables", date(2026, 11, 10), review_on=date(2026, 12, 11)
    )
    await target(world.jan, Area.READING, "Read daily", date(2026, 11, 10))  # new: not yet
    await target(world.maja, Area.MATHS, "Halves", date(2026, 9, 10), status=TargetStatus.ACHIEVED)
    await target(world.zed, Area.MATHS, "Not my class", date(2026, 9, 10))
    reminder = await teacher_reminder(
        await resolve_actor(TEACHER_3B), world.autumn_2, now=TEACHERS_FROM
    )
    assert reminder.pupils == 2  # Ola has left
    assert [(g.name, g.class_name, g.areas) for g in reminder.unjudged] == [
        ("Jan Nowak", "3B", (Area.WRITING, Area.MATHS))
    ]
    assert [t.target_id for t in reminder.due] == [review.id, old.id]
    text = halfterm_notices.teacher_text(reminder)
    assert "Autumn 2 ends on Friday 18 December 2026" in text
    assert "1 pupil still needs a judgement this half-term:" in text
    assert "• Jan Nowak (3B): Writing and Maths" in text
    assert "2 targets are due for review:" in text
    assert "Jan Nowak, Maths: Times tables (review by 11 Dec)" in text
    assert "Maja Nowak, Writing: Full stops (set 1 Oct 2026)" in text
    assert "Not my class" not in text


async def test_a_teacher_with_everything_judged_gets_a_short_all_done_note(world: World) -> None:
    for area in (Area.READING, Area.WRITING, Area.MATHS):
        await judge(world.zed, area, "expected", date(2026, 12, 2))
    reminder = await teacher_reminder(
        await resolve_actor(TEACHER_4H), world.autumn_2, now=TEACHERS_FROM
    )
    assert (reminder.pupils, reminder.unjudged, reminder.due) == (1, [], [])
    text = halfterm_notices.teacher_text(reminder)
    assert "Every pupil in your classes has a judgement" in text
    assert len(text) < 300


async def test_a_long_list_ends_in_and_n_more_within_telegrams_limit(world: World) -> None:
    c4 = await SchoolClass.get(name="4H")
    for n in range(300):
        pupil = await make_pupil(world.school, c4, f"L{n}", f"Longname{n:03d}")
        await target(pupil, Area.WRITING, "x" * 290, date(2026, 9, 10))
    reminder = await teacher_reminder(
        await resolve_actor(TEACHER_4H), world.autumn_2, now=TEACHERS_FROM
    )
    text = halfterm_notices.teacher_text(reminder)
    assert len(text) <= 4096
    assert "301 pupils still need a judgement" in text
    assert "more." in text


async def test_the_teachers_note_is_stale_once_the_half_term_ended(world: World) -> None:
    actor = await resolve_actor(TEACHER_3B)
    with pytest.raises(NoLongerDue):
        await teacher_reminder(actor, world.autumn_2, now=london(date(2026, 12, 19), 0))


async def test_a_family_summary_shows_bands_progress_and_home_ideas(world: World) -> None:
    await judge(world.maja, Area.READING, "towards", date(2026, 10, 1))
    await judge(world.maja, Area.READING, "expected", date(2026, 12, 1))
    await judge(world.maja, Area.MATHS, "below", date(2026, 12, 1))
    await Expectation.create(
        pupil=world.maja, area=Area.READING, academic_year=YEAR, band="expected"
    )
    await Expectation.create(pupil=world.maja, area=Area.MATHS, academic_year=YEAR, band="expected")
    await target(world.maja, Area.WRITING, "Full stops", date(2026, 10, 1))
    await target(world.maja, Area.MATHS, "Halves", date(2026, 9, 10), status=TargetStatus.ACHIEVED)
    actor = await resolve_actor(EWA)
    summary = await family_summary(actor, world.autumn_2, world.maja.id, now=FAMILIES_FROM)
    assert summary.next_starts_on == date(2027, 1, 4)
    text = halfterm_notices.summary_text(summary)
    assert "Autumn 2: how Maja Nowak is doing" in text
    assert "Reading: 🟢 expected standard ✅ on track" in text
    assert "Maths: 🔴 below expected ⚠️ behind" in text
    assert "• <b>Writing</b>: Home: Full stops" in text
    assert "Halves" not in text
    assert "School starts again on Monday 4 January 2027." in text
    short = halfterm_notices.summary_text(summary, short=True)
    assert "Reading: 🟢 expected standard ✅ on track · Maths" in short
    assert "School starts again" not in short


async def test_a_family_summary_is_refused_for_someone_elses_child(world: World) -> None:
    for user in (KASIA, OLGA):  # a restricted link, another child's parent
        with pytest.raises(NotAllowed):
            await family_summary(
                await resolve_actor(user), world.autumn_2, world.maja.id, now=FAMILIES_FROM
            )
    with pytest.raises(NoLongerDue):
        await family_summary(
            await resolve_actor(EWA), world.autumn_2, world.maja.id, now=SPRING_STARTS
        )


# Delivery through the real Application and the emulator


@pytest.fixture
async def app(db: str, emulator: BotApiEmulator) -> AsyncIterator[MentorApplication]:
    """The bot with its repeating jobs paused: the test plans and delivers step by step."""
    async with running_bot(emulator, db, over_http=False) as application:
        assert application.job_queue is not None
        for job in application.job_queue.jobs():
            job.enabled = False
        yield application


async def deliver(app: MentorApplication, *, seconds_later: float = 0) -> DeliveryResult:
    async def send(row: Notification) -> int | None:
        return await notices.send_notice(app.bot, row)

    now = datetime.now(UTC) + timedelta(seconds=seconds_later)
    return await deliver_due(send, now=now, pace=0)


async def live_world(emulator: BotApiEmulator, *, ended_days_ago: int) -> World:
    """The world with its autumn 2 moved around today, so delivery happens inside the window.

    `ended_days_ago` 0 or less: the teachers' week (the half-term ends that many days ahead);
    1 or more: the holiday after it (the next half-term starts in a week).
    """
    world = await build_world()
    today = datetime.now(LONDON).date()
    ends = today - timedelta(days=ended_days_ago)
    await HalfTerm.all().delete()
    autumn_2 = await HalfTerm.create(
        school=world.school,
        academic_year=YEAR,
        number=2,
        starts_on=ends - timedelta(days=40),
        ends_on=ends,
    )
    await HalfTerm.create(
        school=world.school,
        academic_year=YEAR,
        number=3,
        starts_on=today + timedelta(days=7),
        ends_on=today + timedelta(days=40),
    )
    for user_id in (TEACHER_3B, TEACHER_4H, EWA, OLGA):
        emulator.add_user(user_id, "Someone", started=True)
    world.autumn_2 = autumn_2.id
    return world


async def test_a_teacher_receives_the_note_through_the_bot(
    app: MentorApplication, emulator: BotApiEmulator
) -> None:
    world = await live_world(emulator, ended_days_ago=-3)
    await judge(world.maja, Area.READING, "expected", datetime.now(LONDON).date())
    assert await plan_halfterm_reminders(now=datetime.now(UTC)) == 2
    assert (await deliver(app)).sent == 2
    (note,) = emulator.chat_log(TEACHER_3B)
    assert "2 pupils still need a judgement this half-term:" in (note.text or "")
    assert "Maja Nowak (3B): Writing and Maths" in (note.text or "")
    assert "Zed" not in (note.text or "")
    assert "Zed Nowak (4H): Reading, Writing, and Maths" in (
        emulator.chat_log(TEACHER_4H)[0].text or ""
    )
    assert await plan_halfterm_reminders(now=datetime.now(UTC)) == 0
    assert (await deliver(app, seconds_later=2)).sent == 0
    assert len(emulator.chat_log(TEACHER_3B)) == 1


async def test_a_polish_mother_gets_one_summary_per_child_in_polish(
    app: MentorApplication, emulator: BotApiEmulator
) -> None:
    world = await live_world(emulator, ended_days_ago=1)
    await judge(
        world.maja, Area.READING, "expected", datetime.now(LONDON).date() - timedelta(days=3)
    )
    await target(world.maja, Area.WRITING, "Full stops", date(2026, 10, 1))
    assert await plan_halfterm_reminders(now=datetime.now(UTC)) == 3
    assert (await deliver(app)).sent == 2  # one message a second per chat
    # Then Ewa's second summary, and each summary's "My Pupil Profile" picture.
    sent = [(await deliver(app, seconds_later=s)).sent for s in (1.5, 3, 4.5, 6)]
    assert sum(sent) == 4
    photos = [m for m in emulator.chat_log(EWA) if m.photo]
    assert len(photos) == 2
    assert {(m.caption or "").split(" · ")[0] for m in photos} == {"🖼 Maja Nowak", "🖼 Jan Nowak"}
    assert [bool(m.photo) for m in emulator.chat_log(OLGA)] == [False, True]
    texts = [m.text or "" for m in emulator.chat_log(EWA) if not m.photo]
    with use_locale("pl"):
        reading, band = area_label(Area.READING), band_label(Area.READING, "expected")
        writing = area_label(Area.WRITING)
    assert reading == "Czytanie"
    maja_text = next(t for t in texts if "Maja" in t)
    assert f"{reading}: {band}" in maja_text
    assert f"{writing}: Home: Full stops" in maja_text
    assert any("Jan" in t for t in texts)
    assert "Zed" in (emulator.chat_log(OLGA)[0].text or "")


async def test_a_stale_summary_is_not_sent(
    app: MentorApplication, emulator: BotApiEmulator
) -> None:
    world = await live_world(emulator, ended_days_ago=1)
    assert await plan_halfterm_reminders(now=datetime.now(UTC)) == 3
    await Pupil.filter(id=world.zed.id).update(left_at=datetime.now(UTC))
    await GuardianLink.filter(pupil_id=world.jan.id).update(receives_reports=False)
    first = await deliver(app)  # Maja's and Zed's; Jan's waits its turn in Ewa's chat
    assert (first.sent, first.dead) == (1, 1)
    assert (await deliver(app, seconds_later=1.5)).dead == 1
    dead = await Notification.filter(state=NotificationState.DEAD).values_list(
        "last_error", flat=True
    )
    assert dead == ["stale", "stale"]
    assert emulator.chat_log(OLGA) == []
    assert "Maja" in (emulator.chat_log(EWA)[0].text or "")


async def test_a_parent_on_a_daily_digest_reads_the_summary_in_it(
    app: MentorApplication, emulator: BotApiEmulator
) -> None:
    world = await live_world(emulator, ended_days_ago=1)
    await UserPreference.create(telegram_user_id=OLGA, updates=UpdateFrequency.DAILY)
    await judge(world.zed, Area.MATHS, "expected", datetime.now(LONDON).date() - timedelta(days=3))
    assert await plan_halfterm_reminders(now=datetime.now(UTC)) == 3
    assert (await deliver(app)).held == 1
    row = await Notification.get(chat_id=OLGA)
    assert row.digest
    result = await deliver(app, seconds_later=(row.due_at - datetime.now(UTC)).total_seconds() + 1)
    assert result.sent >= 1
    (digest,) = emulator.chat_log(OLGA)
    assert "Autumn 2: how Zed Nowak is doing" in (digest.text or "")
    assert "Maths: 🟢 expected standard" in (digest.text or "")
