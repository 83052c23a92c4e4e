"""The schema comes from the migrations, and the migrations match the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.exceptions import IntegrityError
from tortoise.migrations.api import migrate as migrate_api
from tortoise.migrations.autodetector import MigrationAutodetector

from bot import database
from bot.database import tortoise_config
from models import Booking, GuardianLink, Invite, Pupil, Slot, Staff
from tests.factories import NOW, make_class, make_guardian, make_pupil, make_school, make_staff


async def test_models_and_migrations_do_not_drift(db: str) -> None:
    config = tortoise_config(db)
    writers = await MigrationAutodetector(Tortoise.apps, config["apps"]).changes()
    pending = [op for writer in writers for op in writer.operations]
    assert pending == [], "models changed without a migration: run `make migration`"


async def test_uniqueness_holds_in_the_real_schema(db: str) -> None:
    school = await make_school()
    klass = await make_class(school)
    pupil = await make_pupil(school, klass, "P1")
    with pytest.raises(IntegrityError):
        await make_pupil(school, klass, "P1")
    guardian = await make_guardian(school, "C1", children=(pupil,))
    with pytest.raises(IntegrityError):
        await GuardianLink.create(guardian=guardian, pupil=pupil)
    teacher = await make_staff(school, "S1", telegram_user_id=42)
    with pytest.raises(IntegrityError):
        await make_staff(school, "S2", telegram_user_id=42)
    await Invite.create(school=school, kind="staff", staff=teacher, code_hash="x", expires_at=NOW)
    with pytest.raises(IntegrityError):
        await Invite.create(
            school=school, kind="staff", staff=teacher, code_hash="x", expires_at=NOW
        )
    assert await Pupil.all().count() == 1
    assert await Staff.all().count() == 1


async def test_one_live_booking_per_slot(db: str) -> None:
    from models import MentoringRound

    school = await make_school()
    klass = await make_class(school)
    pupil = await make_pupil(school, klass, "P1")
    other = await make_pupil(school, klass, "P2")
    teacher = await make_staff(school, "S1")
    rnd = await MentoringRound.create(
        school=school,
        academic_year="2026-27",
        number=1,
        name="Autumn",
        opens_on=NOW.date(),
        closes_on=NOW.date(),
    )
    slot = await Slot.create(round=rnd, staff=teacher, starts_at=NOW, ends_at=NOW)
    await Booking.create(slot=slot, holds_slot=slot.id, pupil=pupil)
    with pytest.raises(IntegrityError):
        await Booking.create(slot=slot, holds_slot=slot.id, pupil=other)
    await Booking.filter(pupil=pupil).update(holds_slot=None, status="cancelled")
    await Booking.create(slot=slot, holds_slot=slot.id, pupil=other)
    assert await Booking.filter(slot=slot).count() == 2


async def test_migrating_again_changes_nothing(db: str) -> None:
    from bot import database

    await make_school()
    await database.disconnect()
    await database.migrate(db)  # on PostgreSQL this also takes and frees the advisory lock
    await database.connect(db)
    assert await Pupil.all().count() == 0
    from models import School

    assert await School.all().count() == 1


async def test_an_upgrade_keeps_existing_rows(tmp_path: Path) -> None:
    """New NOT NULL columns carry a database default, so a school's existing rows upgrade."""
    url = f"sqlite://{tmp_path / 'old.sqlite3'}"
    await Tortoise.close_connections()
    try:
        await migrate_api(config=tortoise_config(url), target="models.0002_booking_family_key")
        await Tortoise.close_connections()
        with sqlite3.connect(tmp_path / "old.sqlite3") as old:
            old.execute(
                "INSERT INTO schools (name, timezone, default_locale, academic_year,"
                " meeting_rounds_per_year, created_at) VALUES ('Oakfield', 'Europe/London',"
                " 'en', '2026-27', 4, '2026-09-01 08:00:00+00:00')"
            )
            old.execute(
                "INSERT INTO user_preferences (telegram_user_id, language, updated_at)"
                " VALUES (301, 'pl', '2026-09-01 08:00:00+00:00')"
            )
        await database.migrate(url)
        with sqlite3.connect(tmp_path / "old.sqlite3") as new:
            school = new.execute("SELECT quiet_starts, quiet_ends, office_opens FROM schools")
            assert school.fetchall() == [("20:00", "07:30", "08:00")]
            preference = new.execute("SELECT updates, mute_routine FROM user_preferences")
            assert preference.fetchall() == [("instant", 0)]
    finally:
        await Tortoise.close_connections()
