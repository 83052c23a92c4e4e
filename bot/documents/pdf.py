"""An A4 PDF in one locale: the shipped fonts, shaped right-to-left text, mirrored columns.

fpdf2 shapes with HarfBuzz and orders each paragraph with the bidi algorithm; the base direction
is the locale's, so a Polish child's name inside an Urdu sentence keeps its place. Columns are
laid out in reading order and mirrored here for Arabic and Urdu. Every piece of text goes out
through `block` or `line`, which decide whether it needs shaping at all.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fpdf import FPDF
from fpdf.enums import TextDirection, XPos, YPos

from bot.documents.canvas import BAND_FILLS
from bot.documents.fonts import NOTO_SANS, FontSet, fallbacks_for, fonts_for, is_rtl
from bot.i18n import _

Colour = tuple[int, int, int]

# The school's colour scale, lowest band first (🔴 🟠 🟢 🔵): the pictures' own colours.
BAND_RGB: tuple[Colour, ...] = BAND_FILLS
NO_BAND: Colour = (222, 222, 222)
INK: Colour = (25, 25, 25)
MUTED: Colour = (105, 105, 105)
LINE: Colour = (170, 170, 170)
PT = 0.3528  # millimetres per point
# Nastaliq stacks letters diagonally and needs far more room between lines than Latin text.
_LEADING = {"NotoNastaliqUrdu": 2.3, "NotoNaskhArabic": 1.8}
_LATIN_LEADING = 1.45
# Right-to-left letters, Arabic digits and combining marks need HarfBuzz; plain Latin and
# Cyrillic do not, and skipping it makes a school's worth of letters several times faster.
_NEEDS_SHAPING = frozenset({"R", "AL", "AN", "NSM", "RLE", "RLO", "RLI", "FSI"})


def needs_shaping(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in _NEEDS_SHAPING for ch in text)


class Document(FPDF):
    """One document in one locale; `numbered` prints "Page n of N" (N from a first pass)."""

    def __init__(
        self,
        locale: str,
        *,
        running_head: str = "",
        numbered: bool = False,
        total_pages: int | None = None,
    ) -> None:
        super().__init__(format="A4", unit="mm")
        self.running_head = running_head
        self.numbered = numbered
        self.total_pages = total_pages
        self.set_locale(locale)
        self.set_lang(locale)
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=20)
        self.c_margin = 0
        self.set_text_color(*INK)
        self.use(10)

    def set_locale(self, locale: str) -> None:
        """Write what follows in `locale`: its family, direction and shaping language."""
        self.locale = locale
        self.rtl = is_rtl(locale)
        self.face: FontSet = fonts_for(locale)
        families = fallbacks_for(locale)
        for family in families:
            if family.family.lower() not in self.fonts:
                self.add_font(family.family, "", str(family.regular))
                self.add_font(family.family, "B", str(family.bold))
        # Names in another script than the locale's come from the other shipped families.
        self.set_fallback_fonts([f.family for f in families[1:]], exact_match=False)
        self.direction = TextDirection.RTL if self.rtl else TextDirection.LTR
        self.language = self.face.language or locale

    @property
    def start(self) -> str:
        """The alignment of the reading start: left, or right in Arabic and Urdu."""
        return "R" if self.rtl else "L"

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def use(self, size: float, *, bold: bool = False) -> None:
        """Set the locale's family at a size (points), pinned on the page itself."""
        self.set_font(self.face.family, "B" if bold else "", size)
        if self.page and self.current_font is not None:
            # fpdf2 2.8 sets the page's font inside the q…Q of a coloured line whose first
            # glyphs come from a fallback font, then takes it as set: the next Urdu paragraph
            # would be drawn with Noto Sans and vanish (py-pdf/fpdf2#1772). Set it out here.
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))

    @contextmanager
    def latin(self) -> Iterator[None]:
        """Codes and links in Noto Sans on every page (Nastaliq has its own digit shapes)."""
        face, self.face = self.face, NOTO_SANS
        try:
            yield
        finally:
            self.face = face

    @contextmanager
    def shaping(self, text: str, *, typed: bool = False) -> Iterator[None]:
        """HarfBuzz and bidi for this text if it needs them: always in Arabic and Urdu.

        `typed` text (notes as someone wrote them) takes its direction from its own first
        letters, so an English note in an Arabic sheet ends with its full stop on the right.
        """
        if self.rtl or needs_shaping(text):
            direction = None if typed else self.direction
            self.set_text_shaping(True, direction=direction, language=self.language)
        else:
            self.set_text_shaping(False)
        yield

    def leading(self, size: float | None = None) -> float:
        """Line height in millimetres for a size in the locale's script."""
        points = size if size is not None else self.font_size_pt
        return points * PT * _LEADING.get(self.face.family, _LATIN_LEADING)

    def column_x(self, offset: float, width: float) -> float:
        """The page x of a column `offset` mm from the reading start, mirrored for RTL."""
        if self.rtl:
            return self.w - self.r_margin - offset - width
        return self.l_margin + offset

    def block(
        self,
        width: float,
        text: str,
        *,
        align: str | None = None,
        next_line: bool = True,
        typed: bool = False,
    ) -> None:
        """Wrapped text from the current position, then below it (or back to its top)."""
        with self.shaping(text, typed=typed):
            self.multi_cell(
                width,
                self.leading(),
                text,
                align=align or self.start,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT if next_line else YPos.TOP,
            )

    def one_line(self, width: float, text: str, *, align: str | None = None) -> None:
        """One unwrapped line at the current position."""
        with self.shaping(text):
            self.cell(width, self.leading(), text, align=align or self.start)

    def text_width(self, text: str) -> float:
        with self.shaping(text):
            return float(self.get_string_width(text))

    def height_of(self, text: str, width: float, size: float, *, bold: bool = False) -> float:
        """How tall `text` wraps to in a column `width` mm wide."""
        self.use(size, bold=bold)
        with self.shaping(text):
            result = self.multi_cell(
                width, self.leading(size), text, align=self.start, dry_run=True, output="HEIGHT"
            )
        return float(result)  # type: ignore[arg-type]

    def header(self) -> None:
        if not self.running_head or self.page_no() == 1:
            return
        self.use(8)
        self.set_text_color(*MUTED)
        self.set_xy(self.l_margin, 8)
        self.one_line(self.content_width, self.running_head)
        self.set_text_color(*INK)
        self.set_y(16)

    def footer(self) -> None:
        if not self.numbered or not self.total_pages:
            return
        self.set_y(-14)
        self.use(8)
        self.set_text_color(*MUTED)
        label = _("Page {page} of {pages}").format(page=self.page_no(), pages=self.total_pages)
        self.one_line(self.content_width, label, align="C")
        self.set_text_color(*INK)

    def room_for(self, height: float) -> None:
        """Start a new page unless `height` mm still fit above the bottom margin."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def paragraph(
        self,
        text: str,
        *,
        size: float = 10,
        bold: bool = False,
        colour: Colour = INK,
        indent: float = 0,
        align: str | None = None,
        after: float = 0.8,
        typed: bool = False,
    ) -> None:
        """Wrapped text across the column from the reading start (after `indent` mm)."""
        self.use(size, bold=bold)
        self.set_text_color(*colour)
        width = self.content_width - indent
        self.set_x(self.column_x(indent, width))
        self.block(width, text, align=align, typed=typed)
        self.set_text_color(*INK)
        self.ln(after)

    def heading(self, text: str, *, size: float = 12.5) -> None:
        """A section heading, kept together with at least two lines of what follows."""
        self.room_for(self.leading(size) + 3 * self.leading(10))
        self.ln(2.5)
        self.paragraph(text, size=size, bold=True, after=0.6)
        self.rule()

    def rule(self, colour: Colour = LINE) -> None:
        self.set_draw_color(*colour)
        self.set_line_width(0.25)
        y = self.get_y()
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.ln(1.8)

    def swatch(self, x: float, y: float, size: float, colour: Colour) -> None:
        self.set_fill_color(*colour)
        self.set_draw_color(*LINE)
        self.set_line_width(0.2)
        self.rect(x, y, size, size, style="DF")

    def swatch_text(
        self, offset: float, width: float, y: float, colour: Colour | None, text: str, size: float
    ) -> None:
        """A colour square then its words, in reading order, inside one column."""
        self.use(size)
        line = self.leading(size)
        box = min(3.6, line * 0.7)
        gap = 1.6
        if colour is not None:
            self.swatch(self.column_x(offset, box), y + (line - box) / 2, box, colour)
            offset, width = offset + box + gap, width - box - gap
        self.set_xy(self.column_x(offset, width), y)
        self.block(width, text, next_line=False)

    def check_box(self, offset: float, y: float, label: str, size: float = 9.5) -> float:
        """An empty box to tick by hand and its label; returns the width used."""
        self.use(size)
        line = self.leading(size)
        box = min(3.4, line * 0.65)
        self.set_draw_color(*INK)
        self.set_line_width(0.3)
        self.rect(self.column_x(offset, box), y + (line - box) / 2, box, box)
        width = self.text_width(label) + 1
        self.set_xy(self.column_x(offset + box + 1.5, width), y)
        self.one_line(width, label)
        return box + 1.5 + width

    def writing_lines(self, count: int, *, gap: float = 8.0) -> None:
        """Ruled lines to write on by hand."""
        self.set_draw_color(*LINE)
        self.set_line_width(0.2)
        for _n in range(count):
            self.room_for(gap)
            self.ln(gap)
            y = self.get_y()
            self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.ln(2)

    def finish(self) -> bytes:
        """The PDF's bytes; every font file is closed, used or not."""
        try:
            return bytes(self.output())
        finally:
            self.close_fonts()

    def close_fonts(self) -> None:
        # fpdf2 reads fonts lazily and closes only those it embeds; a file left open
        # until garbage collection is a leaked descriptor in a long-running bot.
        for font in self.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()


def render_numbered(build: Callable[[int | None], Document]) -> bytes:
    """Build twice: the first pass counts the pages "Page n of N" needs (none on a single page).

    fpdf2's `{nb}` alias does not work with text shaping, so the total is learned first; the
    footer sits in the bottom margin, so numbering never changes where pages break.
    """
    first = build(None)
    if first.pages_count <= 1:
        return first.finish()
    first.close_fonts()
    return build(first.pages_count).finish()


def file_slug(name: str) -> str:
    """A name as part of a file name: letters and digits of any script, joined by hyphens."""
    words = ["".join(ch for ch in word if ch.isalnum()) for word in name.casefold().split()]
    return "-".join(word for word in words if word) or "pupil"
