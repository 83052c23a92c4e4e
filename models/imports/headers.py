"""Finding the columns an importer needs in a file's header row."""

from __future__ import annotations

import re

from models.common.errors import N_
from models.imports.table import Table

MISSING_COLUMN = N_("The header has no column {column}.")
DUPLICATE_COLUMN = N_("The header has the column {column} more than once.")


def normalise_header(name: str) -> str:
    """`Staff ID`, ` staff-id ` and `STAFF_ID` all name the column `staff_id`."""
    return re.sub(r"[\s\-]+", "_", name.strip()).casefold()


def column_positions(
    header: list[str],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    *,
    line: int,
    table: Table,
) -> dict[str, int]:
    """Where each column is; a required one missing, or any one named twice, fails the table.

    Every required column must be in the header, so a misspelt header is reported instead of
    silently dropping a column; an optional one may be left out (its cells then read as blank).
    Other columns are ignored.
    """
    names = [normalise_header(name) for name in header]
    positions = {}
    for column in (*required, *optional):
        if column not in names:
            if column in required:
                table.fail(line, column, MISSING_COLUMN, column=column)
        elif names.count(column) > 1:
            table.fail(line, column, DUPLICATE_COLUMN, column=column)
        else:
            positions[column] = names.index(column)
    return positions
