"""The mentoring sheet PDF: one meeting on paper, for the teacher before it and the family after."""

from __future__ import annotations

from bot.documents.pdf import (
    BAND_RGB,
    INK,
    MUTED,
    NO_BAND,
    Colour,
    Document,
    file_slug,
    render_numbered,
)
from bot.documents.words import (
    area_name,
    band_colour,
    band_name,
    capitalised,
    progress_name,
    stored_text,
    support_kind_name,
    target_status_name,
)
from bot.i18n import _, format_date, format_datetime, use_locale
from models.assessment.bands import Progress
from models.common.enums import TargetStatus
from models.meetings.sheet import MentoringSheet, SheetArea, SheetTarget

# Reading order of the bands table: area, now, the child's view, expectation, progress.
_COLUMNS = (0.2, 0.22, 0.2, 0.2, 0.18)
_PROGRESS_RGB = {
    Progress.AHEAD: BAND_RGB[3],
    Progress.ON_TRACK: BAND_RGB[2],
    Progress.BEHIND: BAND_RGB[1],
}


def render_mentoring_sheet(sheet: MentoringSheet, locale: str) -> bytes:
    """The sheet as PDF bytes in `locale`; pure and CPU-bound, so run it in a worker thread."""
    with use_locale(locale):
        return render_numbered(lambda total: _build(sheet, locale, total))


def sheet_filename(sheet: MentoringSheet) -> str:
    """`mentoring-sheet-maja-nowak-2026-11-26.pdf`: a teacher's day of sheets stays apart."""
    day = sheet.starts_at.astimezone(sheet.zone).date().isoformat()
    return f"mentoring-sheet-{file_slug(sheet.pupil_name)}-{day}.pdf"


def _build(sheet: MentoringSheet, locale: str, total: int | None) -> Document:
    title = _("Mentoring sheet")
    head = f"{sheet.school_name} · {title} · {sheet.pupil_name}"
    pdf = Document(locale, running_head=head, numbered=True, total_pages=total)
    pdf.set_title(f"{title}: {sheet.pupil_name}")
    pdf.add_page()
    _title(pdf, sheet, title)
    _bands(pdf, sheet)
    _targets(pdf, sheet)
    _support(pdf, sheet)
    _said(pdf, sheet)
    _roles(pdf, sheet)
    _signatures(pdf, sheet)
    return pdf


def _title(pdf: Document, sheet: MentoringSheet, title: str) -> None:
    pdf.paragraph(sheet.school_name, size=10, colour=MUTED, after=0)
    pdf.paragraph(title, size=20, bold=True, after=0.5)
    who = sheet.pupil_name if not sheet.class_name else f"{sheet.pupil_name} · {sheet.class_name}"
    pdf.paragraph(who, size=14, bold=True, after=0.5)
    day = format_date(sheet.starts_at.astimezone(sheet.zone).date(), "full")
    time = format_datetime(sheet.starts_at, sheet.zone, "HH:mm")
    # Translators: a meeting's day and time, e.g. "Tue 1 Dec, 15:40".
    when = _("{day}, {time}").format(day=day, time=time)
    pdf.paragraph(
        _("Meeting: {when} with {teacher}").format(when=when, teacher=sheet.teacher_name),
        size=10.5,
        after=0,
    )
    pdf.paragraph(sheet.round_name, size=10, colour=MUTED, after=0.5)
    if sheet.held and not sheet.parent_attended:
        pdf.paragraph(_("The family could not come to this meeting."), size=10, bold=True)


def _bands(pdf: Document, sheet: MentoringSheet) -> None:
    pdf.heading(_("How {name} is doing").format(name=sheet.first_name))
    widths = [share * pdf.content_width for share in _COLUMNS]
    header = (
        _("Area"),
        _("Now"),
        _("{name}'s own view").format(name=sheet.first_name),
        _("End-of-year expectation"),
        _("Progress"),
    )
    _row(pdf, widths, [(None, text) for text in header], size=8.5, muted=True)
    for area in sheet.areas:
        _row(pdf, widths, _area_cells(area), size=9.5)
    pdf.ln(1)


def _area_cells(area: SheetArea) -> list[tuple[Colour | None, str]]:
    colour = band_colour(area.area, area.band) or NO_BAND
    own = band_colour(area.area, area.own_band) if area.own_band else None
    expected = band_colour(area.area, area.expected) if area.expected else None
    progress = _PROGRESS_RGB.get(area.progress) if area.progress else None
    return [
        (None, area_name(area.area)),
        (colour, band_name(area.band)),
        (own, band_name(area.own_band) if area.own_band else "–"),
        (expected, band_name(area.expected) if area.expected else "–"),
        (progress, progress_name(area.progress) or "–"),
    ]


def _row(
    pdf: Document,
    widths: list[float],
    cells: list[tuple[Colour | None, str]],
    *,
    size: float,
    muted: bool = False,
) -> None:
    """One table row in reading order; every cell wraps and the row takes the tallest."""
    pad = 1.5
    swatch = 5.2
    heights = [
        pdf.height_of(text, width - pad - (swatch if colour else 0), size)
        for (colour, text), width in zip(cells, widths, strict=True)
    ]
    height = max(heights) + 1.6
    pdf.room_for(height)
    y = pdf.get_y() + 0.8
    offset = 0.0
    if muted:
        pdf.set_text_color(*MUTED)
    for (colour, text), width in zip(cells, widths, strict=True):
        pdf.swatch_text(offset, width - pad, y, colour, text, size)
        offset += width
    pdf.set_text_color(*INK)
    pdf.set_xy(pdf.l_margin, y - 0.8 + height)
    pdf.rule()
    pdf.ln(-1.2)


