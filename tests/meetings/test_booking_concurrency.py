"""Many families at once: the database's unique keys decide, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models import Booking, Guardian, GuardianLink, MentoringRound, Notification, Pupil
from models.common.enums import NotificationState, Role, YearGroup
from models.meetings.booking import (
    AlreadyBooked,
    BookingMoved,
    BookingNotLive,
    BookingView,
    SlotTaken,
    book,
    change_booking,
    decline_booking,
    making,
)
from models.people.access import Actor, resolve_actor
from tests.factories import make_class, make_school, make_staff
from tests.meetings.booking_world import add_slot

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DAY = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


async def school_with_families(
    families: int, slots: int
) -> tuple[list[Actor], list[int], list[int]]:
    """One class, its teacher's slots in a round, and one guardian per pupil."""
    school = await make_school()
    school_class = await make_class(school)
    teacher = await make_staff(school, "T1", Role.TEACHER, (school_class,))
    round_ = await MentoringRound.create(
        school=school,
        academic_year="2026-27",
        number=1,
        name="Autumn",
        opens_on=DAY.date(),
        closes_on=DAY.date(),
    )
    await Pupil.bulk_create(
        Pupil(
            school=school,
            external_id=f"P{n}",
            first_name=f"Child{n}",
            last_name="Test",
            year_group=YearGroup.Y3,
            school_class=school_class,
        )
        for n in range(families)
    )
    await Guardian.bulk_create(
        Guardian(
            school=school,
            external_id=f"G{n}",
            first_name=f"Parent{n}",
            last_name="Test",
            telegram_user_id=1000 + n,
        )
        for n in range(families)
    )
    pupils = {p.external_id: p.id for p in await Pupil.all()}
    guardians = {g.external_id: g.id for g in await Guardian.all()}
    await GuardianLink.bulk_create(
        GuardianLink(guardian_id=guardians[f"G{n}"], pupil_id=pupils[f"P{n}"])
        for n in range(families)
    )
    slot_ids = [
        await add_slot(round_.id, teacher.id, DAY + timedelta(minutes=10 * n)) for n in range(slots)
    ]
    actors = [await resolve_actor(1000 + n) for n in range(families)]
    return actors, [pupils[f"P{n}"] for n in range(families)], slot_ids


async def test_fifty_families_one_slot_exactly_one_wins(db: str) -> None:
    actors, pupils, slots = await school_with_families(50, 6)
    wanted = slots[2]
    results = await asyncio.gather(
        *(book(a, wanted, p, now=NOW) for a, p in zip(actors, pupils, strict=True)),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, BookingView)]
    lost = [r for r in results if isinstance(r, SlotTaken)]
    assert (len(won), len(lost)) == (1, 49), [r for r in results if isinstance(r, Exception)][:3]
    assert all([s.slot_id for s in e.alternatives] == [slots[1], slots[3], slots[0]] for e in lost)
    assert await Booking.filter(slot_id=wanted).count() == 1
    assert await Notification.filter(kind="booking_confirmed").count() == 1
    assert await Notification.filter(kind="meeting_reminder").count() == 2


async def test_fifty_changes_and_bookings_never_double_book(db: str) -> None:
    actors, pupils, slots = await school_with_families(20, 10)
    first = [await book(actors[n], slots[n], pupils[n], now=NOW) for n in range(5)]
    rng = random.Random(4)  # noqa: S311 (a repeatable mix, not a secret)
    operations = []
    for _ in range(50):
        n, slot = rng.randrange(20), rng.choice(slots)
        if n < 5 and rng.random() < 0.1:
            operations.append(decline_booking(actors[n], first[n].booking_id, "", now=NOW))
        elif n < 5:
            operations.append(change_booking(actors[n], first[n].booking_id, slot, now=NOW))
        else:
            operations.append(book(actors[n], slot, pupils[n], now=NOW))
    results = await asyncio.gather(*operations, return_exceptions=True)
    expected = (SlotTaken, AlreadyBooked, BookingMoved, BookingNotLive)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, expected)]
    assert unexpected == []
    assert any(isinstance(r, BookingView) for r in results)

    live = await Booking.filter(holds_slot__not_isnull=True)
    assert all(b.holds_slot == b.slot_id for b in live)
    assert max(Counter(b.slot_id for b in live).values()) == 1
    assert max(Counter(b.pupil_id for b in live).values()) == 1
    pending = await Notification.filter(kind="meeting_reminder", state=NotificationState.PENDING)
    current = {f"remind-b{b.id}-s{b.slot_id}-" for b in live}
    assert {n.idempotency_key.rsplit("-", 1)[0] + "-" for n in pending} == current


async def test_book_retries_when_sqlite_says_locked(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another connection commits between our first read and first write: SQLITE_BUSY."""
    actors, pupils, slots = await school_with_families(1, 1)
    path = sqlite_db.removeprefix("sqlite://")
    calls = 0
    original = making.lock_slots

    async def then_someone_else_writes(slot_ids: list[int]) -> Any:
        nonlocal calls
        calls += 1
        locked = await original(slot_ids)  # our read: the transaction's snapshot starts here
        if calls == 1:
            other = sqlite3.connect(path)
            other.execute("UPDATE schools SET name = 'Renamed meanwhile'")
            other.commit()
            other.close()
        return locked

    monkeypatch.setattr(making, "lock_slots", then_someone_else_writes)
    view = await book(actors[0], slots[0], pupils[0], now=NOW)
    assert calls == 2
    assert await Booking.filter(id=view.booking_id).exists()
    assert await Booking.all().count() == 1
    assert await Notification.filter(kind="booking_confirmed").count() == 1
