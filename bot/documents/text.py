"""Shaped, bidirectional text on Pillow images with the shipped fonts and per-script fallback.

Pillow's raqm layout shapes one font at a time, and the Arabic-script fonts have no Latin or
Cyrillic glyphs, so a Polish child's name inside an Urdu sentence would come out as boxes. Here a
line is resolved with the Unicode bidi algorithm (single paragraph, no explicit embeddings), cut
into runs of one level and one font, each run shaped by raqm in its own direction, and the runs
laid out in visual order.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

from fontTools.ttLib import TTFont
from PIL import ImageDraw, ImageFont, features

from bot.documents.fonts import FontSet, fallbacks_for, is_rtl

Colour = tuple[int, int, int] | tuple[int, int, int, int]
Vertical = Literal["line", "tight", "centre"]

_ISOLATES_AND_EMBEDDINGS = frozenset(
    {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
)
_NEUTRALS = frozenset({"B", "S", "WS", "ON"})
_ELLIPSIS = "…"


class ShapingUnavailable(RuntimeError):
    """Pillow was built without libraqm, so Arabic and Urdu would be drawn unjoined and reversed."""


# LRI, RLI, FSI and PDI, which chat messages carry in right-to-left languages (bot.i18n).
_ISOLATES = frozenset("\u2066\u2067\u2068\u2069")


def require_raqm() -> None:
    """Refuse to draw rather than silently mis-render right-to-left scripts."""
    if not features.check("raqm"):
        raise ShapingUnavailable(
            "Pillow has no raqm layout engine (libraqm, fribidi, harfbuzz): install a Pillow "
            "wheel that bundles it, or the system libraqm, to render pictures."
        )


@cache
def _coverage(path: Path) -> frozenset[int]:
    font = TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


_local = threading.local()


def _truetype(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """One FreeType face per thread: faces are not safe to share between rendering threads."""
    fonts: dict[tuple[Path, int], ImageFont.FreeTypeFont] | None = getattr(_local, "fonts", None)
    if fonts is None:
        fonts = _local.fonts = {}
    font = fonts.get((path, size))
    if font is None:
        require_raqm()
        font = ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
        fonts[(path, size)] = font
    return font


@lru_cache(maxsize=4096)
def _advance(path: Path, size: int, text: str, rtl: bool, language: str) -> float:
    """A shaped run's advance width; layouts measure the same words many times over."""
    font = _truetype(path, size)
    return font.getlength(text, direction="rtl" if rtl else "ltr", language=language)


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """Embedding levels of each character of one line (UAX #9: rules W1-W7, N1-N2, I1-I2, L1)."""
    sos = "R" if rtl else "L"
    types = [unicodedata.bidirectional(ch) or "L" for ch in text]
    types = ["ON" if kind in _ISOLATES_AND_EMBEDDINGS else kind for kind in types]
    previous = sos
    for i, kind in enumerate(types):  # W1 (and boundary neutrals follow their neighbour)
        if kind in ("NSM", "BN"):
            types[i] = previous
        previous = types[i]
    last_strong = sos
    for i, kind in enumerate(types):  # W2, W3
        if kind in ("L", "R", "AL"):
            last_strong = kind
        elif kind == "EN" and last_strong == "AL":
            types[i] = "AN"
        if types[i] == "AL":
            types[i] = "R"
    for i in range(1, len(types) - 1):  # W4
        before, kind, after = types[i - 1], types[i], types[i + 1]
        if (kind == "ES" and before == after == "EN") or (
            kind == "CS" and before == after and before in ("EN", "AN")
        ):
            types[i] = before
    for i, kind in enumerate(types):  # W5
        if kind == "EN":
            j = i - 1
            while j >= 0 and types[j] == "ET":
                types[j] = "EN"
                j -= 1
            j = i + 1
            while j < len(types) and types[j] == "ET":
                types[j] = "EN"
                j += 1
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]  # W6
    last_strong = sos
    for i, kind in enumerate(types):  # W7
        if kind in ("L", "R"):
            last_strong = kind
        elif kind == "EN" and last_strong == "L":
            types[i] = "L"
    i = 0
    while i < len(types):  # N1, N2
        if types[i] not in _NEUTRALS:
            i += 1
            continue
        j = i
        while j < len(types) and types[j] in _NEUTRALS:
            j += 1
        before = sos if i == 0 else _strength(types[i - 1])
        after = sos if j == len(types) else _strength(types[j])
        resolved = before if before == after else sos
        types[i:j] = [resolved] * (j - i)
        i = j
    base = 1 if rtl else 0
    levels = [base + _raise(kind, rtl) for kind in types]
    j = len(text)  # L1: trailing white space goes back to the paragraph level
    while j > 0 and unicodedata.bidirectional(text[j - 1]) in ("WS", "S", "B", "BN"):
        j -= 1
        levels[j] = base
    return levels


