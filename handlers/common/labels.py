"""Words and colours for the domain's codes, in the reader's language.

The words themselves are the printed documents' (`bot/documents/words.py`); chat adds the
coloured dots and marks that fonts on paper do not have.
"""

from __future__ import annotations

from html import escape

from bot.documents.words import area_name, band_name, progress_name, support_kind_name
from bot.i18n import _
from models.assessment.bands import PROGRESS_MARKS, Progress, colour
from models.common.enums import Area, SupportKind

__all__ = [
    "area_label",
    "band_label",
    "band_name",
    "progress_label",
    "shown_text",
    "support_kind_label",
]


def area_label(area: Area) -> str:
    return area_name(area)


def band_label(area: Area, band: str | None) -> str:
    """`🟢 expected standard`, or a dash when there is no judgement yet."""
    if band is None:
        return "⚪ " + band_name(None)
    return f"{colour(area, band)} {band_name(band)}"


def progress_label(value: Progress | None) -> str:
    if value is None:
        return ""
    return f"{PROGRESS_MARKS[value]} {progress_name(value)}"


def support_kind_label(kind: SupportKind) -> str:
    return support_kind_name(kind)


def shown_text(text: str) -> str:
    """Stored text (a bank entry is a msgid, so it appears translated), HTML-escaped."""
    return escape(_(text)) if text else ""
