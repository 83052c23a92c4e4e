"""The command line: clear messages, no secrets printed."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import IMPORT_COMMANDS, ImportCommand, _parser, _run_import
from bot.i18n import _, choose_locale, use_locale
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


@pytest.mark.parametrize("command", IMPORT_COMMANDS, ids=lambda command: command.name)
def test_every_import_in_the_table_is_a_command(command: ImportCommand) -> None:
    words = command.name.split()
    arguments = [
        part
        for argument, _help in command.arguments
        for part in ((argument, "x.csv") if argument.startswith("--") else ("x.csv",))
    ]
    parsed = _parser().parse_args([*words, *arguments])
    assert parsed.handler.func is _run_import
    assert parsed.handler.args == (command,)
    assert all(getattr(parsed, name.lstrip("-")) == Path("x.csv") for name, _ in command.arguments)


def test_import_commands_keep_their_names() -> None:
    assert [command.name for command in IMPORT_COMMANDS] == [
        "import-roster",
        "import-expectations",
        "rounds import",
        "terms import",
        "announcements import",
    ]


def test_import_problems_are_shown_in_the_school_language(tmp_path: Path) -> None:
    bad = tmp_path / "rounds.csv"
    bad.write_bytes(
        b"\xef\xbb\xbfnumber,name,opens_on,closes_on,slot_minutes\n1,Autumn,2026-13-01,2026-12-04,\n"
    )
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'bot.sqlite3'}", "DEFAULT_LOCALE": "pl"}
    result = run_cli("rounds", "import", str(bad), env=env, cwd=tmp_path)
    assert result.returncode == 1
    with use_locale("pl"):
        headline = _("Nothing was changed. Please fix these problems and try again:")
        where = _("{file}, line {line}, column {column}").format(
            file="rounds.csv", line=2, column="opens_on"
        )
    assert headline != "Nothing was changed. Please fix these problems and try again:"
    assert headline in result.stderr
    assert f"  {where}: 2026-13-01 " in result.stderr
