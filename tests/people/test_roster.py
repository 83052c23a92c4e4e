"""Roster import: reading and checking the three CSV files, then applying them all or nothing."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from models import AuditEntry, Guardian, GuardianLink, Pupil, School, SchoolClass, Staff
from models.common.enums import Role, YearGroup
from models.imports import MAX_PROBLEMS, ImportInvalid, Problem, cells, headers, reading
from models.people.roster import RosterReport, import_roster, validate
from tests.factories import NOW, make_school

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "roster"
LATER = NOW + timedelta(days=7)
KINDS = ("staff", "classes", "pupils", "guardians", "links")
EXAMPLE_COUNTS = Counter(staff=5, classes=3, pupils=12, guardians=13, links=14)
CONTACT_C013 = "C013,P012,Emma,Walker,mother,emma.walker@mail.example,07700 900113,en-GB,yes"
CONTACT_C012 = "C012,P011,Mihai,Ionescu,father,mihai.ionescu@mail.example,07700 900112,ro,yes"
CONTACT_C001_P002 = "C001,P002,Ewa,Nowak,mother,ewa.nowak@mail.example,07700 900101,pl,yes"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Editable copies of the example roster."""
    folder = tmp_path / "roster"
    folder.mkdir()
    return {
        name: Path(shutil.copy(EXAMPLES / f"{name}.csv", folder / f"{name}.csv"))
        for name in ("staff", "pupils", "contacts")
    }


@pytest.fixture
async def school(db: str) -> School:
    return await make_school()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def run(school: School, files: dict[str, Path], now: Any = NOW) -> RosterReport:
    return await import_roster(
        school, staff=files["staff"], pupils=files["pupils"], contacts=files["contacts"], now=now
    )


async def refused(school: School, files: dict[str, Path]) -> list[Problem]:
    with pytest.raises(ImportInvalid) as caught:
        await run(school, files)
    return caught.value.problems


