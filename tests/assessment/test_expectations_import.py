"""`mentorbot import-expectations`: pupil_id,area,band for the year, all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models import AuditEntry, Expectation, Pupil, School
from models.assessment.expectations_import import import_expectations
from models.common.enums import Area
from models.imports import ImportInvalid, Problem
from tests.app.test_cli import ROOT, run_cli
from tests.factories import make_class, make_pupil, make_school

TODAY = date(2026, 11, 24)
YEAR = "2026-27"


@pytest.fixture
async def school(db: str) -> School:
    oakfield = await make_school()
    c3 = await make_class(oakfield, "3B")
    await make_pupil(oakfield, c3, "P1", "Maja")
    await make_pupil(oakfield, c3, "P2", "Jan")
    left = await make_pupil(oakfield, c3, "P3", "Ola")
    left.left_at = TODAY
    await left.save()
    return oakfield


def write(tmp_path: Path, text: str, name: str = "expectations.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


async def pupil(external_id: str) -> int:
    return (await Pupil.get(external_id=external_id)).id


async def test_a_file_sets_changes_and_keeps_expectations(school: School, tmp_path: Path) -> None:
    maja, jan = await pupil("P1"), await pupil("P2")
    await Expectation.create(pupil_id=maja, area=Area.MATHS, academic_year=YEAR, band="towards")
    await Expectation.create(pupil_id=jan, area=Area.BEHAVIOUR, academic_year=YEAR, band="good")
    await Expectation.create(pupil_id=jan, area=Area.READING, academic_year="2025-26", band="below")
    text = (
        "\ufeffPupil ID,AREA,Band,Note\r\n"
        "P1,reading,expected,ignored\r\n"
        "P1, Maths ,Greater depth,\r\n"
        "\r\n"
        "P2,behaviour,GOOD,\r\n"
        "P2,reading,towards,\r\n"
    )
    report = await import_expectations(school, write(tmp_path, text), today=TODAY)
    assert (report.academic_year, report.new, report.changed, report.unchanged) == (YEAR, 2, 1, 1)
    stored = await Expectation.filter(academic_year=YEAR).values_list("pupil_id", "area", "band")
    assert sorted(stored) == sorted(
        [
            (maja, Area.READING, "expected"),
            (maja, Area.MATHS, "greater_depth"),
            (jan, Area.BEHAVIOUR, "good"),
            (jan, Area.READING, "towards"),
        ]
    )
    assert await Expectation.filter(academic_year="2025-26").count() == 1
    audit = await AuditEntry.get(action="expectations_imported")
    assert (audit.actor_kind, audit.actor_id, audit.pupil_id) == ("system", None, None)
    assert audit.details == {"new": 2, "changed": 1, "unchanged": 1}


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("P9,reading,expected", "pupil_id", "No pupil at the school has the id {value}."),
        ("P3,reading,expected", "pupil_id", "No pupil at the school has the id {value}."),
        ("P1,science,expected", "area", "{value} is not an area"),
        ("P1,reading,good", "band", "{value} is not a band for {area}"),
        ("P1,behaviour,purple", "band", "{value} is not a band for {area}"),
        ("P1,,expected", "area", "This cell must not be empty."),
        ("P2,Writing,towards", "area", "already has a row for {area} on line {other_line}"),
    ],
)
async def test_each_problem_names_file_line_and_column_and_nothing_changes(
    school: School, tmp_path: Path, row: str, column: str, fragment: str
) -> None:
    text = f"pupil_id,area,band\nP1,maths,expected\nP2,writing,expected\n{row}\n"
    with pytest.raises(ImportInvalid) as caught:
        await import_expectations(school, write(tmp_path, text), today=TODAY)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("expectations.csv", 4, column)
    assert fragment in problem.message
    assert await Expectation.all().count() == 0
    assert await AuditEntry.all().count() == 0


async def test_a_duplicate_names_the_first_line_and_the_band_scale(
    school: School, tmp_path: Path
) -> None:
    text = "pupil_id,area,band\nP1,reading,good\nP2,maths,below\nP2,maths,towards\n"
    with pytest.raises(ImportInvalid) as caught:
        await import_expectations(school, write(tmp_path, text), today=TODAY)
    first, second = caught.value.problems
    assert first.params["bands"] == "below, towards, expected, greater_depth"
    assert second.params == {"pupil_id": "P2", "area": "maths", "other_line": "3"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "pupil,area,band\nP1,reading,expected\n",
            Problem(
                "expectations.csv",
                1,
                "pupil_id",
                "The header has no column {column}.",
                {"column": "pupil_id"},
            ),
        ),
        (
            "pupil_id,area,band\n",
            Problem("expectations.csv", 1, "", "There are no rows below the header."),
        ),
    ],
)
async def test_a_file_without_the_columns_or_rows_is_refused(
    school: School, tmp_path: Path, text: str, problem: Problem
) -> None:
    with pytest.raises(ImportInvalid) as caught:
        await import_expectations(school, write(tmp_path, text), today=TODAY)
    assert caught.value.problems == [problem]


def test_the_command_line_prints_counts_or_problems(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'bot.sqlite3'}"}
    examples = ROOT / "examples" / "roster"
    roster = run_cli(
        "import-roster",
        *(f"--{name}={examples / name}.csv" for name in ("staff", "pupils", "contacts")),
        env=env,
        cwd=tmp_path,
    )
    assert roster.returncode == 0, roster.stderr
    good = write(tmp_path, "pupil_id,area,band\nP001,reading,expected\nP003,maths,towards\n")
    result = run_cli("import-expectations", str(good), env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 set, 0 changed, 0 unchanged." in result.stdout
    bad = write(
        tmp_path, "pupil_id,area,band\nP001,reading,greater_depth\nP001,maths,good\n", "b.csv"
    )
    result = run_cli("import-expectations", str(bad), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Nothing was changed" in result.stderr
    assert "b.csv, line 3, column band: good is not a band for maths" in result.stderr
    again = run_cli("import-expectations", str(good), env=env, cwd=tmp_path)
    assert "0 set, 0 changed, 2 unchanged." in again.stdout
