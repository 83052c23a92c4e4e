"""Office hours: when a family's message reaches staff, and the morning digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models import Notification, School, Staff, ThreadMessage
from models.calendar.term_calendar import HalfTermDates, store_calendar
from models.messaging.conversations import (
    MESSAGE_DIGEST,
    Draft,
    go_away,
    plan_message_digests,
    send_family_message,
)
from models.messaging.office_hours import OfficeHours, office_hours
from models.people.access import resolve_actor
from tests.messaging.messaging_world import BEN, CARL, EWA, OLGA, World, build_world

LONDON = ZoneInfo("Europe/London")
HOURS = OfficeHours(LONDON, time(8, 0), time(17, 0))
# 2026-27 in England: half-term holidays at the end of October, Christmas, February...
CALENDAR = [
    HalfTermDates(1, date(2026, 9, 3), date(2026, 10, 23)),
    HalfTermDates(2, date(2026, 11, 2), date(2026, 12, 18)),
    HalfTermDates(3, date(2027, 1, 5), date(2027, 2, 12)),
    HalfTermDates(4, date(2027, 2, 22), date(2027, 3, 26)),
    HalfTermDates(5, date(2027, 4, 12), date(2027, 5, 28)),
    HalfTermDates(6, date(2027, 6, 7), date(2027, 7, 22)),
]


def london(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (london(2026, 11, 24, 9), london(2026, 11, 24, 9)),  # Tuesday morning: open
        (london(2026, 11, 24, 7), london(2026, 11, 24, 8)),  # before opening
        (london(2026, 11, 24, 17), london(2026, 11, 25, 8)),  # closing time
        (london(2026, 11, 27, 18), london(2026, 11, 30, 8)),  # Friday evening
        (london(2026, 11, 28, 12), london(2026, 11, 30, 8)),  # Saturday
        (london(2026, 10, 23, 18), london(2026, 10, 26, 8)),  # clocks go back on Sunday
        (london(2027, 3, 26, 18), london(2027, 3, 29, 8)),  # clocks go forward
    ],
)
def test_the_next_opening_on_school_days(moment: datetime, opening: datetime) -> None:
    assert HOURS.next_opening(moment) == opening


def test_the_clock_change_keeps_opening_at_eight_local_time() -> None:
    assert HOURS.next_opening(london(2026, 10, 23, 18)) == datetime(2026, 10, 26, 8, tzinfo=UTC)
    assert HOURS.next_opening(london(2027, 3, 26, 18)) == datetime(2027, 3, 29, 7, tzinfo=UTC)


def test_equal_opening_and_closing_times_mean_always_open() -> None:
    always = OfficeHours(LONDON, time(0, 0), time(0, 0))
    saturday_night = london(2026, 11, 28, 23)
    assert always.is_open(saturday_night)
    assert always.next_opening(saturday_night) == saturday_night


async def test_holidays_wait_for_the_next_half_term_when_the_calendar_is_complete(
    db: str,
) -> None:
    school = await School.create(name="Oakfield", academic_year="2026-27")
    friday = london(2026, 10, 23, 18)
    partial = await office_hours(school, now=friday)
    assert partial.next_opening(friday) == london(2026, 10, 26, 8)  # no calendar: weekdays
    await store_calendar(school.id, "2026-27", CALENDAR, actor_kind="system")
    hours = await office_hours(school, now=friday)
    assert hours.next_opening(friday) == london(2026, 11, 2, 8)  # after the half-term break
    assert hours.next_opening(london(2026, 12, 18, 17)) == london(2027, 1, 5, 8)
    # Summer: August is this year's holiday; next year's calendar is not stored, so from
    # 1 September its weekdays count.
    assert hours.next_opening(london(2027, 7, 22, 17)) == london(2027, 9, 1, 8)
    assert not hours.is_school_day(date(2027, 7, 30))


@pytest.fixture
async def world(db: str) -> World:
    return await build_world(office_hours=True)


async def write(user_id: int, pupil_id: int, text: str, at: datetime) -> int:
    sent = await send_family_message(await resolve_actor(user_id), pupil_id, Draft(text), now=at)
    return sent.view.message_id


async def staff_id(user_id: int) -> int:
    return (await Staff.get(telegram_user_id=user_id)).id


async def test_an_evening_message_waits_and_comes_in_the_morning_digest(world: World) -> None:
    evening = london(2026, 11, 24, 19)
    sent = await send_family_message(
        await resolve_actor(OLGA), world.zed, Draft("Zed has a fever."), now=evening
    )
    assert sent.held
    assert sent.deliver_after == london(2026, 11, 25, 8)
    assert sent.view.staff_id is None
    assert not await Notification.filter(staff_id__not_isnull=True).exists()
    await write(EWA, world.jan, "Jan forgot his reading book.", london(2026, 11, 25, 6))

    assert await plan_message_digests(now=london(2026, 11, 24, 23)) == 0  # not at night
    assert await plan_message_digests(now=london(2026, 11, 25, 7, 59)) == 0
    assert await plan_message_digests(now=london(2026, 11, 25, 8)) == 1
    assert await plan_message_digests(now=london(2026, 11, 25, 8, 1)) == 0  # planned once

    (row,) = await Notification.filter(kind=MESSAGE_DIGEST)
    ben = await staff_id(BEN)
    assert (row.staff_id, row.chat_id) == (ben, BEN)
    assert len(row.params["message_ids"]) == 2
    assert set(await ThreadMessage.all().values_list("staff_id", flat=True)) == {ben}


async def test_a_busy_night_makes_several_digests_of_ten(world: World) -> None:
    for n in range(6):
        await write(OLGA, world.zed, f"Olga's note {n}", london(2026, 11, 24, 18, n))
        await write(EWA, world.jan, f"Ewa's note {n}", london(2026, 11, 24, 18, n))
    assert await plan_message_digests(now=london(2026, 11, 25, 8, 30)) == 2
    rows = await Notification.filter(kind=MESSAGE_DIGEST).order_by("id")
    assert [len(r.params["message_ids"]) for r in rows] == [10, 2]


async def test_a_cover_set_first_thing_gets_the_nights_messages(world: World) -> None:
    await write(OLGA, world.zed, "Zed has a fever.", london(2026, 11, 24, 19))
    await go_away(await resolve_actor(BEN), await staff_id(CARL), now=london(2026, 11, 25, 7, 30))
    assert await plan_message_digests(now=london(2026, 11, 25, 8)) == 1
    row = await Notification.get(kind=MESSAGE_DIGEST)
    assert (row.chat_id, row.params["covering"]) == (CARL, [await staff_id(BEN)])
    # Still Ben's message: he is the class teacher it was for.
    assert (await ThreadMessage.get()).staff_id == await staff_id(BEN)


async def test_a_bot_down_all_day_passes_messages_on_at_the_next_opening_not_at_night(
    world: World,
) -> None:
    await write(OLGA, world.zed, "Zed has a fever.", london(2026, 11, 24, 19))
    assert await plan_message_digests(now=london(2026, 11, 25, 20)) == 0
    assert await plan_message_digests(now=london(2026, 11, 26, 8, 5)) == 1


async def test_a_message_on_the_last_day_of_term_waits_for_the_next_half_term(
    world: World,
) -> None:
    await store_calendar(world.school, "2026-27", CALENDAR, actor_kind="system")
    sent = await send_family_message(
        await resolve_actor(OLGA), world.zed, Draft("Happy holidays!"), now=london(2026, 10, 23, 18)
    )
    assert sent.deliver_after == london(2026, 11, 2, 8)
    assert await plan_message_digests(now=london(2026, 10, 26, 9)) == 0
    assert await plan_message_digests(now=london(2026, 11, 2, 8)) == 1


async def test_in_office_hours_the_message_goes_at_once(world: World) -> None:
    now = london(2026, 11, 24, 10)
    sent = await send_family_message(
        await resolve_actor(OLGA), world.zed, Draft("Zed is fine."), now=now
    )
    assert not sent.held
    assert sent.deliver_after == now
    (row,) = await Notification.filter(kind="family_message")
    assert (row.chat_id, row.due_at) == (BEN, now)
    assert await plan_message_digests(now=now + timedelta(hours=1)) == 0
