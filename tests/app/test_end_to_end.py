"""The README's path from a clean clone to a linked teacher and parent, over real HTTP."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from tests.clock import child_env
from tests.harness import BOT_USERNAME, TOKEN, dialog

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "roster"

pytestmark = pytest.mark.e2e


def mentorbot(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The `mentorbot` command line, as a school's IT person runs it."""
    return subprocess.run(  # noqa: S603 - our own entry point with fixed arguments
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=child_env(
            {
                "PATH": "/usr/bin:/bin",
                "DATABASE_URL": database_url,
                "SCHOOL_NAME": "Oakfield Primary",
                "TELEGRAM_BOT_USERNAME": BOT_USERNAME,
            }
        ),
        timeout=120,
        check=False,
    )


@pytest.fixture
def roster_imported(db: str, tmp_path: Path) -> dict[str, dict[str, str]]:
    """Import the example roster and issue invites with the real command line."""
    imported = mentorbot(
        "import-roster",
        "--staff", str(EXAMPLES / "staff.csv"),
        "--pupils", str(EXAMPLES / "pupils.csv"),
        "--contacts", str(EXAMPLES / "contacts.csv"),
        database_url=db, cwd=tmp_path,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert "Created:" in imported.stdout
    assert "12 pupils" in imported.stdout
    out = tmp_path / "invites.csv"
    issued = mentorbot("invites", "--out", str(out), database_url=db, cwd=tmp_path)
    assert issued.returncode == 0, issued.stderr
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return {row["person_id"]: row for row in csv.DictReader(handle)}


def code_of(row: dict[str, str]) -> str:
    assert row["link"] == f"https://t.me/{BOT_USERNAME}?start={row['code']}"
    return row["code"]


async def test_a_head_teacher_and_a_parent_link_over_http(
    roster_imported: dict[str, dict[str, str]],
    http_bot: MentorApplication,
    emulator: BotApiEmulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    invites = roster_imported
    head = invites["ST01"]  # Helen Whitaker, the head (admin in staff.csv)
    emulator.add_user(1, "Helen")
    await dialog(
        emulator.chat(1),
        [
            (f"/start {code_of(head)}", "as a senior leader"),
            ("/school", ["Oakfield Primary", "12 pupils", "Staff linked: 1 of"]),
        ],
    )
    assert "school" in dict(emulator.commands_for(chat_id=1))

    parent = invites["C001"]  # Ewa Nowak, Polish, two children
    emulator.add_user(2, "Ewa", language_code="en")
    await dialog(emulator.chat(2), [(f"/start {code_of(parent)}", ["Ewa", "Kacper i Maja"])])
    assert "children" in dict(emulator.commands_for(chat_id=2))
    assert TOKEN not in caplog.text


async def test_reimporting_the_same_roster_changes_nothing(
    roster_imported: dict[str, dict[str, str]], db: str, tmp_path: Path
) -> None:
    again = mentorbot(
        "import-roster",
        "--staff", str(EXAMPLES / "staff.csv"),
        "--pupils", str(EXAMPLES / "pupils.csv"),
        "--contacts", str(EXAMPLES / "contacts.csv"),
        database_url=db, cwd=tmp_path,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "Created: 0 staff, 0 classes, 0 pupils" in again.stdout


async def test_a_bad_roster_names_file_line_and_column(db: str, tmp_path: Path) -> None:
    pupils = tmp_path / "pupils.csv"
    pupils.write_text(
        (EXAMPLES / "pupils.csv").read_text(encoding="utf-8") + "P999,Zed,Bad,9,3B\n",
        encoding="utf-8",
    )
    result = mentorbot(
        "import-roster",
        "--staff", str(EXAMPLES / "staff.csv"),
        "--pupils", str(pupils),
        "--contacts", str(EXAMPLES / "contacts.csv"),
        database_url=db, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Nothing was imported" in result.stderr
    lines = len(pupils.read_text(encoding="utf-8").splitlines())
    assert f"pupils.csv, line {lines}, column year_group" in result.stderr
