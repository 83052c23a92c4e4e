"""CSV imports: any file is imported or refused with ImportInvalid, and a refusal changes nothing.

Every importer shares models/imports; each is fed files near its own columns (right, wrong and
missing headers, cells of every kind, stray quotes, BOMs, bytes that are not UTF-8). A valid
roster, however its names are spelled, reads back from the database exactly as written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tortoise import Tortoise

from models import Guardian, GuardianLink, Pupil, School, Staff
from models.announcements.templates import import_templates
from models.assessment.expectations_import import import_expectations
from models.calendar.terms_import import import_terms
from models.common.enums import Role, YearGroup
from models.imports import ImportInvalid, read_table
from models.meetings.rounds_import import import_rounds
from models.people.roster import import_roster
from models.people.roster.rules import parse_language
from models.people.roster.validate import CONTACT_COLUMNS, PUPIL_COLUMNS, STAFF_COLUMNS
from tests.factories import NOW, make_class, make_pupil, make_school

# Each example of the database tests runs whole imports; half the profile's count keeps the set
# quick, and HYPOTHESIS_PROFILE=explore still scales it.
in_the_database = settings(max_examples=max(10, (settings.default.max_examples or 0) // 2))
Importer = Callable[[School, Path], Awaitable[object]]
IMPORTERS: dict[str, tuple[tuple[str, ...], Importer]] = {
    "rounds": (("number", "name", "opens_on", "closes_on", "slot_minutes"), import_rounds),
    "terms": (("academic_year", "half_term", "starts_on", "ends_on"), import_terms),
    "expectations": (
        ("pupil_id", "area", "band"),
        lambda school, path: import_expectations(school, path, today=NOW.date()),
    ),
    "templates": (("key", "locale", "text"), import_templates),
}
PLAUSIBLE = [
    *["", " ", "1", "4", "6", "10", "-3", "99999", "2026-27", "2026-2027", "P1", "P9"],
    *["2026-09-03", "2026-10-23", "2026-11-24", "2027-02-30", "3/9/2026", "2026-13-01"],
    *["reading", "maths", "behaviour", "expected", "greater_depth", "below", "excellent"],
    *["en", "pl", "ur", "xx", "Round 1", "welcome", "trip.reminder", "a b", "yes", "Y3"],
]
cells = st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=12))
# Raw pieces that break CSV or UTF-8: quotes, lone carriage returns, NUL, invalid bytes.
breakers = st.sampled_from([b'"', b'x"y', b"\r", b"\x00", b"\xff\xfe", b"\xc3", b"\xef\xbb\xbf"])


def _spelled(column: str, style: int) -> str:
    return [column, column.upper(), column.replace("_", " ").title(), f" {column} "][style % 4]


@st.composite
def csv_files(draw: st.DrawFn, columns: tuple[str, ...]) -> bytes:
    """A file near a CSV with `columns`: some left out or doubled, extra ones, odd rows."""
    header = draw(st.lists(st.sampled_from([*columns, "extra", ""]), min_size=1, max_size=7))
    if draw(st.booleans()):
        header = list(columns) + header[:1]
    header = [_spelled(c, draw(st.integers(0, 3))) for c in header]
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 1), max_size=5))
    out = io.StringIO()
    csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows([header, *rows])
    data = out.getvalue().encode()
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(breakers) + data[at:]
    return data


def _any_file(columns: tuple[str, ...]) -> st.SearchStrategy[bytes]:
    return st.one_of(csv_files(columns), st.binary(max_size=80), st.text().map(str.encode))


@given(_any_file(("staff_id", "first_name", "email")), st.booleans())
@example(b'staff_id,first_name,email\n"1,x\n', True)
@example(b"staff_id,first_name,email\n1,\x00,\n", True)
def test_reading_any_file_gives_rows_or_problems(tmp_path: Path, data: bytes, blank: bool) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(data)
    table = read_table(path, ("staff_id",), ("first_name", "email") if blank else ("email",))
    lines = data.count(b"\n") + data.count(b"\r") + 1
    assert all(0 <= problem.line <= lines for problem in table.problems)
    assert all(problem.file == "staff.csv" for problem in table.problems)
    if not table.readable:
        assert table.problems
        assert not table.rows
    for row in table.rows:
        assert 1 < row.line <= lines
        assert any(row.cells.values())
        assert all(value == value.strip() and "\x00" not in value for value in row.cells.values())


async def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table."""
    return {
        name: await model.all().order_by(model._meta.pk_attr).values()
        for name, model in sorted(Tortoise.apps["models"].items())
    }


