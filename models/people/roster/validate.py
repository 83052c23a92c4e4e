"""Checking the three roster files completely and turning them into plain records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from models.common.enums import Role, YearGroup
from models.common.errors import N_
from models.imports import Row, Table, read_table, refuse
from models.imports.cells import EMPTY, TOO_LONG
from models.people.roster.rules import (
    is_email,
    parse_language,
    parse_role,
    parse_year_group,
    parse_yes_no,
)

STAFF_COLUMNS = ("staff_id", "first_name", "last_name", "email", "role", "classes")
PUPIL_COLUMNS = ("pupil_id", "first_name", "last_name", "year_group", "class")
CONTACT_COLUMNS = (
    "contact_id",
    "pupil_id",
    "first_name",
    "last_name",
    "relationship",
    "email",
    "phone",
    "language",
    "receives_reports",
)
# The other columns must be in the header but may be blank in a row.
REQUIRED_CELLS = frozenset(
    {
        "staff_id",
        "pupil_id",
        "contact_id",
        "first_name",
        "last_name",
        "role",
        "year_group",
        "class",
        "receives_reports",
    }
)
# The database column sizes (models/people/tables.py).
MAX_LENGTHS = {
    "staff_id": 64,
    "pupil_id": 64,
    "contact_id": 64,
    "first_name": 100,
    "last_name": 100,
    "email": 254,
    "phone": 32,
    "relationship": 64,
    "class": 64,
}
# What must agree on every row of one contact; relationship and reports are per child.
CONTACT_PERSON_COLUMNS = ("first_name", "last_name", "email", "phone", "language")

BAD_ROLE = N_("{value} is not a role; use admin, teacher or assistant.")
BAD_YEAR_GROUP = N_("{value} is not a year group; use R for Reception or 1 to 6.")
BAD_YES_NO = N_("{value} is not yes or no.")
BAD_LANGUAGE = N_("{value} is not a language code such as en, pl or ur.")
BAD_EMAIL = N_("This is not an email address.")
DUPLICATE_ID = N_("{value} is already used on line {other_line}.")
DUPLICATE_LINK = N_(
    "Contact {contact_id} is already listed for pupil {pupil_id} on line {other_line}."
)
UNKNOWN_CLASS = N_("Class {value} is not in the classes column of {staff_file}.")
UNKNOWN_PUPIL = N_("Pupil {value} is not in {pupils_file}.")
CONTACT_DIFFERS = N_("Contact {contact_id} has a different value here than on line {other_line}.")


@dataclass(frozen=True)
class StaffRecord:
    external_id: str
    first_name: str
    last_name: str
    email: str
    role: Role
    classes: tuple[str, ...]


@dataclass(frozen=True)
class PupilRecord:
    external_id: str
    first_name: str
    last_name: str
    year_group: YearGroup
    class_name: str


@dataclass(frozen=True)
class GuardianRecord:
    external_id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    language: str | None


@dataclass(frozen=True)
class LinkRecord:
    guardian_id: str
    pupil_id: str
    relationship: str
    receives_reports: bool


@dataclass(frozen=True)
class Roster:
    """Three valid files as records; class names are spelled as staff.csv first spells them."""

    classes: tuple[str, ...]
    staff: tuple[StaffRecord, ...]
    pupils: tuple[PupilRecord, ...]
    guardians: tuple[GuardianRecord, ...]
    links: tuple[LinkRecord, ...]


def read_roster(*, staff: Path, pupils: Path, contacts: Path) -> Roster:
    """Check all three files completely; ImportInvalid lists every problem found."""
    staff_table = read_table(staff, STAFF_COLUMNS)
    pupil_table = read_table(pupils, PUPIL_COLUMNS)
    contact_table = read_table(contacts, CONTACT_COLUMNS)
    staff_records, classes = _staff(staff_table)
    # A file that could not be read says nothing about which classes or pupils exist.
    pupil_records = _pupils(
        pupil_table, classes if staff_table.readable else None, staff_file=staff_table.file
    )
    known_pupils = {row["pupil_id"] for row in pupil_table.rows}
    guardians, links = _contacts(
        contact_table,
        known_pupils if pupil_table.readable else None,
        pupils_file=pupil_table.file,
    )
    refuse(staff_table, pupil_table, contact_table)
    return Roster(
        tuple(classes.values()),
        tuple(staff_records),
        tuple(pupil_records),
        tuple(guardians),
        tuple(links),
    )


def _check_cells(table: Table, row: Row) -> None:
    for column, value in row.cells.items():
        limit = MAX_LENGTHS.get(column)
        if not value and column in REQUIRED_CELLS:
            table.problem(row.line, column, EMPTY)
        elif limit is not None and len(value) > limit:
            table.problem(row.line, column, TOO_LONG, limit=str(limit))
    if row["email"] and not is_email(row["email"]):
        table.problem(row.line, "email", BAD_EMAIL)


def _check_unique(table: Table, row: Row, column: str, seen: dict[str, int]) -> None:
    value = row[column]
    if not value:
        return
    if value in seen:
        table.problem(row.line, column, DUPLICATE_ID, value=value, other_line=str(seen[value]))
    else:
        seen[value] = row.line


def _staff(table: Table) -> tuple[list[StaffRecord], dict[str, str]]:
    records = []
    classes: dict[str, str] = {}
    seen: dict[str, int] = {}
    for row in table.rows:
        _check_cells(table, row)
        _check_unique(table, row, "staff_id", seen)
        role = parse_role(row["role"])
        if row["role"] and role is None:
            table.problem(row.line, "role", BAD_ROLE, value=row["role"])
        names: list[str] = []
        for part in row["classes"].split(";"):
            name = part.strip()
            if len(name) > MAX_LENGTHS["class"]:
                table.problem(row.line, "classes", TOO_LONG, limit=str(MAX_LENGTHS["class"]))
            elif name:
                canonical = classes.setdefault(name.casefold(), name)
                if canonical not in names:
                    names.append(canonical)
        if role is not None:
            records.append(
                StaffRecord(
                    row["staff_id"],
                    row["first_name"],
                    row["last_name"],
                    row["email"],
                    role,
                    tuple(names),
                )
            )
    return records, classes


def _pupils(table: Table, classes: dict[str, str] | None, *, staff_file: str) -> list[PupilRecord]:
    records = []
    seen: dict[str, int] = {}
    for row in table.rows:
        _check_cells(table, row)
        _check_unique(table, row, "pupil_id", seen)
        year_group = parse_year_group(row["year_group"])
        if row["year_group"] and year_group is None:
            table.problem(row.line, "year_group", BAD_YEAR_GROUP, value=row["year_group"])
        class_name = row["class"]
        if classes is not None and class_name:
            if class_name.casefold() in classes:
                class_name = classes[class_name.casefold()]
            else:
                table.problem(
                    row.line, "class", UNKNOWN_CLASS, value=class_name, staff_file=staff_file
                )
        if year_group is not None:
            records.append(
                PupilRecord(
                    row["pupil_id"], row["first_name"], row["last_name"], year_group, class_name
                )
            )
    return records


def _contacts(
    table: Table, pupils: set[str] | None, *, pupils_file: str
) -> tuple[list[GuardianRecord], list[LinkRecord]]:
    guardians = []
    links = []
    pairs: dict[tuple[str, str], int] = {}
    first_rows: dict[str, tuple[int, dict[str, str]]] = {}
    for row in table.rows:
        _check_cells(table, row)
        contact_id, pupil_id = row["contact_id"], row["pupil_id"]
        if contact_id and pupil_id:
            if (contact_id, pupil_id) in pairs:
                table.problem(
                    row.line,
                    "pupil_id",
                    DUPLICATE_LINK,
                    contact_id=contact_id,
                    pupil_id=pupil_id,
                    other_line=str(pairs[contact_id, pupil_id]),
                )
            else:
                pairs[contact_id, pupil_id] = row.line
        if pupils is not None and pupil_id and pupil_id not in pupils:
            table.problem(
                row.line, "pupil_id", UNKNOWN_PUPIL, value=pupil_id, pupils_file=pupils_file
            )
        receives_reports = parse_yes_no(row["receives_reports"])
        if row["receives_reports"] and receives_reports is None:
            table.problem(row.line, "receives_reports", BAD_YES_NO, value=row["receives_reports"])
        language = parse_language(row["language"]) if row["language"] else None
        if row["language"] and language is None:
            table.problem(row.line, "language", BAD_LANGUAGE, value=row["language"])
        person = _contact_person(row, language)
        if contact_id in first_rows:
            other_line, other = first_rows[contact_id]
            for column in CONTACT_PERSON_COLUMNS:
                if person[column] != other[column]:
                    table.problem(
                        row.line,
                        column,
                        CONTACT_DIFFERS,
                        contact_id=contact_id,
                        other_line=str(other_line),
                    )
        elif contact_id:
            first_rows[contact_id] = (row.line, person)
            guardians.append(
                GuardianRecord(
                    contact_id,
                    row["first_name"],
                    row["last_name"],
                    row["email"],
                    row["phone"],
                    language,
                )
            )
        if receives_reports is not None:
            links.append(LinkRecord(contact_id, pupil_id, row["relationship"], receives_reports))
    return guardians, links


def _contact_person(row: Row, language: str | None) -> dict[str, str]:
    # Compared loosely: `A@x.uk` and `a@x.uk`, `07700 900123` and `07700900123` agree.
    return {
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "email": row["email"].casefold(),
        "phone": "".join(row["phone"].split()),
        "language": language or row["language"].casefold(),
    }
