"""The key under a picture: each band's colour and dots with its name, then the other marks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from bot.documents.canvas import INK, MUTED, Canvas
from bot.documents.text import Typeface
from bot.documents.words import band_name
from bot.i18n import _
from models.common.enums import ATTAINMENT_BANDS, ATTITUDE_BANDS

SWATCH_W, SWATCH_H = 64, 38
SPACING = 26

# Draws a swatch with its top-left (in reading order) at logical (x, y).
Swatch = Callable[[float, float], None]


def band_swatch(canvas: Canvas, level: int) -> Swatch:
    return partial(_band, canvas, level)


def empty_swatch(canvas: Canvas) -> Swatch:
    return partial(_empty, canvas)


def expectation_swatch(canvas: Canvas) -> Swatch:
    return partial(_expectation, canvas)


def draw_legend(
    canvas: Canvas, x: int, top: int, width: int, extras: Sequence[tuple[Swatch, str]]
) -> int:
    """Both scales' bands, then the extra marks; returns the y below the key."""
    label = canvas.face(26)
    title = canvas.face(26, bold=True)
    texts = [band_name(band) for band in (*ATTAINMENT_BANDS, *ATTITUDE_BANDS)]
    texts += [text for _, text in extras]
    line_height = max(SWATCH_H + 14, *(label.ink_height(text) + 12 for text in texts))
    canvas.ensure(top + 8 * line_height + 2 * title.line_height)
    y = top
    for heading, bands in (
        (_("Learning"), ATTAINMENT_BANDS),
        (_("Attitude and habits"), ATTITUDE_BANDS),
    ):
        canvas.text(title, x, y, title.fit(heading, width), MUTED)
        y += title.line_height
        items = [(band_swatch(canvas, level), band_name(band)) for level, band in enumerate(bands)]
        y = _flow(canvas, x, y, width, line_height, label, items) + 6
    return _flow(canvas, x, y + 4, width, line_height, label, extras)


def _flow(
    canvas: Canvas,
    x: int,
    y: float,
    width: int,
    line_height: int,
    face: Typeface,
    items: Sequence[tuple[Swatch, str]],
) -> int:
    """Swatch-and-name pairs side by side, wrapping onto new lines; returns the y below them."""
    cursor = 0
    for swatch, text in items:
        shown = face.fit(text, width - SWATCH_W - 12)
        item_width = SWATCH_W + 12 + face.width(shown)
        if cursor and cursor + item_width > width:
            cursor = 0
            y += line_height
        swatch(x + cursor, y + (line_height - SWATCH_H) / 2)
        canvas.text(
            face, x + cursor + SWATCH_W + 12, y + line_height / 2, shown, INK, vertical="centre"
        )
        cursor += item_width + SPACING
    return round(y + line_height)


def _band(canvas: Canvas, level: int, x: float, y: float) -> None:
    canvas.band_cell(x, y, SWATCH_W, SWATCH_H, level, radius=8)


def _empty(canvas: Canvas, x: float, y: float) -> None:
    canvas.hatched(x, y, SWATCH_W, SWATCH_H, radius=8)


def _expectation(canvas: Canvas, x: float, y: float) -> None:
    canvas.target_cell(x, y, SWATCH_W, SWATCH_H, 2, radius=8)