@pytest.fixture
async def school(db: str) -> School:
    school = await make_school()
    await make_pupil(school, await make_class(school), "P1")
    return school


async def _refused_or_done(import_file: Callable[[], Awaitable[object]]) -> None:
    before = await _snapshot()
    try:
        await import_file()
    except ImportInvalid as error:
        refused: ImportInvalid | None = error
    else:
        return
    assert refused is not None
    assert refused.problems
    assert refused.total >= len(refused.problems)
    assert all(problem.line >= 0 for problem in refused.problems)
    assert await _snapshot() == before


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
@in_the_database
@given(data=st.data())
async def test_each_importer_imports_or_refuses_and_then_changes_nothing(
    school: School, tmp_path: Path, kind: str, data: st.DataObject
) -> None:
    columns, importer = IMPORTERS[kind]
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(data.draw(_any_file(columns)))
    await _refused_or_done(lambda: importer(school, path))


@in_the_database
@given(_any_file(STAFF_COLUMNS), _any_file(PUPIL_COLUMNS), _any_file(CONTACT_COLUMNS))
async def test_the_roster_imports_or_refuses_and_then_changes_nothing(
    school: School, tmp_path: Path, staff: bytes, pupils: bytes, contacts: bytes
) -> None:
    paths = {"staff": tmp_path / "staff.csv", "pupils": tmp_path / "pupils.csv"}
    paths["contacts"] = tmp_path / "contacts.csv"
    for name, data in zip(paths, (staff, pupils, contacts), strict=True):
        paths[name].write_bytes(data)
    await _refused_or_done(lambda: import_roster(school, **paths, now=NOW))


# --- a valid roster round-trips -------------------------------------------------------------

# Names as people have them: any letters, marks, emoji, quotes, commas and line breaks inside,
# never blank or padded (cells are stripped) and never NUL (refused as not text).
names = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=30
).filter(lambda name: name == name.strip())
ids = st.text("ABCDEFGHJK0123456789-_", min_size=1, max_size=12)
emails = st.one_of(
    st.just(""),
    st.builds("{}@{}.uk".format, st.text("abcxyz.+", min_size=1), st.text("mnop", min_size=1)),
).filter(lambda email: email == "" or not email.startswith("@"))
LANGUAGES = ["", "pl", "PL-pl", "ur_PK", "en-GB", "ro", "uk", "ar", "zz"]
YEAR_GROUPS = {"R": "R", "Reception": "R", "yr": "R", "3": "3", "Y4": "4", "Year 6": "6"}
YES_NO = {"yes": True, "Y": True, "TRUE": True, "no": False, "n": False, "False": False}


def _unique(values: list[str]) -> bool:
    return len({value.casefold() for value in values}) == len(values)


