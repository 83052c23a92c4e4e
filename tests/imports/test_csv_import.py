"""The shared CSV import path, through a small importer of class names into the real database.

Reading (BOM, header names, required and optional columns), problems with file, line and
column, refusing a file with any problem, and writing all or nothing with the audit entry.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from models import AuditEntry, School, SchoolClass
from models.imports import (
    MAX_PROBLEMS,
    ImportAudit,
    ImportInvalid,
    Problem,
    Table,
    import_csv,
)
from models.imports.cells import EMPTY, NOT_A_NUMBER, TOO_LONG, filled, whole_number
from models.imports.headers import DUPLICATE_COLUMN, MISSING_COLUMN
from models.imports.reading import FILE_NOT_FOUND, NOT_UTF8, read_table
from tests.factories import make_school

REQUIRED = ("class_name", "pupils")
OPTIONAL = ("room",)
HEADER = "class_name,pupils,room\n"
GOOD = "3B,28,Blue room\n4C,30,\n5A,27,Hall\n"


@pytest.fixture
async def school(db: str) -> School:
    return await make_school()


def write(tmp_path: Path, data: str | bytes, name: str = "classes.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def check(table: Table) -> list[str]:
    """Class names up to 4 characters with a whole number of pupils."""
    names = []
    for row in table.rows:
        if not filled(table, row, REQUIRED):
            continue
        if len(row["class_name"]) > 4:
            table.problem(row.line, "class_name", TOO_LONG, limit="4")
        elif whole_number(table, row, "pupils") is not None:
            names.append(row["class_name"])
    return names


async def create(school: School, names: list[str]) -> int:
    await SchoolClass.bulk_create([SchoolClass(school=school, name=name) for name in names])
    return len(names)


async def import_classes(school: School, path: Path) -> int:
    return await import_csv(
        path,
        REQUIRED,
        optional=OPTIONAL,
        check=check,
        write=partial(create, school),
        audit=ImportAudit(school, "classes_imported", lambda created: {"created": created}),
    )


async def refused(school: School, path: Path) -> list[Problem]:
    with pytest.raises(ImportInvalid) as caught:
        await import_classes(school, path)
    return caught.value.problems


async def counts() -> tuple[int, int]:
    return await SchoolClass.all().count(), await AuditEntry.all().count()


# --- reading --------------------------------------------------------------------------------


def test_excel_csv_utf8_with_a_bom_and_crlf_reads_like_plain_utf8(tmp_path: Path) -> None:
    text = (HEADER + GOOD).replace("\n", "\r\n")
    plain = read_table(write(tmp_path, text, "plain.csv"), REQUIRED, OPTIONAL)
    excel = read_table(write(tmp_path, b"\xef\xbb\xbf" + text.encode(), "excel.csv"), REQUIRED)

    assert excel.problems == []
    assert [row.cells for row in excel.rows] == [
        {"class_name": "3B", "pupils": "28"},
        {"class_name": "4C", "pupils": "30"},
        {"class_name": "5A", "pupils": "27"},
    ]
    assert [(row.line, row["class_name"]) for row in excel.rows] == [
        (row.line, row["class_name"]) for row in plain.rows
    ]


def test_header_names_match_in_any_spelling_and_extra_columns_are_ignored(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "Teacher, Class Name ,PUPILS,Room\nMrs Hill,3B,28,\n")

    table = read_table(path, REQUIRED, OPTIONAL)

    assert table.problems == []
    assert table.rows[0].cells == {"class_name": "3B", "pupils": "28", "room": ""}


def test_an_optional_column_may_be_left_out_and_then_reads_blank(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "class_name,pupils\n3B,28\n"), REQUIRED, OPTIONAL)

    assert table.problems == []
    assert table.rows[0]["room"] == ""


def test_an_optional_column_named_twice_is_still_refused(tmp_path: Path) -> None:
    table = read_table(
        write(tmp_path, "class_name,pupils,room,Room\n3B,28,A,B\n"), REQUIRED, OPTIONAL
    )

    assert table.problems == [
        Problem("classes.csv", 1, "room", DUPLICATE_COLUMN, {"column": "room"})
    ]


def test_bytes_that_are_not_utf8_name_their_line_and_column(tmp_path: Path) -> None:
    data = (HEADER + "3B,28,Blue room\n4C,30,Salle d'été\n").encode("latin-1")

    table = read_table(write(tmp_path, data), REQUIRED, OPTIONAL)

    assert table.problems == [Problem("classes.csv", 3, "room", NOT_UTF8, {})]
    assert table.rows == []


# --- refusing -------------------------------------------------------------------------------


async def test_a_missing_column_is_a_problem_on_the_header(school: School, tmp_path: Path) -> None:
    problems = await refused(school, write(tmp_path, "class_name,room\n3B,Hall\n"))

    assert problems == [Problem("classes.csv", 1, "pupils", MISSING_COLUMN, {"column": "pupils"})]


async def test_a_missing_file_is_named(school: School, tmp_path: Path) -> None:
    problems = await refused(school, tmp_path / "absent.csv")

    assert problems == [Problem("absent.csv", 0, "", FILE_NOT_FOUND, {"file": "absent.csv"})]


async def test_a_bad_cell_names_its_file_line_and_column(school: School, tmp_path: Path) -> None:
    # A quoted cell over two physical lines: the row after it starts on line 5.
    text = HEADER + '3B,28,"Blue\nroom"\n4C,30,\n5A,lots,Hall\n'

    problems = await refused(school, write(tmp_path, text))

    assert problems == [Problem("classes.csv", 5, "pupils", NOT_A_NUMBER, {"value": "lots"})]


async def test_every_problem_is_listed_in_line_order(school: School, tmp_path: Path) -> None:
    text = HEADER + "Year 3 Blue,28,\n4C,,\n5A,x,\n"

    problems = await refused(school, write(tmp_path, text))

    assert [(p.line, p.column, p.message) for p in problems] == [
        (2, "class_name", TOO_LONG),
        (3, "pupils", EMPTY),
        (4, "pupils", NOT_A_NUMBER),
    ]


async def test_problems_are_capped_but_counted(school: School, tmp_path: Path) -> None:
    rows = "".join(f"C{n},many,\n" for n in range(MAX_PROBLEMS + 5))

    with pytest.raises(ImportInvalid) as caught:
        await import_classes(school, write(tmp_path, HEADER + rows))

    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.total == MAX_PROBLEMS + 5
    assert caught.value.params == {"count": str(MAX_PROBLEMS + 5)}


# --- writing --------------------------------------------------------------------------------


async def test_one_bad_row_writes_nothing_at_all(school: School, tmp_path: Path) -> None:
    await SchoolClass.create(school=school, name="RB")
    before = await counts()

    await refused(school, write(tmp_path, HEADER + GOOD + "6D,thirty,\n"))

    assert await counts() == before == (1, 0)


async def test_a_write_that_fails_halfway_leaves_nothing_behind(
    school: School, tmp_path: Path
) -> None:
    async def create_then_fail(names: list[str]) -> int:
        await create(school, names)
        assert await SchoolClass.all().count() == 3  # written, inside the transaction
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        await import_csv(
            write(tmp_path, HEADER + GOOD),
            REQUIRED,
            check=check,
            write=create_then_fail,
            audit=ImportAudit(school, "classes_imported", lambda created: {"created": created}),
        )

    assert await counts() == (0, 0)


async def test_success_writes_every_row_and_one_audit_entry(school: School, tmp_path: Path) -> None:
    before = await counts()

    created = await import_classes(school, write(tmp_path, HEADER + GOOD))

    assert created == 3
    assert await counts() == (before[0] + 3, before[1] + 1)
    assert sorted(await SchoolClass.all().values_list("name", flat=True)) == ["3B", "4C", "5A"]
    entry = await AuditEntry.get(action="classes_imported")
    assert (entry.actor_kind, entry.actor_id, entry.subject_kind, entry.subject_id) == (
        "system",
        None,
        "school",
        school.id,
    )
    assert entry.school_id == school.id  # type: ignore[attr-defined]
    assert entry.details == {"created": 3}


async def test_without_an_audit_the_write_alone_is_stored(school: School, tmp_path: Path) -> None:
    await import_csv(
        write(tmp_path, HEADER + GOOD),
        REQUIRED,
        check=check,
        write=partial(create, school),
        audit=None,
    )

    assert await counts() == (3, 0)
