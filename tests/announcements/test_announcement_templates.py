"""`mentorbot announcements import`: key,locale,text, one row per language, all or nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from models import AnnouncementTemplate, AuditEntry, School
from models.announcements.templates import import_templates
from models.imports import ImportInvalid
from tests.app.test_cli import ROOT, run_cli
from tests.factories import make_school

EXAMPLE = ROOT / "examples" / "announcement-templates.csv"
HEADER = "key,locale,text\n"
GOOD = 'trip,en,"Trip on Friday, bring a coat."\ntrip,pl,"Wycieczka w piątek, weźcie kurtki."\n'


@pytest.fixture
async def school(db: str) -> School:
    return await make_school()


def write(tmp_path: Path, text: str, name: str = "templates.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


async def stored() -> dict[str, tuple[str, dict[str, str]]]:
    return {
        key: (text, translations)
        for key, text, translations in await AnnouncementTemplate.all().values_list(
            "key", "text", "translations"
        )
    }


def test_the_example_has_every_shipped_language_for_each_announcement() -> None:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = {row["key"] for row in rows}
    assert len(keys) == 3
    for key in keys:
        locales = sorted(row["locale"] for row in rows if row["key"] == key)
        assert locales == ["ar", "en", "pl", "ro", "uk", "ur"]
    assert all(row["text"].strip() == row["text"] and row["text"] for row in rows)


async def test_the_example_file_imports_three_announcements_in_six_languages(
    school: School,
) -> None:
    report = await import_templates(school, EXAMPLE)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    templates = await stored()
    text, translations = templates["snow_closure"]
    assert text.startswith("School is closed today because of snow.")
    assert sorted(translations) == ["ar", "pl", "ro", "uk", "ur"]
    assert translations["pl"].startswith("Z powodu śniegu szkoła jest dziś zamknięta.")
    again = await import_templates(school, EXAMPLE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    audit = await AuditEntry.filter(action="announcement_templates_imported").order_by("id")
    assert [entry.details["created"] for entry in audit] == [3, 0]


async def test_a_new_file_replaces_a_template_and_keeps_the_others(
    school: School, tmp_path: Path
) -> None:
    await import_templates(school, EXAMPLE)
    report = await import_templates(
        school,
        write(tmp_path, f"{HEADER}snow_closure,EN,Closed today.\nsnow_closure,pl-PL,Zamknięte.\n"),
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    templates = await stored()
    # Translations the new file leaves out are gone: they would no longer match the text.
    assert templates["snow_closure"] == ("Closed today.", {"pl": "Zamknięte."})
    assert len(templates) == 3


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "trip,pl,Wycieczka.\n",
            [(2, "locale", "trip has no en row: the English text is the one staff send.")],
        ),
        (
            f"{GOOD}trip,PL,Jeszcze raz.\n",
            [(4, "locale", "The pl text of trip is already on line 3.")],
        ),
        (
            f"{GOOD}trip,polish!,Tekst.\n",
            [(4, "locale", "polish! is not a language code such as en, pl or ur.")],
        ),
        (
            f"{GOOD}school trip,en,Trip.\n",
            [
                (
                    4,
                    "key",
                    "school trip cannot be a key: use letters, digits, dots, hyphens and "
                    "underscores.",
                ),
            ],
        ),
        (
            f"{GOOD}{'k' * 65},en,Trip.\n",
            [(4, "key", "This is longer than 64 characters.")],
        ),
        (
            f"{GOOD}long,en,{'x' * 3001}\n",
            [(4, "text", "This is longer than 3000 characters.")],
        ),
        (
            f"{GOOD}snow,en,\n",
            [(4, "text", "This cell must not be empty.")],
        ),
    ],
)
async def test_any_problem_changes_nothing_and_is_named_by_line_and_column(
    school: School, tmp_path: Path, body: str, expected: list[tuple[int, str, str]]
) -> None:
    await import_templates(school, EXAMPLE)
    before = await stored()
    with pytest.raises(ImportInvalid) as caught:
        await import_templates(school, write(tmp_path, HEADER + body))
    problems = [(p.line, p.column, p.message.format(**p.params)) for p in caught.value.problems]
    assert problems == expected
    assert await stored() == before


async def test_a_file_without_the_columns_is_refused(school: School, tmp_path: Path) -> None:
    with pytest.raises(ImportInvalid) as caught:
        await import_templates(school, write(tmp_path, "key,language,text\ntrip,en,Trip.\n"))
    assert [(p.line, p.column) for p in caught.value.problems] == [(1, "locale")]
    assert await AnnouncementTemplate.all().count() == 0


def test_the_command_line_prints_counts_or_problems(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'bot.sqlite3'}"}
    result = run_cli("announcements", "import", str(EXAMPLE), env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Ready-made announcements: 3 created, 0 updated, 0 unchanged." in result.stdout
    bad = write(tmp_path, f"{HEADER}{GOOD}trip,en,Again.\n", "b.csv")
    result = run_cli("announcements", "import", str(bad), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Nothing was changed" in result.stderr
    assert "b.csv, line 4, column locale: The en text of trip is already on line 2." in (
        result.stderr
    )
    again = run_cli("announcements", "import", str(EXAMPLE), env=env, cwd=tmp_path)
    assert "0 created, 0 updated, 3 unchanged." in again.stdout
