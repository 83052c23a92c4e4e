"""Reading one roster CSV file into rows keyed by normalised column names."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from models.common.errors import N_
from models.people.roster.problems import RosterProblem

FILE_NOT_FOUND = N_("The file {file} was not found.")
FILE_UNREADABLE = N_("The file {file} could not be opened.")
FILE_EMPTY = N_("The file is empty; it needs a header row and at least one row below it.")
NO_ROWS = N_("There are no rows below the header.")
MISSING_COLUMN = N_("The header has no column {column}.")
DUPLICATE_COLUMN = N_("The header has the column {column} more than once.")
NOT_UTF8 = N_(
    "This line is not UTF-8 text. In Excel, use Save As and choose “CSV UTF-8 (comma delimited)”."
)
UNCLOSED_QUOTE = N_("A quotation mark opened on this line is never closed.")
BAD_QUOTES = N_("This line could not be read: check its quotation marks.")

# Bytes that are not UTF-8 come back as lone surrogates; NUL means a UTF-16 or binary file.
_UNREADABLE = re.compile("[\udc80-\udcff\x00]")


@dataclass(frozen=True)
class Row:
    """One data row: its first physical line and its cells, stripped, by column."""

    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Table:
    """A file's rows, or the problems that made it unreadable (then `rows` is empty)."""

    file: str
    rows: list[Row] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    readable: bool = True

    def problem(self, line: int, column: str, message: str, /, **params: str) -> None:
        self.problems.append(RosterProblem(self.file, line, column, message, params))

    def fail(self, line: int, column: str, message: str, /, **params: str) -> None:
        """A problem with the file as a whole: none of its rows can be trusted."""
        self.problem(line, column, message, **params)
        self.readable = False


def normalise_header(name: str) -> str:
    """`Staff ID`, ` staff-id ` and `STAFF_ID` all name the column `staff_id`."""
    return re.sub(r"[\s\-]+", "_", name.strip()).casefold()


def read_table(path: Path, columns: tuple[str, ...]) -> Table:
    """Read `path` keeping `columns` (all required in the header); other columns are ignored."""
    table = Table(path.name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        table.fail(0, "", FILE_NOT_FOUND, file=path.name)
        return table
    except OSError:
        table.fail(0, "", FILE_UNREADABLE, file=path.name)
        return table
    # utf-8-sig drops the BOM Excel writes; newline="" lets csv see \r\n inside quoted cells.
    text = data.decode("utf-8-sig", errors="surrogateescape")
    records = _records(io.StringIO(text, newline=""), table)
    header = next(records, None)
    if header is None:
        if table.readable:
            table.fail(1, "", FILE_EMPTY)
        return table
    header_line, header_cells = header
    if _UNREADABLE.search("".join(header_cells)):
        table.fail(header_line, "", NOT_UTF8)
        return table
    positions = _column_positions(header_cells, columns, header_line, table)
    if not table.readable:
        return table
    rows = []
    for line, cells in records:
        values = {name: _cell(cells, index) for name, index in positions.items()}
        unreadable = next((c for c, v in values.items() if _UNREADABLE.search(v)), None)
        if unreadable is not None:
            table.fail(line, unreadable, NOT_UTF8)
            return table
        if any(values.values()):
            rows.append(Row(line, values))
    if not table.readable:
        return table
    if not rows:
        table.fail(header_line, "", NO_ROWS)
        return table
    table.rows = rows
    return table


def _records(stream: io.StringIO, table: Table) -> Iterator[tuple[int, list[str]]]:
    """Non-blank records with the physical line each starts on; a CSV error ends the file."""
    reader = csv.reader(stream, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # csv has no error codes; this is its text for end of file inside a quoted cell.
            message = UNCLOSED_QUOTE if "unexpected end of data" in str(error) else BAD_QUOTES
            table.fail(start, "", message)
            return
        if any(cell.strip() for cell in cells):
            yield start, cells


def _column_positions(
    header: list[str], columns: tuple[str, ...], line: int, table: Table
) -> dict[str, int]:
    names = [normalise_header(name) for name in header]
    positions = {}
    for column in columns:
        if column not in names:
            table.fail(line, column, MISSING_COLUMN, column=column)
        elif names.count(column) > 1:
            table.fail(line, column, DUPLICATE_COLUMN, column=column)
        else:
            positions[column] = names.index(column)
    return positions


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""
