"""Database lifecycle: Tortoise configuration, migrations, start and stop."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

# Imported first so that its own datetime adapter is registered before ours replaces it.
import tortoise.backends.sqlite.executor  # noqa: F401
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations.api import migrate as migrate_api

MODELS_APP = "models"
MIGRATIONS_MODULE = "models.migrations"


def utc_text(value: datetime) -> str:
    """A moment as SQLite stores it: in UTC, so that comparing the stored text compares times.

    Tortoise writes an aware datetime with its own offset; a school's summer time
    ("18:00+01:00") would then sort after "17:30+00:00", an hour out, in every query.
    """
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.isoformat(" ")


sqlite3.register_adapter(datetime, utc_text)


class SecondProcessError(RuntimeError):
    """Another bot process already uses this SQLite database."""


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The Tortoise configuration for one database URL."""
    return {
        "connections": {"default": database_url},
        "apps": {
            MODELS_APP: {
                "models": ["models"],
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# For Tortoise's own CLI: `make migration` runs `tortoise -c bot.database.SCHEMA makemigrations`.
# The old state comes from the migration files, so an in-memory database is enough.
SCHEMA = tortoise_config("sqlite://:memory:")


def ensure_sqlite_directory(database_url: str) -> None:
    """Create the folder of a SQLite file so a fresh checkout just works."""
    if not database_url.startswith("sqlite://"):
        return
    path = database_url.removeprefix("sqlite://").split("?", 1)[0]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


# pg_advisory_lock key: "mentorbot" folded into a bigint.
_MIGRATION_LOCK = 0x6D656E746F72


async def migrate(database_url: str) -> None:
    """Bring the schema up to date through the project's migrations.

    On PostgreSQL, processes starting together take turns (a session advisory lock held on
    a connection of its own); the later ones find nothing left to do.
    """
    ensure_sqlite_directory(database_url)
    async with _migration_lock(database_url):
        try:
            await migrate_api(config=tortoise_config(database_url))
        finally:
            await Tortoise.close_connections()


@asynccontextmanager
async def _migration_lock(database_url: str) -> AsyncIterator[None]:
    if not database_url.startswith(("postgres://", "asyncpg://")):
        yield
        return
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("asyncpg://", "postgres://", 1))
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
        yield
    finally:
        await connection.close()  # closing the session releases the lock


async def connect(database_url: str) -> None:
    """Open the ORM for this process; every task (PTB's included) sees it."""
    ensure_sqlite_directory(database_url)
    # Tortoise caches each table's SQL under the connection's name, and every database here is
    # "default": SQL written for one dialect must not be reused on another (a test run that opens
    # SQLite beside PostgreSQL, a CLI command after a test).
    EXECUTOR_CACHE.clear()
    # The global fallback lets PTB's own tasks query; see DESIGN.md "Tortoise 1.x context".
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def disconnect() -> None:
    await Tortoise.close_connections()


class SingleProcessLock:
    """SQLite deployments run one bot process; a second one must refuse to start."""

    def __init__(self, database_path: Path) -> None:
        self._path = database_path.with_name(database_path.name + ".lock")
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        handle = self._path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.close()
            raise SecondProcessError(str(self._path)) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
