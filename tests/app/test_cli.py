"""The command line: clear messages, no secrets printed."""

from __future__ import annotations

import asyncio
import csv
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import IMPORT_COMMANDS, ImportCommand, _parser, _run_import
from bot.emulator import BotApiEmulator
from bot.i18n import _, choose_locale, use_locale
from bot.logs import RedactingFormatter
from tests.clock import child_env
from tests.harness import TOKEN

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


EXAMPLES = ROOT / "examples"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ")


def test_each_command_prints_its_result_alone(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'bot.sqlite3'}", "LOG_LEVEL": "DEBUG"}
    env["TELEGRAM_BOT_USERNAME"] = "oakfield_mentor_bot"
    roster = EXAMPLES / "roster"
    commands = {
        ("migrate",): 1,
        (
            "import-roster",
            *("--staff", str(roster / "staff.csv")),
            *("--pupils", str(roster / "pupils.csv")),
            *("--contacts", str(roster / "contacts.csv")),
        ): 4,
        ("terms", "import", str(EXAMPLES / "terms-2026-27.csv")): 1,
        ("rounds", "import", str(EXAMPLES / "rounds.csv")): 1,
        ("announcements", "import", str(EXAMPLES / "announcement-templates.csv")): 1,
        ("invites", "--out", "invites.csv", "--letters", "letters.pdf"): 2,
    }
    for args, lines in commands.items():
        result = run_cli(*args, env=env, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stderr == "", args
        printed = result.stdout.splitlines()
        assert len(printed) == lines, (args, printed)
        assert not any(LOG_LINE.match(line) or "{" in line for line in printed), printed


def test_verbose_adds_the_log_lines_before_or_after_the_command(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'bot.sqlite3'}"}
    for args in (("--verbose", "migrate"), ("migrate", "-v")):
        result = run_cli(*args, env=env, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == ["The database schema is up to date."]
        assert any(LOG_LINE.match(line) for line in result.stderr.splitlines()), result.stderr


async def test_invites_asks_telegram_for_the_bots_username_when_it_is_not_set(
    tmp_path: Path,
) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'bot.sqlite3'}"}
    roster = EXAMPLES / "roster"
    imported = run_cli(
        "import-roster",
        *("--staff", str(roster / "staff.csv")),
        *("--pupils", str(roster / "pupils.csv")),
        *("--contacts", str(roster / "contacts.csv")),
        env=env,
        cwd=tmp_path,
    )
    assert imported.returncode == 0, imported.stderr
    async with BotApiEmulator(TOKEN, "riverside_mentor_bot") as emulator:
        env |= {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emulator.base_url}
        result = await asyncio.to_thread(
            run_cli, "invites", "--out", "invites.csv", env=env, cwd=tmp_path
        )
        assert emulator.stats.requests["getMe"] == 1
    assert result.returncode == 0, result.stderr
    rows = csv.DictReader((tmp_path / "invites.csv").read_text("utf-8-sig").splitlines())
    links = [row["link"] for row in rows]
    assert links
    assert all(link.startswith("https://t.me/riverside_mentor_bot?start=") for link in links)


async def test_invites_names_a_token_telegram_rejects(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'bot.sqlite3'}"}
    async with BotApiEmulator(TOKEN, "riverside_mentor_bot") as emulator:
        env |= {"TELEGRAM_BOT_TOKEN": "654321:" + "x" * 35, "TELEGRAM_API_URL": emulator.base_url}
        result = await asyncio.to_thread(
            run_cli, "invites", "--out", "invites.csv", env=env, cwd=tmp_path
        )
    assert result.returncode == 2
    assert result.stderr.strip() == "Telegram rejected the token: check TELEGRAM_BOT_TOKEN."
    assert not (tmp_path / "invites.csv").exists()


def test_invites_needs_the_username_set_only_without_a_token(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'bot.sqlite3'}"}
    result = run_cli("invites", "--out", "invites.csv", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "Without TELEGRAM_BOT_TOKEN, set TELEGRAM_BOT_USERNAME" in result.stderr
