"""Bands on the colour scales, and progress against an end-of-year expectation."""

from __future__ import annotations

from enum import StrEnum

from models.common.enums import BAND_COLOURS, Area, bands_for, scale_for
from models.common.errors import N_, DomainError


class Progress(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"


PROGRESS_MARKS = {Progress.AHEAD: "⬆️", Progress.ON_TRACK: "✅", Progress.BEHIND: "⚠️"}


class InvalidBand(DomainError):
    message = N_("That band does not belong to this area's scale.")


def band_index(area: Area, band: str) -> int:
    """Where a band sits on its area's scale, lowest first; InvalidBand otherwise."""
    bands = bands_for(scale_for(area))
    if band not in bands:
        raise InvalidBand()
    return bands.index(band)


def colour(area: Area, band: str) -> str:
    """The band's colour dot: 🔴 🟠 🟢 🔵."""
    return BAND_COLOURS[band_index(area, band)]


def progress(area: Area, latest: str | None, expected: str | None) -> Progress | None:
    """Latest band compared with the expectation; None when either is missing."""
    if latest is None or expected is None:
        return None
    difference = band_index(area, latest) - band_index(area, expected)
    if difference > 0:
        return Progress.AHEAD
    return Progress.ON_TRACK if difference == 0 else Progress.BEHIND
