"""One CSV file from disk to the database: read, check every row, then write it all or nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from models.imports.reading import read_table
from models.imports.table import Table, refuse
from models.imports.writing import ImportAudit, write_all_or_nothing

Wanted = TypeVar("Wanted")
Report = TypeVar("Report")


async def import_csv(
    path: Path,
    required: tuple[str, ...],
    *,
    optional: tuple[str, ...] = (),
    check: Callable[[Table], Wanted],
    write: Callable[[Wanted], Awaitable[Report]],
    audit: ImportAudit[Report] | None,
) -> Report:
    """Import `path`, or raise ImportInvalid listing every problem and change nothing.

    `check` turns the rows into what to write, adding a problem to the table for each bad
    cell; `write` applies it inside the transaction that also records `audit`.
    """
    # Reading is blocking file work; keep the bot's event loop free.
    table = await asyncio.to_thread(read_table, path, required, optional)
    refuse(table)
    wanted = check(table)
    refuse(table)

    async def write_wanted(_connection: object) -> Report:
        return await write(wanted)

    return await write_all_or_nothing(write_wanted, audit=audit)
