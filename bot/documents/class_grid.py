"""The class grid picture: pupils against areas in band colours, with who is behind marked."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from babel.numbers import format_decimal
from PIL import Image, ImageDraw

from bot.documents.canvas import ALERT, ALERT_TINT, INK, MUTED, PAPER, RULE, Box, Canvas
from bot.documents.legend import SWATCH_H, SWATCH_W, Swatch, draw_legend, empty_swatch
from bot.documents.words import area_name
from bot.i18n import _, current_locale, format_date, ngettext, use_locale
from models.assessment.bands import band_index
from models.records.class_grid import ClassGrid, GridRow

WIDTH = 1080
MARGIN = 44
CONTENT = WIDTH - 2 * MARGIN
NAME_WIDTH = 330
GAP = 10
HEAD_MAX = 360
MARKER = 22
MIN_ROW = 52


@dataclass
class GridDrawing:
    """The picture, and where things landed (pixels) so tests can look at their colour."""

    png: bytes = b""
    cells: dict[tuple[int, int], Box] = field(default_factory=dict)  # (pupil, area index)
    rows: dict[int, Box] = field(default_factory=dict)  # pupil -> the whole row
    markers: dict[int, Box] = field(default_factory=dict)  # pupil -> the behind marker


def class_grid_png(grid: ClassGrid, locale: str) -> bytes:
    """The grid as a PNG, 1080 px wide, in the reader's language (mirrored for RTL)."""
    return draw_class_grid(grid, locale).png


def draw_class_grid(grid: ClassGrid, locale: str) -> GridDrawing:
    """Lay out and draw the grid; see `class_grid_png`."""
    with use_locale(locale):
        return _Grid(Canvas(locale, WIDTH, 1600), grid).draw()