def _strength(kind: str) -> str:
    return "L" if kind == "L" else "R"


def _raise(kind: str, rtl: bool) -> int:
    if rtl:
        return 1 if kind in ("L", "EN", "AN") else 0
    return {"R": 1, "AN": 2, "EN": 2}.get(kind, 0)


def visual_order(levels: Sequence[int]) -> list[int]:
    """Indices of items in display order, left to right (UAX #9 rule L2)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(level for level in levels if level % 2) if any(x % 2 for x in levels) else 0
    for level in range(max(levels), max(lowest_odd, 1) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


@dataclass(frozen=True)
class _Run:
    text: str
    family: FontSet
    rtl: bool


class Typeface:
    """One size and weight of a locale's text, with fallback families and bidi layout."""

    def __init__(self, locale: str, size: int, *, bold: bool = False) -> None:
        self.locale = locale
        self.size = size
        self.rtl = is_rtl(locale)
        self._families = fallbacks_for(locale)
        self._bold = bold
        ascent, descent = self._font(self._families[0]).getmetrics()
        self.ascent = ascent
        self.descent = descent

    @property
    def line_height(self) -> int:
        return self.ascent + self.descent

    def height_of(self, text: str, *, auto: bool = False) -> int:
        """The height of this line alone: a Latin line in an Urdu picture needs less room."""
        ascent, descent = self._metrics(self._runs(text, self._direction(auto, text)))
        return ascent + descent

    def ink_height(self, text: str, *, auto: bool = False) -> int:
        """How tall the drawn glyphs of this line are (for fitting a label in a box)."""
        top, bottom = self._ink(self._runs(text, self._direction(auto, text)))
        return round(bottom - top)

    def _ink(self, runs: list[_Run]) -> tuple[float, float]:
        """The glyphs' extent above (negative) and below the baseline."""
        extents = [
            self._font(run.family).getbbox(
                run.text,
                anchor="ls",
                direction="rtl" if run.rtl else "ltr",
                language=self._language(run),
            )
            for run in runs
            if run.text.strip()
        ]
        if not extents:
            return -self.ascent, 0
        return min(box[1] for box in extents), max(box[3] for box in extents)

    def _metrics(self, runs: list[_Run]) -> tuple[int, int]:
        if not runs:
            return self.ascent, self.descent
        pairs = [self._font(family).getmetrics() for family in {run.family for run in runs}]
        return max(a for a, _ in pairs), max(d for _, d in pairs)

    def _font(self, family: FontSet) -> ImageFont.FreeTypeFont:
        size = round(self.size * family.scale)
        return _truetype(family.bold if self._bold else family.regular, size)

    def _family_for(self, ch: str, current: FontSet | None) -> FontSet | None:
        code = ord(ch)
        category = unicodedata.category(ch)
        marks = category in ("Mn", "Me", "Cf")
        # Marks, spaces, punctuation and digits stay in the run they are in, so runs stay long.
        if current is not None and (
            marks or (category[0] in "ZPN" and code in _coverage(current.regular))
        ):
            return current
        for family in self._families:
            if code in _coverage(family.regular):
                return family
        # Characters no shipped font has (emoji) are left out rather than drawn as boxes.
        return current if marks else None

    def _runs(self, text: str, rtl: bool) -> list[_Run]:
        """The line's runs of one font and one direction, in visual order."""
        kept: list[tuple[str, FontSet]] = []
        current: FontSet | None = None
        for ch in text:
            if ch in _ISOLATES:  # chat text's isolates; lines here are laid out on their own
                continue
            family = self._family_for(ch, current)
            if family is not None:
                kept.append((ch, family))
                current = family
        if not kept:
            return []
        levels = bidi_levels("".join(ch for ch, _ in kept), rtl)
        runs: list[tuple[str, FontSet, int]] = []
        for (ch, family), level in zip(kept, levels, strict=True):
            if runs and runs[-1][1] == family and runs[-1][2] == level:
                runs[-1] = (runs[-1][0] + ch, family, level)
            else:
                runs.append((ch, family, level))
        order = visual_order([level for _, _, level in runs])
        return [_Run(runs[i][0], runs[i][1], runs[i][2] % 2 == 1) for i in order]

    def _run_length(self, run: _Run) -> float:
        family = run.family
        path = family.bold if self._bold else family.regular
        size = round(self.size * family.scale)
        return _advance(path, size, run.text, run.rtl, self._language(run))

    def _language(self, run: _Run) -> str:
        return run.family.language or ("en" if self.rtl else self.locale)

    def _direction(self, auto: bool, text: str) -> bool:
        if auto:
            for ch in text:
                kind = unicodedata.bidirectional(ch)
                if kind in ("R", "AL"):
                    return True
                if kind == "L":
                    return False
        return self.rtl

    def width(self, text: str, *, auto: bool = False) -> int:
        """The advance width of one line in pixels."""
        runs = self._runs(text, self._direction(auto, text))
        return round(sum(self._run_length(run) for run in runs))

    def draw(
        self,
        draw: ImageDraw.ImageDraw,
        xy: tuple[float, float],
        text: str,
        fill: Colour,
        *,
        anchor: str = "start",
        auto: bool = False,
        vertical: Vertical = "line",
    ) -> int:
        """Draw one line; x is its start, end or centre in reading order.

        y is the top of the line, measured with this typeface's metrics ("line", so lines of a
        paragraph share a baseline) or with the line's own fonts ("tight", pair with
        `height_of`); or y is the middle of the ink ("centre", for a label in a box).
        """
        rtl = self._direction(auto, text)
        runs = self._runs(text, rtl)
        lengths = [self._run_length(run) for run in runs]
        total = sum(lengths)
        x, top = xy
        starts_right = self.rtl  # start and end follow the layout, not the line's own direction
        if anchor == "middle":
            left = x - total / 2
        elif (anchor == "start") == starts_right:
            left = x - total
        else:
            left = x
        if vertical == "centre":
            ink_top, ink_bottom = self._ink(runs)
            baseline = top - (ink_top + ink_bottom) / 2
        else:
            baseline = top + (self._metrics(runs)[0] if vertical == "tight" else self.ascent)
        for run, length in zip(runs, lengths, strict=True):
            draw.text(
                (left, baseline),
                run.text,
                font=self._font(run.family),
                fill=fill,
                anchor="ls",
                direction="rtl" if run.rtl else "ltr",
                language=self._language(run),
            )
            left += length
        return round(total)

    def wrap(self, text: str, max_width: int, *, auto: bool = False) -> list[str]:
        """Greedy word wrap of one paragraph into lines no wider than max_width."""
        lines: list[str] = []
        line = ""
        for word in text.split():
            candidate = f"{line} {word}" if line else word
            if not line or self.width(candidate, auto=auto) <= max_width:
                line = candidate
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
        return [self.fit(line, max_width, auto=auto) for line in lines]

    def fit(self, text: str, max_width: int, *, auto: bool = False) -> str:
        """The text, shortened with an ellipsis at its logical end if it is too wide."""
        if self.width(text, auto=auto) <= max_width:
            return text
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.width(text[:middle].rstrip() + _ELLIPSIS, auto=auto) <= max_width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + _ELLIPSIS
