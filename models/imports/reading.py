"""Reading one UTF-8 CSV file (Excel's "CSV UTF-8" included) into rows by column name."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from models.common.errors import N_
from models.imports.headers import column_positions
from models.imports.table import Row, Table

FILE_NOT_FOUND = N_("The file {file} was not found.")
FILE_UNREADABLE = N_("The file {file} could not be opened.")
FILE_EMPTY = N_("The file is empty; it needs a header row and at least one row below it.")
NO_ROWS = N_("There are no rows below the header.")
NOT_UTF8 = N_(
    "This line is not UTF-8 text. In Excel, use Save As and choose “CSV UTF-8 (comma delimited)”."
)
UNCLOSED_QUOTE = N_("A quotation mark opened on this line is never closed.")
BAD_QUOTES = N_("This line could not be read: check its quotation marks.")

# Bytes that are not UTF-8 come back as lone surrogates; NUL means a UTF-16 or binary file.
_UNREADABLE = re.compile("[\udc80-\udcff\x00]")


def read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Table:
    """Read `path` keeping the `required` and `optional` columns; other columns are ignored.

    UTF-8 with or without a BOM; `\\r\\n` line ends; cells are stripped; rows whose cells are
    all blank are skipped. A problem with the file as a whole leaves the table without rows.
    """
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
    positions = column_positions(header_cells, required, optional, line=header_line, table=table)
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


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""
