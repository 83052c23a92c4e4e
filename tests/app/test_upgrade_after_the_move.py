"""A school's database made before the code moved into feature packages still upgrades.

`data/before-the-move.sql` is a SQLite dump written by the code as it was before the move
(every migration applied, one school with a pupil, a family, a booking, a target and a
judgement). The tables, the app label and the migrations did not change, so the current code
migrates it without a step to apply and reads every row back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector

from bot import database
from bot.database import tortoise_config
from models import Assessment, Booking, GuardianLink, Target

DUMP = Path(__file__).resolve().parent / "data" / "before-the-move.sql"


async def test_a_database_from_before_the_move_upgrades_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "before.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(DUMP.read_text(encoding="utf-8"))
        applied = old.execute("SELECT COUNT(*) FROM tortoise_migrations").fetchone()[0]
    url = f"sqlite://{path}"
    await Tortoise.close_connections()
    try:
        await database.migrate(url)
        with sqlite3.connect(path) as new:
            assert new.execute("SELECT COUNT(*) FROM tortoise_migrations").fetchone()[0] == applied
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
