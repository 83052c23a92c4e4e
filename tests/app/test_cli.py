"""The command line: clear messages, no secrets printed."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.i18n import choose_locale
from bot.logs import RedactingFormatter
from tests.clock import child_env

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own entry point with fixed arguments
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=child_env({"PATH": "/usr/bin:/bin", **env}),
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_bad_configuration_is_named(tmp_path: Path) -> None:
    result = run_cli("migrate", env={"SCHOOL_TIMEZONE": "Mars/Olympus"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "SCHOOL_TIMEZONE" in result.stderr


def test_migrate_creates_the_sqlite_database(tmp_path: Path) -> None:
    result = run_cli("migrate", env={"DATABASE_URL": "sqlite://data/x.sqlite3"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "x.sqlite3").exists()


def test_token_never_reaches_the_log() -> None:
    token = "123456:AAH-secret-token-value"
    formatter = RedactingFormatter("%(message)s", [token])
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST https://api/bot%s/getMe", (token,), None
    )
    assert token not in formatter.format(record)
    assert "[redacted]" in formatter.format(record)


@pytest.mark.parametrize(
    ("choice", "roster", "telegram", "expected"),
    [
        ("uk", "pl", "ro", "uk"),  # an explicit /language choice wins
        (None, "pl", "ro", "pl"),  # then the language on the school's contact list
        (None, None, "ro-RO", "ro"),  # then Telegram's own setting
        (None, "fr", "de", "en"),  # then the school default
    ],
)
def test_locale_resolution_order(
    choice: str | None, roster: str | None, telegram: str | None, expected: str
) -> None:
    assert choose_locale(choice, roster, telegram, "en") == expected
