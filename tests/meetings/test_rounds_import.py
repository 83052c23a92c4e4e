"""`mentorbot rounds import`: number,name,opens_on,closes_on,slot_minutes, all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models import AuditEntry, MentoringRound, School
from models.imports import ImportInvalid, Problem
from models.meetings.rounds_import import import_rounds
from tests.app.test_cli import ROOT, run_cli
from tests.factories import make_school

HEADER = "number,name,opens_on,closes_on,slot_minutes\n"
GOOD = "1,Autumn,2026-11-23,2026-12-04,10\n2,Spring,2027-02-01,2027-02-12,\n"


@pytest.fixture
async def school(db: str) -> School:
    return await make_school()


def write(tmp_path: Path, text: str, name: str = "rounds.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


async def stored() -> list[tuple[str, int, str, date, date, int]]:
    return sorted(
        await MentoringRound.all().values_list(
            "academic_year", "number", "name", "opens_on", "closes_on", "slot_minutes"
        )
    )


async def test_the_example_file_creates_four_rounds_for_2026_27(school: School) -> None:
    report = await import_rounds(school, ROOT / "examples" / "rounds.csv")
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    rounds = await stored()
    assert [(year, number) for year, number, *_ in rounds] == [("2026-27", n) for n in (1, 2, 3, 4)]
    assert all(opens <= closes for *_, opens, closes, _ in rounds)
    audit = await AuditEntry.get(action="rounds_imported")
    assert (audit.actor_kind, audit.subject_kind, audit.subject_id) == (
        "system",
        "school",
        school.id,
    )
    assert audit.details == {"created": 4, "updated": 0, "unchanged": 0}


async def test_rounds_are_updated_by_year_and_number(school: School, tmp_path: Path) -> None:
    await import_rounds(school, write(tmp_path, HEADER + GOOD))
    assert await stored() == [
        ("2026-27", 1, "Autumn", date(2026, 11, 23), date(2026, 12, 4), 10),
        ("2026-27", 2, "Spring", date(2027, 2, 1), date(2027, 2, 12), 10),
    ]
    text = (
        "\ufeffNumber,Name,Opens On,CLOSES_ON,Slot Minutes,Note\r\n"
        "1,Autumn,2026-11-23,2026-12-04,10,same\r\n"
        "2, Spring meetings ,2027-02-01,2027-02-12,15,changed\r\n"
        "\r\n"
        "1,Next autumn,2027-11-22,2027-12-03,,new year\r\n"
    )
    report = await import_rounds(school, write(tmp_path, text))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert await stored() == [
        ("2026-27", 1, "Autumn", date(2026, 11, 23), date(2026, 12, 4), 10),
        ("2026-27", 2, "Spring meetings", date(2027, 2, 1), date(2027, 2, 12), 15),
        ("2027-28", 1, "Next autumn", date(2027, 11, 22), date(2027, 12, 3), 10),
    ]


async def test_the_slot_minutes_column_may_be_left_out(school: School, tmp_path: Path) -> None:
    text = "number,name,opens_on,closes_on\n1,Autumn,2026-11-23,2026-12-04\n"
    report = await import_rounds(school, write(tmp_path, text))
    assert report.created == 1
    assert [row[-1] for row in await stored()] == [10]


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("3,Summer,2027-06-31,2027-07-09,10", "opens_on", "is not a date"),
        ("3,Summer,28/06/2027,2027-07-09,10", "opens_on", "is not a date"),
        ("3,Summer,2027-06-28,20270709,10", "closes_on", "is not a date"),
        ("3,Summer,2027-07-09,2027-06-28,10", "closes_on", "close on or after"),
        ("3,Summer,2027-07-09,2027-09-03,10", "closes_on", "must lie in the academic year"),
        ("2,Summer,2027-06-28,2027-07-09,10", "number", "already on line {other_line}"),
        ("7,Summer,2027-06-28,2027-07-09,10", "number", "is not a round number"),
        ("three,Summer,2027-06-28,2027-07-09,10", "number", "is not a whole number"),
        ("3,Summer,2027-06-28,2027-07-09,4", "slot_minutes", "is not a meeting length"),
        ("3,Summer,2027-06-28,2027-07-09,31", "slot_minutes", "is not a meeting length"),
        ("3,Summer,2027-06-28,2027-07-09,ten", "slot_minutes", "is not a whole number"),
        ("3,,2027-06-28,2027-07-09,10", "name", "must not be empty"),
        (f"3,{'x' * 101},2027-06-28,2027-07-09,10", "name", "longer than {limit}"),
    ],
)
async def test_each_problem_names_file_line_and_column_and_nothing_changes(
    school: School, tmp_path: Path, row: str, column: str, fragment: str
) -> None:
    with pytest.raises(ImportInvalid) as caught:
        await import_rounds(school, write(tmp_path, f"{HEADER}{GOOD}{row}\n"))
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("rounds.csv", 4, column)
    assert fragment in problem.message
    assert await MentoringRound.all().count() == 0
    assert await AuditEntry.all().count() == 0


async def test_a_duplicate_names_the_first_line(school: School, tmp_path: Path) -> None:
    with pytest.raises(ImportInvalid) as caught:
        await import_rounds(school, write(tmp_path, f"{HEADER}{GOOD}1,Again,2026-12-07,,\n"))
    assert caught.value.problems == [
        Problem("rounds.csv", 4, "closes_on", "This cell must not be empty.")
    ]
    with pytest.raises(ImportInvalid) as caught:
        await import_rounds(
            school, write(tmp_path, f"{HEADER}{GOOD}1,Again,2026-12-07,2026-12-08\n")
        )
    assert caught.value.problems[0].params == {"number": "1", "year": "2026-27", "other_line": "2"}


async def test_a_file_without_the_columns_is_refused(school: School, tmp_path: Path) -> None:
    with pytest.raises(ImportInvalid) as caught:
        await import_rounds(school, write(tmp_path, "number,name,opens,closes_on\n1,A,,\n"))
    assert [(p.line, p.column) for p in caught.value.problems] == [(1, "opens_on")]


def test_the_command_line_prints_counts_or_problems(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'bot.sqlite3'}"}
    example = str(ROOT / "examples" / "rounds.csv")
    result = run_cli("rounds", "import", example, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "4 created, 0 updated, 0 unchanged." in result.stdout
    bad = write(tmp_path, f"{HEADER}1,Autumn,2026-11-23,2026-11-20,10\n", "b.csv")
    result = run_cli("rounds", "import", str(bad), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Nothing was changed" in result.stderr
    assert "b.csv, line 2, column closes_on: A round must close on or after" in result.stderr
    again = run_cli("rounds", "import", example, env=env, cwd=tmp_path)
    assert "0 created, 0 updated, 4 unchanged." in again.stdout