@st.composite
def rosters(draw: st.DrawFn) -> dict[str, list[list[str]]]:
    """Three valid files: staff with classes, pupils in them, contacts for the pupils."""
    classes = draw(
        st.lists(names.filter(lambda n: ";" not in n and len(n) <= 64), min_size=1, max_size=3)
    )
    if not _unique(classes):
        classes = classes[:1]
    staff_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    taught = [draw(st.lists(st.sampled_from(classes), unique=True)) for _ in staff_ids]
    taught[0] = taught[0] or classes  # a class is one listed in staff.csv
    staff = [
        [
            staff_id,
            draw(names),
            draw(names),
            draw(emails),
            draw(st.sampled_from([*Role])).value.upper(),
            " ; ".join(their_classes),
        ]
        for staff_id, their_classes in zip(staff_ids, taught, strict=True)
    ]
    listed = sorted({name for their_classes in taught for name in their_classes})
    pupil_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    pupils = [
        [
            p,
            draw(names),
            draw(names),
            draw(st.sampled_from(sorted(YEAR_GROUPS))),
            draw(st.sampled_from(listed)),
        ]
        for p in pupil_ids
    ]
    contacts = []
    for contact_id in draw(st.lists(ids, min_size=1, max_size=3, unique=True)):
        person = [draw(names), draw(names)]
        details = [
            draw(emails),
            draw(names.filter(lambda n: len(n) <= 32)),
            draw(st.sampled_from(LANGUAGES)),
        ]
        for pupil_id in draw(
            st.lists(st.sampled_from(pupil_ids), min_size=1, max_size=2, unique=True)
        ):
            relationship = draw(st.one_of(st.just(""), names.filter(lambda n: len(n) <= 64)))
            reports = draw(st.sampled_from(sorted(YES_NO)))
            contacts.append([contact_id, pupil_id, *person, relationship, *details, reports])
    return {"staff": staff, "pupils": pupils, "contacts": contacts}


def _csv(columns: tuple[str, ...], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([list(columns), *rows])
    return out.getvalue().encode()


def _expected(roster: dict[str, list[list[str]]]) -> dict[str, set[tuple[Any, ...]]]:
    staff = {
        (
            s,
            first,
            last,
            email,
            Role(role.lower()),
            tuple(sorted({c.strip() for c in classes.split(";") if c.strip()})),
        )
        for s, first, last, email, role, classes in roster["staff"]
    }
    pupils = {
        (p, first, last, YearGroup(YEAR_GROUPS[year]), class_name)
        for p, first, last, year, class_name in roster["pupils"]
    }
    guardians = {
        (c, first, last, email, phone, parse_language(language) if language else None)
        for c, _p, first, last, _rel, email, phone, language, _rep in roster["contacts"]
    }
    links = {
        (c, p, rel, YES_NO[rep]) for c, p, _f, _l, rel, _e, _ph, _lang, rep in roster["contacts"]
    }
    return {"staff": staff, "pupils": pupils, "guardians": guardians, "links": links}


async def _stored(school: School) -> dict[str, set[tuple[Any, ...]]]:
    staff = set()
    for member in await Staff.filter(school=school).prefetch_related("classes"):
        classes = tuple(sorted(c.name for c in member.classes))
        staff.add(
            (
                member.external_id,
                member.first_name,
                member.last_name,
                member.email,
                member.role,
                classes,
            )
        )
    pupils = {
        (p.external_id, p.first_name, p.last_name, p.year_group, p.school_class.name)
        for p in await Pupil.filter(school=school).select_related("school_class")
    }
    guardians = {
        (g.external_id, g.first_name, g.last_name, g.email, g.phone, g.language)
        for g in await Guardian.filter(school=school)
    }
    links = {
        (
            link.guardian.external_id,
            link.pupil.external_id,
            link.relationship,
            link.receives_reports,
        )
        for link in await GuardianLink.filter(pupil__school=school).select_related(
            "guardian", "pupil"
        )
    }
    return {"staff": staff, "pupils": pupils, "guardians": guardians, "links": links}


@in_the_database
@given(rosters())
async def test_a_valid_roster_reads_back_exactly(
    db: str, tmp_path: Path, roster: dict[str, list[list[str]]]
) -> None:
    columns = {"staff": STAFF_COLUMNS, "pupils": PUPIL_COLUMNS, "contacts": CONTACT_COLUMNS}
    paths = {name: tmp_path / f"{name}.csv" for name in columns}
    for name, path in paths.items():
        path.write_bytes(_csv(columns[name], roster[name]))
    school = await make_school()
    try:
        await import_roster(school, **paths, now=NOW)
    except ImportInvalid as refused:
        raise AssertionError(refused.problems) from refused
    assert await _stored(school) == _expected(roster)
