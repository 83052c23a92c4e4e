"""The "My Pupil Profile" picture: areas against half-terms in band colours, targets, a legend."""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.numbers import format_decimal

from bot.documents.canvas import INK, MUTED, RULE, TINT, Box, Canvas
from bot.documents.legend import draw_legend, empty_swatch, expectation_swatch
from bot.documents.words import area_name, stored_text
from bot.i18n import _, current_locale, format_date, ngettext, use_locale
from models.assessment.bands import band_index
from models.common.enums import ATTAINMENT_AREAS, Area
from models.records.profile_picture import AreaRow, ProfilePicture

WIDTH = 1080
MARGIN = 44
CONTENT = WIDTH - 2 * MARGIN
LABEL_WIDTH = 290
END_WIDTH = 120
GAP = 10
MIN_ROW = 84
MAX_TARGETS = 5


@dataclass
class ProfileDrawing:
    """The picture, and where each cell landed (pixels) so tests can look at its colour."""

    png: bytes = b""
    # (area, half-term index) -> cell; the index after the last half-term is the expectation.
    cells: dict[tuple[Area, int], Box] = field(default_factory=dict)


def profile_png(picture: ProfilePicture, locale: str) -> bytes:
    """The profile as a PNG, 1080 px wide, in the reader's language (mirrored for RTL)."""
    return draw_profile(picture, locale).png


def draw_profile(picture: ProfilePicture, locale: str) -> ProfileDrawing:
    """Lay out and draw the profile; see `profile_png`."""
    with use_locale(locale):
        return _Profile(Canvas(locale, WIDTH, 1800), picture).draw()