class _Grid:
    def __init__(self, canvas: Canvas, grid: ClassGrid) -> None:
        self.canvas = canvas
        self.grid = grid
        self.drawing = GridDrawing()
        self.column_width = (CONTENT - NAME_WIDTH - GAP) // len(grid.areas)

    def column_x(self, index: int) -> int:
        return MARGIN + NAME_WIDTH + GAP + index * self.column_width

    def draw(self) -> GridDrawing:
        canvas = self.canvas
        y = self.header()
        y = self.table(y + 20)
        extras: list[tuple[Swatch, str]] = [
            (empty_swatch(canvas), _("no judgement this half-term")),
            (partial(_behind_swatch, canvas), _("behind the end-of-year expectation")),
        ]
        y = draw_legend(canvas, MARGIN, y + 28, CONTENT, extras)
        self.drawing.png = canvas.png(y + MARGIN)
        return self.drawing

    def header(self) -> int:
        canvas, grid = self.canvas, self.grid
        canvas.ensure(400)
        y = MARGIN
        kicker = canvas.face(30)
        canvas.text(kicker, MARGIN, y, kicker.fit(_("Class grid"), CONTENT), MUTED)
        y += kicker.line_height
        title = canvas.face(58, bold=True)
        name = title.fit(_("Class {name}").format(name=grid.class_name), CONTENT)
        canvas.text(title, MARGIN, y, name, INK, vertical="tight")
        y += title.height_of(name)
        detail = canvas.face(30)
        number = format_decimal(grid.half_term.number, locale=current_locale())
        parts = (
            grid.school_name,
            _("Half-term {number}").format(number=number),
            format_date(grid.today),
        )
        where = detail.fit(" · ".join(parts), CONTENT)
        canvas.text(detail, MARGIN, y + 4, where, INK, vertical="tight")
        y += detail.height_of(where) + 4
        behind = sum(1 for row in grid.rows if row.behind)
        summary = ngettext(
            "{count} of {total} pupils is behind the expectation in at least one area",
            "{count} of {total} pupils are behind the expectation in at least one area",
            behind,
        ).format(count=behind, total=len(grid.rows))
        note = canvas.face(28)
        canvas.text(note, MARGIN, y + 2, note.fit(summary, CONTENT), ALERT if behind else MUTED)
        y += note.line_height + 14
        canvas.rect(MARGIN, y, CONTENT, 3, fill=RULE)
        return y + 3

    def table(self, top: int) -> int:
        canvas, grid = self.canvas, self.grid
        head = canvas.face(26, bold=True)
        heads = [head.fit(area_name(area), HEAD_MAX) for area in grid.areas]
        head_height = max(head.width(text) for text in heads) + 16
        canvas.ensure(top + head_height + 200)
        for index, text in enumerate(heads):
            self.upright_label(text, self.column_x(index), top, head_height)
        y = top + head_height
        canvas.rect(MARGIN, y, CONTENT, 2, fill=RULE)
        plain, bold = canvas.face(28), canvas.face(28, bold=True)
        names = [
            (bold if row.behind else plain).fit(row.name, NAME_WIDTH - MARKER - 20, auto=True)
            for row in grid.rows
        ]
        row_height = max([MIN_ROW, *((bold.ink_height(name, auto=True) + 16) for name in names)])
        canvas.ensure(y + row_height * len(grid.rows) + 40)
        for row, name in zip(grid.rows, names, strict=True):
            self.row(row, name, y, row_height)
            y += row_height
        if not grid.rows:
            canvas.text(plain, MARGIN, y + 12, _("This class has no pupils yet."), MUTED)
            y += plain.line_height + 24
        return y

    def upright_label(self, text: str, x: int, top: int, height: int) -> None:
        """A column heading turned a quarter left, standing on the grid, centred on its column."""
        canvas = self.canvas
        face = canvas.face(26, bold=True)
        label = Image.new("RGBA", (height, face.line_height), (255, 255, 255, 0))
        # Drawn from the image's left edge, which the quarter turn brings down onto the grid.
        face.draw(ImageDraw.Draw(label), (8, 0), text, INK, anchor="end" if canvas.rtl else "start")
        turned = label.rotate(90, expand=True)
        left, _, right, _ = canvas.physical_box(x, top, self.column_width, height)
        canvas.image.paste(turned, (round((left + right - turned.width) / 2), top), turned)

    def row(self, row: GridRow, name: str, y: int, height: int) -> None:
        canvas = self.canvas
        face = canvas.face(28, bold=row.behind)
        if row.behind:
            canvas.rect(MARGIN, y, CONTENT, height, fill=ALERT_TINT)
            canvas.marker(MARGIN + 6, y + (height - MARKER) / 2, MARKER)
            self.drawing.markers[row.pupil_id] = canvas.physical_box(
                MARGIN + 6, y + (height - MARKER) / 2, MARKER, MARKER
            )
        self.drawing.rows[row.pupil_id] = canvas.physical_box(MARGIN, y, CONTENT, height)
        # A name keeps its own direction: a Latin name stays left to right in an Arabic grid.
        middle = y + height / 2
        canvas.text(face, MARGIN + MARKER + 16, middle, name, INK, auto=True, vertical="centre")
        for index, (area, cell) in enumerate(zip(self.grid.areas, row.cells, strict=True)):
            x, cell_y, w, h = self.column_x(index) + 4, y + 6, self.column_width - 8, height - 12
            if cell.band is not None:
                canvas.band_cell(x, cell_y, w, h, band_index(area, cell.band), radius=8)
            else:
                canvas.hatched(x, cell_y, w, h, radius=8)
            if cell.behind:
                canvas.marker(x + w - 20, cell_y + 3, 16, outline=PAPER)
            self.drawing.cells[(row.pupil_id, index)] = canvas.physical_box(x, cell_y, w, h)
        canvas.rect(MARGIN, y + height - 1, CONTENT, 1, fill=RULE)


def _behind_swatch(canvas: Canvas, x: float, y: float) -> None:
    canvas.rect(x, y, SWATCH_W, SWATCH_H, fill=ALERT_TINT, radius=8)
    canvas.marker(x + (SWATCH_W - MARKER) / 2, y + (SWATCH_H - MARKER) / 2, MARKER)
