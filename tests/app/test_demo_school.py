"""The sandbox's demo school: people, a half-term of records and a round open for booking."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import RTL_LOCALES
from bot.sandbox.demo import PEOPLE, TIMEZONE, booking_days, build_demo_school
from models import (
    Assessment,
    Booking,
    Expectation,
    Guardian,
    MentoringRound,
    Notification,
    Pupil,
    Slot,
    Staff,
    Target,
)
from models.common.enums import ATTAINMENT_AREAS, Area, NotificationState, Role, YearGroup
from models.targets.content import bank_targets, home_ideas
from models.targets.tables import TargetAcknowledgement


@pytest.fixture
async def demo(db: str) -> datetime:
    """The demo school built at "now", as the sandbox builds it; returns that moment."""
    now = datetime.now(UTC)
    await build_demo_school(now)
    return now


def test_the_demo_people_are_a_head_two_teachers_and_three_families() -> None:
    roles = [p.role for p in PEOPLE]
    assert roles[0] == "Head teacher"
    assert all(r.startswith("Teacher") for r in roles[1:3])
    assert len(PEOPLE) == 6
    assert len({p.user_id for p in PEOPLE}) == 6
    languages = {p.language for p in PEOPLE[3:]}
    assert "pl" in languages
    assert languages & RTL_LOCALES
    assert [p.rtl for p in PEOPLE].count(True) == 1
    assert all(p.hint for p in PEOPLE)


async def test_every_demo_person_is_linked_to_their_record(demo: datetime) -> None:
    for person in PEOPLE:
        model = Staff if person.is_staff else Guardian
        record = await model.get(telegram_user_id=person.user_id)
        assert (record.first_name, record.last_name) == (person.first_name, person.last_name)
        if not person.is_staff:
            assert record.language == person.language
    head = await Staff.get(telegram_user_id=PEOPLE[0].user_id)
    assert head.role is Role.ADMIN


async def test_each_pupil_has_half_a_term_of_judgements_and_expectations(demo: datetime) -> None:
    pupils = await Pupil.all()
    assert len(pupils) == 12
    year = (await MentoringRound.get()).academic_year
    for pupil in pupils:
        judged = await Assessment.filter(pupil_id=pupil.id, by_pupil=False)
        assert len({a.recorded_at.date() for a in judged}) >= 3
        assert len({a.area for a in judged}) >= 4
        oldest = min(a.recorded_at for a in judged)
        assert demo - timedelta(weeks=6) <= oldest <= demo - timedelta(weeks=4)
        expected = await Expectation.filter(pupil_id=pupil.id, academic_year=year)
        assert {e.area for e in expected} == ATTAINMENT_AREAS
    assert await Assessment.filter(by_pupil=True).count() >= 8  # the children's own views


async def test_targets_come_from_the_bank_and_one_was_seen(demo: datetime) -> None:
    targets = await Target.all().prefetch_related("pupil")
    assert len(targets) >= 2
    for target in targets:
        area, year = Area(target.area), YearGroup(target.pupil.year_group)
        assert target.text in bank_targets(area, year)
        assert target.home_support in home_ideas(area, year)
    seen = await TargetAcknowledgement.all().prefetch_related("guardian")
    assert [s.guardian.telegram_user_id for s in seen] == [9005]
    # Set before the demo began: no old news waits in the outbox.
    assert not await Notification.filter(kind="target_set").exists()


async def test_a_round_is_open_today_with_free_times_and_invitations_queued(demo: datetime) -> None:
    today = demo.astimezone(ZoneInfo(TIMEZONE)).date()
    mentoring_round = await MentoringRound.get()
    assert mentoring_round.opens_on <= today <= mentoring_round.closes_on
    slots = await Slot.filter(round_id=mentoring_round.id)
    assert len(slots) >= 9
    assert all(slot.starts_at > demo and not slot.blocked for slot in slots)
    assert not await Booking.exists()
    teacher = await Staff.get(telegram_user_id=PEOPLE[1].user_id)
    assert {slot.staff_id for slot in slots} == {teacher.id}
    invited = await Notification.filter(
        kind="meeting_invite", state=NotificationState.PENDING, due_at__lte=demo
    ).values_list("chat_id", flat=True)
    assert sorted(invited) == [p.user_id for p in PEOPLE[3:]]


@pytest.mark.parametrize(
    ("today", "closes_on", "expected"),
    [
        (date(2026, 11, 24), date(2026, 12, 15), (25, 26, 27)),  # Tuesday
        (date(2026, 11, 27), date(2026, 12, 15), (30, 1, 2)),  # Friday: over the weekend
        (date(2027, 8, 26), date(2027, 8, 31), (27, 30, 31)),  # the year's last days
        (date(2027, 8, 31), date(2027, 8, 31), ()),
    ],
)
def test_booking_days_are_the_next_school_days_in_the_round(
    today: date, closes_on: date, expected: tuple[int, ...]
) -> None:
    assert tuple(d.day for d in booking_days(today, closes_on)) == expected