def _targets(pdf: Document, sheet: MentoringSheet) -> None:
    if not sheet.held:
        pdf.heading(_("Targets to review"))
        if not sheet.reviewed:
            pdf.paragraph(_("No active targets."), colour=MUTED)
        for target in sheet.reviewed:
            pdf.paragraph(_target_line(target), size=10)
            y = pdf.get_y()
            used = pdf.check_box(4, y, target_status_name(TargetStatus.ACHIEVED))
            pdf.check_box(4 + used + 8, y, target_status_name(TargetStatus.CARRIED_OVER))
            pdf.set_xy(pdf.l_margin, y + pdf.leading(9.5) + 1.5)
        pdf.heading(_("New targets"))
        pdf.writing_lines(3)
        return
    pdf.heading(_("Targets reviewed"))
    if not sheet.reviewed:
        pdf.paragraph(_("No targets were reviewed."), colour=MUTED)
    for target in sheet.reviewed:
        pdf.paragraph(
            _("{target} — {status}").format(
                target=_target_line(target), status=target_status_name(target.status)
            )
        )
    pdf.heading(_("New targets"))
    if not sheet.new_targets:
        pdf.paragraph(_("No new targets were set."), colour=MUTED)
    for target in sheet.new_targets:
        pdf.paragraph(_target_line(target), after=0.2)
        if target.home_support:
            home = _("At home: {idea}").format(idea=stored_text(target.home_support))
            pdf.paragraph(home, size=9.5, colour=MUTED, indent=5)


def _target_line(target: SheetTarget) -> str:
    return _("{area}: {text}").format(area=area_name(target.area), text=stored_text(target.text))


def _support(pdf: Document, sheet: MentoringSheet) -> None:
    pdf.heading(_("Support agreed"))
    if not sheet.support:
        pdf.paragraph(_("No support recorded."), colour=MUTED)
    for support in sheet.support:
        pdf.paragraph(
            _("{kind}: {description}").format(
                kind=capitalised(support_kind_name(support.kind)),
                description=support.description,
            ),
            after=0.2,
        )
        who = _("Delivered by {who}").format(who=support.responsible)
        if support.review_on:
            review = _("review {date}").format(date=format_date(support.review_on, "d MMM y"))
            who = f"{who} · {review}"
        pdf.paragraph(who, size=9.5, colour=MUTED, indent=5)
    if not sheet.held:
        pdf.writing_lines(2)


def _said(pdf: Document, sheet: MentoringSheet) -> None:
    parts = [
        (_("Notes"), sheet.notes),
        (_("{name}'s voice").format(name=sheet.first_name), sheet.child_voice),
    ]
    if sheet.staff_notes is not None:
        parts.append((_("Staff-only notes (never shown to the family)"), sheet.staff_notes))
    for heading, text in parts:
        pdf.heading(heading)
        if text.strip():
            pdf.paragraph(text.strip(), typed=True)
        elif sheet.held:
            pdf.paragraph("–", colour=MUTED)
        else:
            pdf.writing_lines(3)


def _roles(pdf: Document, sheet: MentoringSheet) -> None:
    name = sheet.first_name
    roles = (
        (
            _("The teacher's role"),
            _(
                "To mentor {name} one to one: to inform, support and encourage, "
                "and also to hold to account."
            ).format(name=name),
        ),
        (
            _("{name}'s role").format(name=name),
            _(
                "To take part in the discussion, understand and take responsibility for their "
                "own learning, work hard on their targets and give their very best."
            ),
        ),
        (
            _("The parent's or carer's role"),
            _(
                "To find out how {name} is doing and ask questions. Being there shows {name} "
                "your support."
            ).format(name=name),
        ),
    )
    pdf.heading(_("Our roles in the meeting"))
    for label, text in roles:
        pdf.room_for(pdf.leading(10) * 3)
        pdf.paragraph(label, size=10, bold=True, after=0)
        pdf.paragraph(text, size=9.5, after=1.5)


def _signatures(pdf: Document, sheet: MentoringSheet) -> None:
    who = (_("Teacher"), sheet.first_name, _("Parent or carer"))
    pdf.heading(_("Signed"))
    gap = 8.0
    width = (pdf.content_width - 2 * gap) / 3
    pdf.room_for(26)
    y = pdf.get_y() + 14
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    for n, label in enumerate(who):
        x = pdf.column_x(n * (width + gap), width)
        pdf.line(x, y, x + width, y)
        pdf.use(9)
        pdf.set_text_color(*MUTED)
        pdf.set_xy(x, y + 1)
        pdf.one_line(width, label)
    pdf.set_text_color(*INK)
    pdf.set_xy(pdf.l_margin, y + 1 + pdf.leading(9) + 6)
    date_line = _("Date")
    pdf.use(9)
    pdf.set_text_color(*MUTED)
    width = pdf.text_width(date_line) + 2
    pdf.set_x(pdf.column_x(0, width))
    pdf.one_line(width, date_line)
    y = pdf.get_y() + pdf.leading(9)
    start = pdf.column_x(width + 2, 50)
    pdf.set_draw_color(*INK)
    pdf.line(start, y, start + 50, y)
    pdf.set_text_color(*INK)
