"""The target bank and the home-support library, shipped as CSV files beside this module.

Each row is `area,key_stage,text`. The English text is a gettext msgid: whoever shows it
calls `_(text)` so that a parent reads it in their own language.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from models.common.enums import Area, YearGroup

CONTENT_DIR = Path(__file__).resolve().parent
TARGET_BANK = "target_bank.csv"
HOME_SUPPORT = "home_support.csv"
FILES = (TARGET_BANK, HOME_SUPPORT)
HEADER = ["area", "key_stage", "text"]
KEY_STAGES = ("ks1", "ks2")
AREA_CODES = frozenset(area.value for area in Area)
KS1_YEARS = frozenset({YearGroup.RECEPTION, YearGroup.Y1, YearGroup.Y2})
# What each file is called in the notes left for translators.
FILE_LABELS = {TARGET_BANK: "Target bank", HOME_SUPPORT: "Home support"}


@dataclass(frozen=True)
class Entry:
    """One row of a content file, with the physical line it starts on."""

    file: str
    line: int
    area: Area
    key_stage: str
    text: str

    @property
    def location(self) -> str:
        """`models/targets/content/target_bank.csv:12`, relative to the project root."""
        return f"{source_path(self.file)}:{self.line}"

    @property
    def note(self) -> str:
        """`Target bank: maths, ks2`, to tell a translator where the text is used."""
        return f"{FILE_LABELS[self.file]}: {self.area.value}, {self.key_stage}"


class ContentError(ValueError):
    """A shipped content file is malformed (a packaging or editing mistake)."""


def source_path(file: str) -> str:
    """A content file's path as it appears in the source tree."""
    return f"{__name__.replace('.', '/')}/{file}"


def key_stage(year_group: YearGroup) -> str:
    """`ks1` for Reception and Years 1-2, `ks2` for Years 3-6."""
    return "ks1" if YearGroup(year_group) in KS1_YEARS else "ks2"


@cache
def entries(file: str) -> tuple[Entry, ...]:
    """Every row of one content file, read once."""
    if file not in FILES:
        raise ContentError(f"unknown content file {file!r}")
    rows: list[Entry] = []
    with (CONTENT_DIR / file).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != HEADER:
            raise ContentError(f"{file}: header must be {','.join(HEADER)}, not {header}")
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not row:
                continue
            if len(row) != len(HEADER):
                raise ContentError(f"{file}:{line}: expected {len(HEADER)} cells, got {len(row)}")
            area, stage, text = (cell.strip() for cell in row)
            if area not in AREA_CODES:
                raise ContentError(f"{file}:{line}: unknown area {area!r}")
            if stage not in KEY_STAGES:
                raise ContentError(f"{file}:{line}: unknown key stage {stage!r}")
            if not text:
                raise ContentError(f"{file}:{line}: empty text")
            rows.append(Entry(file, line, Area(area), stage, text))
    return tuple(rows)


@cache
def _texts(file: str, area: Area, stage: str) -> tuple[str, ...]:
    return tuple(e.text for e in entries(file) if e.area is area and e.key_stage == stage)


def bank_targets(area: Area, year_group: YearGroup) -> list[str]:
    """Ready-written targets for an area at the pupil's key stage (English msgids)."""
    return list(_texts(TARGET_BANK, Area(area), key_stage(year_group)))


def home_ideas(area: Area, year_group: YearGroup) -> list[str]:
    """Home-support ideas for parents for an area at the pupil's key stage (English msgids)."""
    return list(_texts(HOME_SUPPORT, Area(area), key_stage(year_group)))


def all_entries() -> list[Entry]:
    """Every row of both files, target bank first."""
    return [entry for file in FILES for entry in entries(file)]


def all_texts() -> list[tuple[str, str]]:
    """Every text with its `file:line`, for extracting the translation catalogue."""
    return [(entry.text, entry.location) for entry in all_entries()]
