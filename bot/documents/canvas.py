"""A picture laid out in reading order and mirrored for right-to-left locales, with band cells.

Coordinates are logical: x runs from the start of a line (the left in English, the right in
Urdu and Arabic), so one layout serves every language.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from bot.documents.fonts import is_rtl
from bot.documents.text import Colour, Typeface, Vertical

# The colour scale, lowest band first (🔴 🟠 🟢 🔵): dark enough for white marks on three of them.
BAND_FILLS: tuple[tuple[int, int, int], ...] = (
    (198, 40, 40),
    (240, 150, 20),
    (46, 125, 50),
    (21, 101, 192),
)
MARK_INK: tuple[tuple[int, int, int], ...] = (
    (255, 255, 255),
    (33, 33, 33),
    (255, 255, 255),
    (255, 255, 255),
)
# A rectangle in pixels: left, top, right, bottom.
Box = tuple[float, float, float, float]
PAPER = (255, 255, 255)
INK = (24, 24, 27)
MUTED = (82, 82, 91)
RULE = (212, 212, 216)
EMPTY = (244, 244, 245)
HATCH = (200, 200, 206)
TINT = (236, 240, 247)
ALERT = (198, 40, 40)
ALERT_TINT = (253, 236, 236)


class Canvas:
    """A white picture of fixed width whose drawing calls take logical coordinates."""

    def __init__(self, locale: str, width: int, height: int) -> None:
        self.locale = locale
        self.rtl = is_rtl(locale)
        self.width = width
        self.image = Image.new("RGB", (width, height), PAPER)
        self.draw = ImageDraw.Draw(self.image)

    def ensure(self, bottom: float) -> None:
        """Grow the picture downwards so that everything above `bottom` fits."""
        if bottom <= self.image.height:
            return
        grown = Image.new("RGB", (self.width, max(round(bottom), self.image.height * 2)), PAPER)
        grown.paste(self.image, (0, 0))
        self.image = grown
        self.draw = ImageDraw.Draw(grown)

    def face(self, size: int, *, bold: bool = False) -> Typeface:
        return Typeface(self.locale, size, bold=bold)

    def physical_box(self, x: float, y: float, w: float, h: float) -> Box:
        """Where a logical box lands in pixels (mirrored for right-to-left locales)."""
        left = self.width - x - w if self.rtl else x
        return (left, y, left + w, y + h)

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: Colour | None = None,
        outline: Colour | None = None,
        line: int = 1,
        radius: int = 0,
    ) -> None:
        self.draw.rounded_rectangle(
            self.physical_box(x, y, w, h), radius=radius, fill=fill, outline=outline, width=line
        )

    def text(
        self,
        face: Typeface,
        x: float,
        y: float,
        text: str,
        fill: Colour = INK,
        *,
        anchor: str = "start",
        auto: bool = False,
        vertical: Vertical = "line",
    ) -> int:
        """One line at y (see `Typeface.draw`), starting (or ending, or centred) at logical x."""
        physical = self.width - x if self.rtl else x
        return face.draw(
            self.draw, (physical, y), text, fill, anchor=anchor, auto=auto, vertical=vertical
        )

    def hatched(self, x: float, y: float, w: float, h: float, *, radius: int = 0) -> None:
        """An empty cell: pale with diagonal stripes, unlike any band colour."""
        left, top, right, bottom = (round(v) for v in self.physical_box(x, y, w, h))
        size = (right - left, bottom - top)
        patch = Image.new("RGB", size, EMPTY)
        pen = ImageDraw.Draw(patch)
        for start in range(-size[1], size[0], 14):
            pen.line((start, size[1], start + size[1], 0), fill=HATCH, width=3)
        mask = Image.new("L", size, 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius, fill=255)
        self.image.paste(patch, (left, top), mask)

    def band_cell(
        self, x: float, y: float, w: float, h: float, level: int, *, radius: int = 10
    ) -> None:
        """A cell filled in a band's colour, with 1 to 4 dots so the level reads without colour."""
        self.rect(x, y, w, h, fill=BAND_FILLS[level], radius=radius)
        self.dots(x + w / 2, y + h / 2, level, MARK_INK[level], h)

    def target_cell(
        self, x: float, y: float, w: float, h: float, level: int, *, radius: int = 10
    ) -> None:
        """The end-of-year expectation: the band's colour as a thick outline with its dots."""
        self.rect(x, y, w, h, fill=PAPER, outline=BAND_FILLS[level], line=6, radius=radius)
        self.dots(x + w / 2, y + h / 2, level, BAND_FILLS[level], h)

    def dots(self, cx: float, cy: float, level: int, colour: Colour, height: float) -> None:
        """level + 1 dots centred on (cx, cy): one for the lowest band, four for the top."""
        radius = max(4, round(height * 0.09))
        step = radius * 2 + max(3, radius // 2)
        count = level + 1
        first = cx - step * (count - 1) / 2
        for i in range(count):
            left, top, right, bottom = self.physical_box(
                first + i * step - radius, cy - radius, 2 * radius, 2 * radius
            )
            self.draw.ellipse((left, top, right, bottom), fill=colour)

    def marker(self, x: float, y: float, size: float, *, outline: Colour | None = None) -> None:
        """A red triangle pointing down: behind the end-of-year expectation."""
        left, top, right, bottom = self.physical_box(x, y, size, size)
        points = [(left, top), (right, top), ((left + right) / 2, bottom)]
        self.draw.polygon(points, fill=ALERT, outline=outline, width=2 if outline else 0)

    def png(self, height: int) -> bytes:
        """The picture cut to its content height, as PNG bytes."""
        buffer = io.BytesIO()
        self.image.crop((0, 0, self.width, height)).save(buffer, format="PNG", compress_level=6)
        return buffer.getvalue()
