"""A school's database made before the code moved into feature packages still upgrades.

`data/before-the-move.sql` is a SQLite dump written by the code as it was before the move
(every migration applied, one school with a pupil, a family, a booking, a target and a
judgement). The tables, the app label and the migrations written before it did not change, so
the current code applies only the migrations added since and reads every row back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tortoise import Tortoise
from tortoise.migrations.api import migrate as migrate_api
from tortoise.migrations.autodetector import MigrationAutodetector

from bot import database
from bot.database import tortoise_config
from models import Assessment, Booking, GuardianLink, Target

DUMP = Path(__file__).resolve().parent / "data" / "before-the-move.sql"


async def test_a_database_from_before_the_move_upgrades_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "before.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(DUMP.read_text(encoding="utf-8"))
        before = {name for (name,) in old.execute("SELECT name FROM tortoise_migrations")}
    url = f"sqlite://{path}"
    await Tortoise.close_connections()
    try:
        await database.migrate(url)
        with sqlite3.connect(path) as new:
            after = {name for (name,) in new.execute("SELECT name FROM tortoise_migrations")}
        assert before < after
        assert "0005_sqlite_times_in_utc" in after - before
        await database.connect(url)
        writers = await MigrationAutodetector(Tortoise.apps, tortoise_config(url)["apps"]).changes()
        assert [op for writer in writers for op in writer.operations] == []
        booking = await Booking.get().select_related("slot__round", "pupil__school_class")
        assert (booking.pupil.first_name, booking.slot.round.name) == ("Maja", "Autumn")
        assert booking.pupil.school_class.name == "3B"
        link = await GuardianLink.get().select_related("guardian")
        assert link.guardian.first_name == "Ewa"
        assert (await Target.get()).text == "Reads aloud with expression"
        assert (await Assessment.get()).band == "towards"
    finally:
        await Tortoise.close_connections()


async def test_times_stored_with_a_summer_offset_are_rewritten_in_utc(tmp_path: Path) -> None:
    """Rows written before times were kept in UTC on SQLite are put right by the migration."""
    path = tmp_path / "summer.sqlite3"
    url = f"sqlite://{path}"
    await Tortoise.close_connections()
    try:
        await migrate_api(
            config=tortoise_config(url), target="models.0004_messages_and_announcements"
        )
        await Tortoise.close_connections()
        with sqlite3.connect(path) as old:
            old.execute(
                "INSERT INTO chat_flows (chat_id, kind, step, data, expires_at) VALUES"
                " (1, 'k', 's', '{}', '2027-06-01 18:00:00.250000+01:00'),"
                " (2, 'k', 's', '{}', '2027-01-05 09:00:00+00:00')"
            )
        await database.migrate(url)
        with sqlite3.connect(path) as new:
            stored = new.execute("SELECT expires_at FROM chat_flows ORDER BY chat_id").fetchall()
        assert stored == [("2027-06-01 17:00:00.250+00:00",), ("2027-01-05 09:00:00+00:00",)]
    finally:
        await Tortoise.close_connections()