async def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every roster row and staff membership, field by field."""
    return {
        "classes": await SchoolClass.all().order_by("id").values(),
        "staff": await Staff.all().order_by("id").values(),
        "pupils": await Pupil.all().order_by("id").values(),
        "guardians": await Guardian.all().order_by("id").values(),
        "links": await GuardianLink.all().order_by("id").values(),
        "memberships": await Staff.filter(classes__id__not_isnull=True)
        .order_by("id", "classes__id")
        .values("id", "classes__id"),
        "audit": await AuditEntry.all().order_by("id").values(),
    }


# --- applying -------------------------------------------------------------------------------


async def test_first_import_of_the_examples_creates_everything(
    school: School, files: dict[str, Path]
) -> None:
    report = await run(school, files)

    assert report.created == EXAMPLE_COUNTS
    assert report.updated == Counter()
    assert report.unchanged == Counter()
    assert report.left == Counter()
    assert await Pupil.filter(school=school).count() == 12
    maja = await Pupil.get(external_id="P001").prefetch_related("school_class")
    assert (maja.first_name, maja.year_group, maja.school_class.name) == (
        "Maja",
        YearGroup.Y3,
        "3B",
    )
    assert (await Pupil.get(external_id="P002")).year_group is YearGroup.RECEPTION
    assistant = await Staff.get(external_id="ST05").prefetch_related("classes")
    assert assistant.role is Role.ASSISTANT
    assert sorted(c.name for c in assistant.classes) == ["3B", "RB"]
    head = await Staff.get(external_id="ST01").prefetch_related("classes")
    assert (head.role, list(head.classes)) == (Role.ADMIN, [])


async def test_guardians_links_and_languages_follow_the_contacts_file(
    school: School, files: dict[str, Path]
) -> None:
    await run(school, files)

    ewa = await Guardian.get(external_id="C001")
    children = await GuardianLink.filter(guardian=ewa).values_list("pupil__external_id", flat=True)
    assert sorted(children) == ["P001", "P002"]
    assert (ewa.language, ewa.phone, ewa.email) == ("pl", "07700 900101", "ewa.nowak@mail.example")
    languages = await Guardian.filter(school=school).values_list("language", flat=True)
    assert set(languages) == {"en", "pl", "ro", "ur", "ar", "uk"}
    assert (await Guardian.get(external_id="C013")).language == "en"  # en-GB
    lily_links = await GuardianLink.filter(pupil__external_id="P007").values_list(
        "guardian__external_id", "receives_reports"
    )
    assert sorted(lily_links) == [("C006", True), ("C007", True)]
    grandmother = await GuardianLink.get(guardian__external_id="C009")
    assert (grandmother.relationship, grandmother.receives_reports) == ("grandmother", False)


async def test_import_writes_one_audit_entry_with_counts_only(
    school: School, files: dict[str, Path]
) -> None:
    await run(school, files)

    entry = await AuditEntry.get(action="roster_imported")
    assert entry.school_id == school.id  # type: ignore[attr-defined]
    assert entry.details["created"] == dict(EXAMPLE_COUNTS)
    assert "Nowak" not in str(entry.details)


async def test_reimporting_the_same_files_changes_nothing(
    school: School, files: dict[str, Path]
) -> None:
    await run(school, files)
    before = await snapshot()

    report = await run(school, files, now=LATER)

    assert report.unchanged == EXAMPLE_COUNTS
    assert report.created == report.updated == report.left == Counter()
    after = await snapshot()
    assert len(after.pop("audit")) == len(before.pop("audit")) + 1
    assert after == before


async def test_a_changed_name_updates_one_row_in_place(
    school: School, files: dict[str, Path]
) -> None:
    await run(school, files)
    before = await Pupil.get(external_id="P004")
    edit(files["pupils"], "P004,Zainab,Hussain", "P004,Zaynab,Hussain")

    report = await run(school, files, now=LATER)

    assert report.updated == Counter(pupils=1)
    assert report.unchanged["pupils"] == 11
    assert report.created == Counter()
    pupil = await Pupil.get(external_id="P004")
    assert (pupil.id, pupil.first_name) == (before.id, "Zaynab")
    assert pupil.updated_at > before.updated_at
    assert await Pupil.filter(school=school).count() == 12


async def test_a_removed_pupil_is_marked_left_and_comes_back_on_reappearing(
    school: School, files: dict[str, Path]
) -> None:
    await run(school, files)
    original = files["pupils"].read_text(encoding="utf-8")
    edit(files["pupils"], "P012,Noah,Walker,R,RB\n", "")
    edit(files["contacts"], CONTACT_C013 + "\n", "")

    report = await run(school, files, now=LATER)

    assert report.left == Counter(pupils=1, guardians=1, links=1)
    assert report.unchanged["pupils"] == 11
    noah = await Pupil.get(external_id="P012")
    assert noah.left_at == LATER
    assert (await Guardian.get(external_id="C013")).left_at == LATER
    assert not await GuardianLink.filter(pupil=noah).exists()

    files["pupils"].write_text(original, encoding="utf-8")
    report = await run(school, files, now=LATER + timedelta(days=1))

    assert report.updated["pupils"] == 1
    assert report.left == Counter()
    assert (await Pupil.get(external_id="P012")).left_at is None


async def test_a_pupil_missing_from_the_file_stays_left_without_being_counted_again(
    school: School, files: dict[str, Path]
) -> None:
    await run(school, files)
    edit(files["pupils"], "P011,Elena,Ionescu,3,3B\n", "")
    edit(files["contacts"], CONTACT_C012 + "\n", "")
    await run(school, files, now=LATER)

    report = await run(school, files, now=LATER + timedelta(days=1))

    assert report.left == Counter()
    assert (await Pupil.get(external_id="P011")).left_at == LATER


async def test_staff_classes_are_replaced_to_match_the_file(
    school: School, files: dict[str, Path]
) -> None:
    await run(school, files)
    edit(files["staff"], "assistant,RB;3B", "assistant,4H")
    edit(files["staff"], "ST04,Grace,Okafor,g.okafor@oakfield.example,teacher,RB\n", "")
    edit(files["staff"], "admin,", "admin,RB")

    report = await run(school, files, now=LATER)

    assert report.updated["staff"] == 2
    assert report.left["staff"] == 1
    assert report.unchanged == Counter(staff=2, classes=3, pupils=12, guardians=13, links=14)
    memberships = await Staff.filter(classes__id__not_isnull=True).values_list(
        "external_id", "classes__name"
    )
    assert sorted(memberships) == [("ST01", "RB"), ("ST02", "3B"), ("ST03", "4H"), ("ST05", "4H")]
    assert (await Staff.get(external_id="ST04")).left_at == LATER


async def test_lenient_spellings_are_accepted(school: School, files: dict[str, Path]) -> None:
    edit(files["pupils"], "P001,Maja,Nowak,3,3B", "P001,Maja,Nowak,Year 3,3b")
    edit(files["pupils"], "P002,Kacper,Nowak,R,RB", "P002,Kacper,Nowak,yr,rb")
    edit(files["pupils"], "P003,Andrei,Popescu,4,4H", "P003,Andrei,Popescu,Y4,4H")
    edit(files["staff"], "admin,", "ADMIN,")
    edit(files["contacts"], "07700 900102,ro,yes", "07700 900102,ro-RO,Y")
    edit(files["contacts"], "07700 900103,ur,yes", "07700 900103,ur_PK,TRUE")
    edit(files["contacts"], "07700 900109,en,no", "07700 900109,,False")

    report = await run(school, files)

    assert report.created == EXAMPLE_COUNTS
    maja = await Pupil.get(external_id="P001").prefetch_related("school_class")
    assert (maja.year_group, maja.school_class.name) == (YearGroup.Y3, "3B")
    assert (await Pupil.get(external_id="P002")).year_group is YearGroup.RECEPTION
    assert (await Guardian.get(external_id="C002")).language == "ro"
    assert (await Guardian.get(external_id="C003")).language == "ur"
    assert (await Guardian.get(external_id="C009")).language is None
    assert not (await GuardianLink.get(guardian__external_id="C009")).receives_reports


async def test_an_unknown_but_wellformed_language_is_stored(
    school: School, files: dict[str, Path]
) -> None:
    edit(files["contacts"], "07700 900104,ar,yes", "07700 900104,so-SO,yes")

    await run(school, files)

    assert (await Guardian.get(external_id="C004")).language == "so"


async def test_excel_bom_crlf_extra_columns_and_any_column_order_are_accepted(
    school: School, files: dict[str, Path], tmp_path: Path
) -> None:
    excel = {}
    for name, path in files.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        header, *rows = [line.split(",") for line in lines]
        order = list(reversed(range(len(header))))
        shuffled_header = [f" {header[i].upper().replace('_', ' ')} " for i in order]
        body = [[f" {row[i]} " for i in order] + ["ignored"] for row in rows]
        text = "\r\n".join(",".join(cells) for cells in [[*shuffled_header, "Notes"], *body])
        excel[name] = tmp_path / f"excel-{name}.csv"
        excel[name].write_bytes(b"\xef\xbb\xbf" + (text + "\r\n").encode("utf-8"))

    first = await run(school, excel)
    again = await run(school, files, now=LATER)

    assert first.created == EXAMPLE_COUNTS
    assert again.unchanged == EXAMPLE_COUNTS


async def test_blank_rows_and_quoted_cells_are_fine(school: School, files: dict[str, Path]) -> None:
    edit(
        files["pupils"], "P004,Zainab,Hussain,3,3B\n", 'P004,"Zainab, Sara",Hussain,3,3B\n,,,,\n\n'
    )

    await run(school, files)

    assert (await Pupil.get(external_id="P004")).first_name == "Zainab, Sara"


async def test_telegram_links_survive_a_reimport(school: School, files: dict[str, Path]) -> None:
    await run(school, files)
    await Staff.filter(external_id="ST02").update(telegram_user_id=1001, linked_at=NOW)
    await Staff.filter(external_id="ST05").update(telegram_user_id=1002, linked_at=NOW)
    await Guardian.filter(external_id="C001").update(telegram_user_id=2001, linked_at=NOW)
    edit(files["staff"], "ST02,Amira,Khan", "ST02,Amira,Khan-Ali")
    edit(files["staff"], "ST05,Priya,Patel,p.patel@oakfield.example,assistant,RB;3B\n", "")
    edit(files["contacts"], "C001,P001,Ewa,Nowak,", "C001,P001,Ewa,Nowak-Kowalska,")
    edit(files["contacts"], "C001,P002,Ewa,Nowak,", "C001,P002,Ewa,Nowak-Kowalska,")

    report = await run(school, files, now=LATER)

    assert report.updated == Counter(staff=1, guardians=1)
    amira = await Staff.get(external_id="ST02")
    assert (amira.last_name, amira.telegram_user_id, amira.linked_at) == ("Khan-Ali", 1001, NOW)
    priya = await Staff.get(external_id="ST05")
    assert (priya.left_at, priya.telegram_user_id) == (LATER, 1002)
    ewa = await Guardian.get(external_id="C001")
    assert (ewa.last_name, ewa.telegram_user_id, ewa.linked_at) == ("Nowak-Kowalska", 2001, NOW)


async def test_link_changes_are_counted_and_stale_links_deleted(
    school: School, files: dict[str, Path]
) -> None:
    await run(school, files)
    edit(files["contacts"], "grandmother,,07700 900109,en,no", "grandmother,,07700 900109,en,yes")
    edit(files["contacts"], CONTACT_C001_P002 + "\n", "")

    report = await run(school, files, now=LATER)

    assert report.updated == Counter(links=1)
    assert report.left == Counter(links=1)
    assert report.unchanged["guardians"] == 13
    assert (await GuardianLink.get(guardian__external_id="C009")).receives_reports
    assert not await GuardianLink.filter(
        guardian__external_id="C001", pupil__external_id="P002"
    ).exists()


async def test_a_class_renamed_only_in_case_is_the_same_class(
    school: School, files: dict[str, Path]
) -> None:
    await run(school, files)
    three_b = await SchoolClass.get(school=school, name="3B")
    for name in ("staff", "pupils"):
        files[name].write_text(
            files[name].read_text(encoding="utf-8").replace("3B", "3b"), encoding="utf-8"
        )

    report = await run(school, files, now=LATER)

    assert report.updated["classes"] == 1
    assert report.created["classes"] == 0
    assert (await SchoolClass.get(id=three_b.id)).name == "3b"
    assert await Pupil.filter(school_class=three_b).count() == 4


async def test_another_schools_roster_is_left_alone(school: School, files: dict[str, Path]) -> None:
    await run(school, files)
    other = await make_school("Beechwood Primary")
    before = await Staff.filter(school=school).order_by("id").values()

    report = await run(other, files, now=LATER)

    assert report.created == EXAMPLE_COUNTS
    assert await Staff.filter(school=school).order_by("id").values() == before
    assert await Pupil.filter(school=school, left_at=None).count() == 12


# --- refusing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        pytest.param(
            "staff", "ST03,Tom,", "ST03,,", (4, "first_name", cells.EMPTY, {}), id="empty-cell"
        ),
        pytest.param(
            "staff",
            "teacher,4H",
            "teachr,4H",
            (4, "role", validate.BAD_ROLE, {"value": "teachr"}),
            id="role",
        ),
        pytest.param(
            "pupils",
            "Popescu,4,4H",
            "Popescu,7,4H",
            (4, "year_group", validate.BAD_YEAR_GROUP, {"value": "7"}),
            id="year-group",
        ),
        pytest.param(
            "staff",
            "ST05,Priya",
            "ST02,Priya",
            (6, "staff_id", validate.DUPLICATE_ID, {"value": "ST02", "other_line": "3"}),
            id="duplicate-staff-id",
        ),
        pytest.param(
            "pupils",
            "P012,Noah,Walker,R,RB\n",
            "P012,Noah,Walker,R,RB\nP005,Sam,Reid,R,RB\n",
            (14, "pupil_id", validate.DUPLICATE_ID, {"value": "P005", "other_line": "6"}),
            id="duplicate-pupil-id",
        ),
        pytest.param(
            "contacts",
            CONTACT_C013,
            CONTACT_C012,
            (
                15,
                "pupil_id",
                validate.DUPLICATE_LINK,
                {"contact_id": "C012", "pupil_id": "P011", "other_line": "14"},
            ),
            id="duplicate-contact-pupil",
        ),
        pytest.param(
            "pupils",
            "Maja,Nowak,3,3B",
            "Maja,Nowak,3,5K",
            (2, "class", validate.UNKNOWN_CLASS, {"value": "5K", "staff_file": "staff.csv"}),
            id="unknown-class",
        ),
        pytest.param(
            "contacts",
            "C013,P012",
            "C013,P099",
            (
                15,
                "pupil_id",
                validate.UNKNOWN_PUPIL,
                {"value": "P099", "pupils_file": "pupils.csv"},
            ),
            id="unknown-pupil",
        ),
        pytest.param(
            "contacts",
            "en-GB,yes",
            "en-GB,maybe",
            (15, "receives_reports", validate.BAD_YES_NO, {"value": "maybe"}),
            id="receives-reports",
        ),
        pytest.param(
            "contacts",
            "en-GB,yes",
            "en-GB,",
            (15, "receives_reports", cells.EMPTY, {}),
            id="receives-reports-blank",
        ),
        pytest.param(
            "contacts",
            "en-GB,yes",
            "English,yes",
            (15, "language", validate.BAD_LANGUAGE, {"value": "English"}),
            id="language",
        ),
        pytest.param(
            "contacts",
            "C001,P002,Ewa,Nowak,mother,ewa.nowak@mail.example,07700 900101,pl",
            "C001,P002,Ewa,Nowak,mother,ewa.nowak@mail.example,07700 900101,ro",
            (3, "language", validate.CONTACT_DIFFERS, {"contact_id": "C001", "other_line": "2"}),
            id="contact-differs",
        ),
        pytest.param(
            "staff",
            "t.bennett@oakfield.example",
            "t.bennett at oakfield",
            (4, "email", validate.BAD_EMAIL, {}),
            id="email",
        ),
        pytest.param(
            "contacts",
            "ioana.popescu@mail.example",
            "ioana.popescu@",
            (4, "email", validate.BAD_EMAIL, {}),
            id="contact-email",
        ),
        pytest.param(
            "pupils",
            "P005,Omar,",
            "P005," + "O" * 101 + ",",
            (6, "first_name", cells.TOO_LONG, {"limit": "100"}),
            id="too-long",
        ),
        pytest.param(
            "staff",
            "teacher,4H",
            "teacher,4H;" + "X" * 65,
            (4, "classes", cells.TOO_LONG, {"limit": "64"}),
            id="class-name-too-long",
        ),
    ],
)
async def test_each_rule_names_file_line_and_column(
    school: School,
    files: dict[str, Path],
    name: str,
    old: str,
    new: str,
    expected: tuple[int, str, str, dict[str, str]],
) -> None:
    edit(files[name], old, new)

    problems = await refused(school, files)

    assert problems == [Problem(f"{name}.csv", *expected)]


async def test_a_missing_column_is_one_problem_on_the_header(
    school: School, files: dict[str, Path]
) -> None:
    edit(files["pupils"], "year_group", "year")

    problems = await refused(school, files)

    # Nothing about contacts' pupils either: an unreadable pupils file proves nothing.
    assert problems == [
        Problem("pupils.csv", 1, "year_group", headers.MISSING_COLUMN, {"column": "year_group"})
    ]


async def test_a_column_named_twice_is_refused(school: School, files: dict[str, Path]) -> None:
    edit(files["staff"], "role,classes", "role,Role")

    problems = await refused(school, files)

    assert problems == [
        Problem("staff.csv", 1, "role", headers.DUPLICATE_COLUMN, {"column": "role"}),
        Problem("staff.csv", 1, "classes", headers.MISSING_COLUMN, {"column": "classes"}),
    ]


async def test_a_file_that_is_not_utf8_names_the_line_and_column(
    school: School, files: dict[str, Path]
) -> None:
    text = files["contacts"].read_text(encoding="utf-8").replace("Layla", "Layl\u00e4")
    files["contacts"].write_bytes(text.encode("latin-1"))

    problems = await refused(school, files)

    assert problems == [Problem("contacts.csv", 6, "first_name", reading.NOT_UTF8, {})]


async def test_a_utf16_file_is_refused_on_its_first_line(
    school: School, files: dict[str, Path]
) -> None:
    text = files["staff"].read_text(encoding="utf-8")
    files["staff"].write_bytes(text.encode("utf-16"))

    problems = await refused(school, files)

    assert problems == [Problem("staff.csv", 1, "", reading.NOT_UTF8, {})]


async def test_an_unclosed_quote_names_the_line_it_opens_on(
    school: School, files: dict[str, Path]
) -> None:
    edit(files["staff"], "ST02,Amira,", 'ST02,"Amira,')

    problems = await refused(school, files)

    assert problems == [Problem("staff.csv", 3, "", reading.UNCLOSED_QUOTE, {})]


async def test_a_stray_quote_names_its_line(school: School, files: dict[str, Path]) -> None:
    edit(files["pupils"], "P003,Andrei,", 'P003,"Andrei"x,')

    problems = await refused(school, files)

    assert problems == [Problem("pupils.csv", 4, "", reading.BAD_QUOTES, {})]


async def test_missing_empty_and_headless_files_are_problems(
    school: School, files: dict[str, Path]
) -> None:
    files["staff"].unlink()
    files["pupils"].write_text("", encoding="utf-8")
    files["contacts"].write_text(",".join(validate.CONTACT_COLUMNS) + "\n", encoding="utf-8")

    problems = await refused(school, files)

    assert problems == [
        Problem("staff.csv", 0, "", reading.FILE_NOT_FOUND, {"file": "staff.csv"}),
        Problem("pupils.csv", 1, "", reading.FILE_EMPTY, {}),
        Problem("contacts.csv", 1, "", reading.NO_ROWS, {}),
    ]


async def test_all_problems_are_reported_in_file_and_line_order(
    school: School, files: dict[str, Path]
) -> None:
    edit(files["contacts"], "en-GB,yes", "en-GB,maybe")
    edit(files["contacts"], "C002,P003", "C002,P098")
    edit(files["pupils"], "Walker,R,RB", "Walker,N,RB")
    edit(
        files["staff"],
        "ST04,Grace,Okafor,g.okafor@oakfield.example,teacher",
        "ST04,Grace,,g.okafor@oakfield.example,boss",
    )

    problems = await refused(school, files)

    assert [(p.file, p.line, p.column) for p in problems] == [
        ("staff.csv", 5, "last_name"),
        ("staff.csv", 5, "role"),
        ("pupils.csv", 13, "year_group"),
        ("contacts.csv", 4, "pupil_id"),
        ("contacts.csv", 15, "receives_reports"),
    ]


async def test_problems_are_capped_but_counted(school: School, files: dict[str, Path]) -> None:
    rows = "".join(f"P{n:03},Pupil,Test,9,3B\n" for n in range(100, 100 + MAX_PROBLEMS + 10))
    files["pupils"].write_text(files["pupils"].read_text(encoding="utf-8") + rows, encoding="utf-8")

    with pytest.raises(ImportInvalid) as caught:
        await run(school, files)

    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.total == MAX_PROBLEMS + 10
    assert caught.value.params == {"count": str(MAX_PROBLEMS + 10)}


async def test_a_bad_file_changes_nothing_at_all(school: School, files: dict[str, Path]) -> None:
    await run(school, files)
    before = await snapshot()
    edit(files["pupils"], "P004,Zainab,Hussain", "P004,Zaynab,Hussain")
    edit(files["pupils"], "P012,Noah,Walker,R,RB\n", "P013,Leo,Brown,R,RB\n")
    edit(files["staff"], "ST05,Priya,Patel", "ST06,Sam,Reid")
    edit(files["contacts"], "C013,P012", "C013,P013")
    edit(files["contacts"], "07700 900104,ar,yes", "07700 900104,ar,perhaps")

    problems = await refused(school, files)

    assert [(p.file, p.line, p.column) for p in problems] == [
        ("contacts.csv", 6, "receives_reports")
    ]
    assert await snapshot() == before
    assert (await Pupil.get(external_id="P004")).first_name == "Zainab"


async def test_a_bad_first_import_creates_nothing(school: School, files: dict[str, Path]) -> None:
    edit(files["contacts"], "C013,P012", "C013,P099")

    await refused(school, files)

    assert all(not rows for rows in (await snapshot()).values())