class _Profile:
    def __init__(self, canvas: Canvas, picture: ProfilePicture) -> None:
        self.canvas = canvas
        self.picture = picture
        self.drawing = ProfileDrawing()
        self.columns = len(picture.half_terms)
        self.column_width = (CONTENT - LABEL_WIDTH - END_WIDTH - 2 * GAP) // self.columns
        self.end_x = WIDTH - MARGIN - END_WIDTH

    def column_x(self, index: int) -> int:
        return MARGIN + LABEL_WIDTH + GAP + index * self.column_width

    def draw(self) -> ProfileDrawing:
        y = self.header()
        y = self.grid(y + 24)
        extras = [
            (empty_swatch(self.canvas), _("not judged yet")),
            (expectation_swatch(self.canvas), _("end-of-year expectation")),
        ]
        y = draw_legend(self.canvas, MARGIN, y + 28, CONTENT, extras)
        y = self.targets(y + 28)
        self.drawing.png = self.canvas.png(y + MARGIN)
        return self.drawing

    def header(self) -> int:
        canvas, picture = self.canvas, self.picture
        canvas.ensure(400)
        y = MARGIN
        kicker = canvas.face(30)
        canvas.text(kicker, MARGIN, y, kicker.fit(_("My Pupil Profile"), CONTENT), MUTED)
        y += kicker.line_height
        title = canvas.face(58, bold=True)
        name = title.fit(picture.name, CONTENT, auto=True)
        canvas.text(title, MARGIN, y, name, INK, auto=True, vertical="tight")
        y += title.height_of(name, auto=True)
        detail = canvas.face(32)
        where = picture.school_name
        if picture.class_name:
            where = _("Class {name}").format(name=picture.class_name) + " · " + where
        where = detail.fit(where, CONTENT)
        canvas.text(detail, MARGIN, y + 4, where, INK, vertical="tight")
        y += detail.height_of(where) + 4
        when = canvas.face(28)
        canvas.text(when, MARGIN, y, format_date(picture.today), MUTED)
        y += when.line_height + 12
        canvas.rect(MARGIN, y, CONTENT, 3, fill=RULE)
        return y + 3

    def grid(self, top: int) -> int:
        canvas = self.canvas
        label = canvas.face(30)
        section = canvas.face(28, bold=True)
        rows = self.picture.rows
        groups = (
            (_("Learning"), [row for row in rows if row.area in ATTAINMENT_AREAS]),
            (_("Attitude and habits"), [row for row in rows if row.area not in ATTAINMENT_AREAS]),
        )
        lines = {row.area: label.wrap(area_name(row.area), LABEL_WIDTH - 8)[:2] for row in rows}
        heights = {
            area: max(MIN_ROW, len(wrapped) * label.line_height + 16)
            for area, wrapped in lines.items()
        }
        header_bottom = top + self.column_heads(top, measure=True)
        bottom = header_bottom + sum(heights.values()) + len(groups) * (section.line_height + 14)
        canvas.ensure(bottom + 40)
        canvas.rect(
            self.column_x(self.picture.current),
            top,
            self.column_width,
            bottom - top + 6,
            fill=TINT,
            radius=12,
        )
        self.column_heads(top, measure=False)
        y = header_bottom
        for title, group in groups:
            y += 14
            canvas.text(section, MARGIN, y, section.fit(title, CONTENT - END_WIDTH), MUTED)
            y += section.line_height
            for row in group:
                self.row(row, y, heights[row.area], lines[row.area])
                y += heights[row.area]
        return y + 6

    def column_heads(self, top: int, *, measure: bool) -> int:
        """The half-terms' numbers and first months, and the expectation's heading."""
        canvas = self.canvas
        number, current = canvas.face(30), canvas.face(30, bold=True)
        month = canvas.face(22)
        end = canvas.face(22, bold=True)
        end_lines = end.wrap(_("End of year"), END_WIDTH)[:2]
        height = max(number.line_height + month.line_height, len(end_lines) * end.line_height)
        if measure:
            return height + 10
        locale = current_locale()
        for index, span in enumerate(self.picture.half_terms):
            middle = self.column_x(index) + self.column_width / 2
            face = current if index == self.picture.current else number
            shown = format_decimal(span.number, locale=locale)
            canvas.text(face, middle, top + 4, shown, INK, anchor="middle")
            starts = month.fit(format_date(span.starts_on, "LLL"), self.column_width - 6)
            canvas.text(month, middle, top + 4 + number.line_height, starts, MUTED, anchor="middle")
        for i, line in enumerate(end_lines):
            middle = self.end_x + END_WIDTH / 2
            canvas.text(end, middle, top + 4 + i * end.line_height, line, INK, anchor="middle")
        return height + 10

    def row(self, row: AreaRow, y: int, height: int, lines: list[str]) -> None:
        canvas = self.canvas
        label = canvas.face(30)
        if len(lines) == 1:
            canvas.text(label, MARGIN, y + height / 2, lines[0], INK, vertical="centre")
        else:
            text_top = y + (height - len(lines) * label.line_height) / 2
            for i, line in enumerate(lines):
                canvas.text(label, MARGIN, text_top + i * label.line_height, line, INK)
        cell_y, cell_h = y + 7, height - 14
        for index, band in enumerate(row.bands):
            x, w = self.column_x(index) + 5, self.column_width - 10
            if band is not None:
                canvas.band_cell(x, cell_y, w, cell_h, band_index(row.area, band))
            elif index <= self.picture.current:
                canvas.hatched(x, cell_y, w, cell_h, radius=10)
            else:  # still to come
                canvas.rect(x, cell_y, w, cell_h, outline=RULE, line=2, radius=10)
            self.drawing.cells[(row.area, index)] = canvas.physical_box(x, cell_y, w, cell_h)
        x, w = self.end_x + 8, END_WIDTH - 16
        if row.expected is not None:
            canvas.target_cell(x, cell_y, w, cell_h, band_index(row.area, row.expected))
        else:
            canvas.rect(x, cell_y, w, cell_h, outline=RULE, line=2, radius=10)
        self.drawing.cells[(row.area, self.columns)] = canvas.physical_box(x, cell_y, w, cell_h)
        canvas.rect(MARGIN, y + height - 1, CONTENT, 1, fill=RULE)

    def targets(self, top: int) -> int:
        """Active targets, each with its area and the idea for home, under a bar."""
        canvas, targets = self.canvas, self.picture.targets
        heading = canvas.face(36, bold=True)
        area, body, note = canvas.face(26, bold=True), canvas.face(32), canvas.face(28)
        canvas.ensure(top + heading.line_height + 200)
        canvas.text(heading, MARGIN, top, _("Targets"), INK)
        y = top + heading.line_height + 6
        if not targets:
            canvas.text(body, MARGIN, y, _("No active targets."), MUTED)
            return y + body.line_height
        indent = 26
        for target in targets[:MAX_TARGETS]:
            # Typed by a teacher, so it may be in another language than the reader's.
            text = body.wrap(stored_text(target.text), CONTENT - indent, auto=True)[:4]
            home = []
            if target.home_support:
                idea = _("At home: {idea}").format(idea=stored_text(target.home_support))
                home = note.wrap(idea, CONTENT - indent)[:3]
            heights = [body.height_of(line, auto=True) for line in text]
            heights += [note.height_of(line) for line in home]
            canvas.ensure(y + area.line_height + sum(heights) + 100)
            canvas.rect(MARGIN, y + 8, 8, area.line_height + sum(heights) - 4, fill=RULE, radius=4)
            canvas.text(area, MARGIN + indent, y, area_name(target.area), MUTED)
            y += area.line_height
            for line, height in zip(text, heights, strict=False):
                canvas.text(body, MARGIN + indent, y, line, INK, auto=True, vertical="tight")
                y += height
            for line, height in zip(home, heights[len(text) :], strict=True):
                canvas.text(note, MARGIN + indent, y, line, MUTED, vertical="tight")
                y += height
            y += 20
        hidden = len(targets) - MAX_TARGETS
        if hidden > 0:
            more = ngettext("and {count} more target", "and {count} more targets", hidden)
            canvas.text(note, MARGIN, y, more.format(count=hidden), MUTED)
            y += note.line_height
        return y
