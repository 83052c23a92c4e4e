"""Shared fixtures: a real database built through the migrations, fresh for every test.

SQLite by default; set MENTORBOT_TEST_DATABASE_URL to a PostgreSQL URL to run the same
tests there (CI does both). Set MENTORBOT_TEST_CLOCK to an ISO moment with an offset to run
every test with the clock moved there (CI does that too; see tests/clock.py).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import time_machine
from hypothesis import HealthCheck, settings
from tortoise import connections

from bot import database
from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from tests.clock import Clock, moved_to
from tests.harness import BOT_USERNAME, TOKEN, running_bot

# Property tests (tests/properties): "ci" is the default, the same examples on every run and
# no example database left in the checkout; HYPOTHESIS_PROFILE=explore looks further, at random.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    print_blob=True,
    # The examples of one test share its database on purpose: each checks what it changed.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "explore",
    parent=settings.get_profile("ci"),
    derandomize=False,
    max_examples=2000,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

POSTGRES_URL = os.environ.get("MENTORBOT_TEST_DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith(("postgres://", "asyncpg://"))


def pytest_configure(config: pytest.Config) -> None:
    """Register the `postgres_only` marker."""
    config.addinivalue_line("markers", "postgres_only: needs PostgreSQL (several processes)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`postgres_only` tests run in CI's PostgreSQL pass; without one they are deselected."""
    if ON_POSTGRES:
        return
    deselected = [item for item in items if item.get_closest_marker("postgres_only")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres_only")]


MOVED_TO = moved_to()


@pytest.fixture(scope="session", autouse=True)
def _moved_clock_for_the_run() -> Iterator[time_machine.Traveller | None]:
    """With MENTORBOT_TEST_CLOCK set, the whole run (session fixtures too) sees that moment."""
    if MOVED_TO is None:
        yield None
        return
    with time_machine.travel(MOVED_TO, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _moved_clock(_moved_clock_for_the_run: time_machine.Traveller | None) -> None:
    """... and every test starts at that very moment, time flowing from there. A test's own
    `clock` travels on top of this one, so it wins."""
    if _moved_clock_for_the_run is not None and MOVED_TO is not None:
        _moved_clock_for_the_run.move_to(MOVED_TO, tick=True)


@pytest.fixture
def clock(_moved_clock: None) -> Iterator[Clock]:
    """The one clock in this test's hand: `clock.travel(moment, tick=False)`, `clock.shift(...)`."""
    hand = Clock()
    try:
        yield hand
    finally:
        hand.stop()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated once per session: a SQLite template file, or the PostgreSQL URL."""
    if ON_POSTGRES:
        asyncio.run(database.migrate(POSTGRES_URL))
        return POSTGRES_URL
    template = tmp_path_factory.mktemp("template") / "template.sqlite3"
    asyncio.run(database.migrate(f"sqlite://{template}"))
    return str(template)


@pytest.fixture
async def db(migrated_database: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty, migrated database opened for this test; yields its URL."""
    if ON_POSTGRES:
        url = migrated_database
        await database.connect(url)
        await _truncate_postgres()
    else:
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(migrated_database, path)
        url = f"sqlite://{path}"
        await database.connect(url)
    try:
        yield url
    finally:
        await database.disconnect()


async def _truncate_postgres() -> None:
    conn = connections.get("default")
    _, rows = await conn.execute_query(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename <> 'tortoise_migrations'"
    )
    names = ", ".join(f'"{row["tablename"]}"' for row in rows)
    if names:
        await conn.execute_script(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A strict Bot API emulator listening on 127.0.0.1."""
    async with BotApiEmulator(token=TOKEN, bot_username=BOT_USERNAME) as emu:
        yield emu


@pytest.fixture
async def bot(db: str, emulator: BotApiEmulator) -> AsyncIterator[MentorApplication]:
    """The real Application, its requests answered by the emulator in-process."""
    async with running_bot(emulator, db, over_http=False) as application:
        yield application


@pytest.fixture
async def http_bot(db: str, emulator: BotApiEmulator) -> AsyncIterator[MentorApplication]:
    """The real Application talking HTTP to the emulator on 127.0.0.1."""
    async with running_bot(emulator, db, over_http=True) as application:
        yield application


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[str]:
    """A migrated SQLite database even on a PostgreSQL run, for tests of SQLite's own behaviour."""
    url = f"sqlite://{tmp_path / 'sqlite-only.sqlite3'}"
    await database.migrate(url)
    await database.connect(url)
    try:
        yield url
    finally:
        await database.disconnect()
