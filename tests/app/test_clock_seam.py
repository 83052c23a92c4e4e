"""One clock: only models/common/clock.py reads the system clock, so tests can move time.

The Bot API emulator (bot/emulator) plays Telegram, whose clock is not ours, and may read it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "models", "scheduler")
SEAM = ROOT / "models" / "common" / "clock.py"
EXEMPT = (ROOT / "bot" / "emulator",)
# Calls that read the wall clock, by what they resolve to.
READS_THE_CLOCK = {
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "time.time",
    "time.time_ns",
}


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> what it stands for: `import datetime as dt` gives dt -> datetime,
    `from datetime import date` gives date -> datetime.date."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    """`dt.datetime.now` -> "datetime.datetime.now", through the module's imports."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in names:
        return None
    return ".".join([names[node.id], *reversed(parts)])


def clock_reads(source: str, filename: str = "<source>") -> list[str]:
    """Each place in `source` that reads the system clock, as "file:line: name"."""
    tree = ast.parse(source, filename)
    names = _imported_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func, names)
            if name in READS_THE_CLOCK:
                found.append(f"{filename}:{node.lineno}: {name}()")
    return found


def production_modules() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path != SEAM and not any(path.is_relative_to(e) for e in EXEMPT):
                yield path


def test_only_the_clock_module_reads_the_system_clock() -> None:
    modules = list(production_modules())
    assert len(modules) > 100, "the walk found too few modules: are the packages still there?"
    reads = [
        read
        for path in modules
        for read in clock_reads(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert reads == [], "ask models.common.clock (now(), today(zone)) instead:\n" + "\n".join(reads)


def test_the_clock_module_is_where_the_clock_is_read() -> None:
    assert clock_reads(SEAM.read_text(encoding="utf-8")) != []


def test_the_walker_catches_every_way_of_spelling_a_clock_read() -> None:
    source = """
import datetime
import datetime as dt
import time
from datetime import date, datetime as DateTime
from time import time as seconds

datetime.datetime.now()
dt.datetime.utcnow()
DateTime.now(tz=None)
date.today()
time.time()
seconds()
time.time_ns()
"""
    assert [read.split(": ")[1] for read in clock_reads(source)] == [
        "datetime.datetime.now()",
        "datetime.datetime.utcnow()",
        "datetime.datetime.now()",
        "datetime.date.today()",
        "time.time()",
        "time.time()",
        "time.time_ns()",
    ]


def test_the_walker_lets_the_seam_and_other_time_functions_be() -> None:
    source = """
import time
from datetime import UTC, datetime, timedelta
from models.common import clock

clock.now()
clock.today(zone)
datetime.fromisoformat("2028-03-25T23:30:00+00:00").astimezone(UTC)
time.monotonic()
timedelta(days=1)
now()
"""
    assert clock_reads(source) == []
