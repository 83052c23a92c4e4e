"""The mentoring file export PDF: everything held about one pupil, for a subject access request."""

from __future__ import annotations

from datetime import date, datetime

from bot.documents.pdf import MUTED, Document, file_slug, render_numbered
from bot.documents.words import (
    area_name,
    band_colour,
    band_name,
    capitalised,
    stored_text,
    support_kind_name,
    target_status_name,
)
from bot.i18n import _, format_date, format_datetime, language_name, normalize_locale, use_locale
from models.common.enums import BookingStatus, TargetStatus
from models.messaging.conversations import MessageEntry
from models.records.file_export import (
    AssessmentEntry,
    AuditLine,
    BookingEntry,
    MeetingEntry,
    PupilExport,
    TargetEntry,
)

_MOMENT = "d MMM y, HH:mm"
_DAY = "d MMM y"
# Reading order of the judgements table: when, area, band, who.
_JUDGEMENT_COLUMNS = (0.22, 0.24, 0.3, 0.24)


def export_filename(export: PupilExport) -> str:
    """`mentoring-file-maja-nowak-2026-11-24.pdf`."""
    return f"mentoring-file-{file_slug(export.pupil_name)}-{export.generated_at.date()}.pdf"


def render_file_export(export: PupilExport, locale: str) -> bytes:
    """The pupil's whole record as PDF bytes in `locale`; CPU-bound, so run it in a thread."""
    with use_locale(locale):
        return render_numbered(lambda total: _build(export, locale, total))


def _build(export: PupilExport, locale: str, total: int | None) -> Document:
    title = _("Mentoring file: {name}").format(name=export.pupil_name)
    pdf = Document(
        locale, running_head=f"{export.school_name} · {title}", numbered=True, total_pages=total
    )
    pdf.set_title(title)
    pdf.add_page()
    _cover(pdf, export, title)
    _guardians(pdf, export)
    _expectations(pdf, export)
    _assessments(pdf, export)
    _targets(pdf, export)
    _support(pdf, export)
    _bookings(pdf, export)
    _meetings(pdf, export)
    _messages(pdf, export)
    _audit(pdf, export)
    return pdf


def _moment(export: PupilExport, moment: datetime) -> str:
    return format_datetime(moment, export.zone, _MOMENT)


def _day(day: date) -> str:
    return format_date(day, _DAY)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _cover(pdf: Document, export: PupilExport, title: str) -> None:
    pdf.paragraph(export.school_name, size=10, colour=MUTED, after=0)
    pdf.paragraph(title, size=18, bold=True, after=1)
    pdf.paragraph(
        _("Exported on {moment} by {name}.").format(
            moment=_moment(export, export.generated_at), name=export.exported_by
        ),
        size=9.5,
        colour=MUTED,
    )
    pdf.paragraph(
        _(
            "Everything the bot holds about this pupil, including staff-only notes. "
            "Read it through before sharing it with the family."
        ),
        size=9.5,
        bold=True,
    )
    pdf.heading(_("Pupil"))
    facts = [
        _("Name: {name}").format(name=export.pupil_name),
        _("School's pupil id: {id}").format(id=export.external_id),
        _("Year group: {year}").format(year=export.year_group),
        _("Class: {name}").format(name=export.class_name or "–"),
    ]
    if export.left_at is not None:
        facts.append(_("Left the school on {date}").format(date=_day(export.left_at.date())))
    for fact in facts:
        pdf.paragraph(fact, after=0.3)


def _guardians(pdf: Document, export: PupilExport) -> None:
    pdf.heading(_("Parents and carers"))
    if not export.guardians:
        pdf.paragraph(_("None recorded."), colour=MUTED)
    for guardian in export.guardians:
        line = guardian.name
        if guardian.relationship:
            line = f"{line} ({guardian.relationship})"
        pdf.paragraph(line, bold=True, after=0)
        details = [
            _("receives reports: {answer}").format(answer=_yes_no(guardian.receives_reports))
        ]
        if guardian.separate:
            details.append(_("books meetings separately"))
        language = normalize_locale(guardian.language)
        if language:
            details.append(_("language: {name}").format(name=language_name(language)))
        pdf.paragraph(" · ".join(details), size=9, colour=MUTED, indent=5)


def _expectations(pdf: Document, export: PupilExport) -> None:
    pdf.heading(_("End-of-year expectations"))
    if not export.expectations:
        pdf.paragraph(_("None recorded."), colour=MUTED)
    for entry in export.expectations:
        pdf.paragraph(
            _("{year} · {area}: {band}").format(
                year=entry.academic_year, area=area_name(entry.area), band=band_name(entry.band)
            ),
            after=0,
        )
        pdf.paragraph(_by(entry.set_by, _moment(export, entry.updated_at)), size=9, colour=MUTED)


def _by(who: str, when: str) -> str:
    if not who:
        return when
    return _("{when} by {name}").format(when=when, name=who)


def _assessments(pdf: Document, export: PupilExport) -> None:
    pdf.heading(_("Judgements"))
    if not export.assessments:
        pdf.paragraph(_("None recorded."), colour=MUTED)
        return
    widths = [share * pdf.content_width for share in _JUDGEMENT_COLUMNS]
    for entry in export.assessments:
        _judgement(pdf, export, entry, widths)


def _judgement(
    pdf: Document, export: PupilExport, entry: AssessmentEntry, widths: list[float]
) -> None:
    who = (
        _("{name} (own view)").format(name=export.pupil_name)
        if entry.by_pupil
        else entry.recorded_by
    )
    cells = [
        (None, _moment(export, entry.at)),
        (None, area_name(entry.area)),
        (band_colour(entry.area, entry.band), band_name(entry.band)),
        (None, who or "–"),
    ]
    size = 9.0
    height = max(
        pdf.height_of(text, width - 6.5, size)
        for (_colour, text), width in zip(cells, widths, strict=True)
    )
    pdf.room_for(height + 1)
    y = pdf.get_y()
    offset = 0.0
    for (colour, text), width in zip(cells, widths, strict=True):
        pdf.swatch_text(offset, width - 1.5, y, colour, text, size)
        offset += width
    pdf.set_xy(pdf.l_margin, y + height + 0.6)
    if entry.note:
        pdf.paragraph(
            _("Staff-only note: {note}").format(note=entry.note), size=8.5, colour=MUTED, indent=5
        )


def _targets(pdf: Document, export: PupilExport) -> None:
    pdf.heading(_("Targets"))
    if not export.targets:
        pdf.paragraph(_("None recorded."), colour=MUTED)
    for target in export.targets:
        _target(pdf, export, target)


def _target(pdf: Document, export: PupilExport, target: TargetEntry) -> None:
    pdf.room_for(pdf.leading(10) * 3)
    pdf.paragraph(
        _("{area}: {text}").format(area=area_name(target.area), text=stored_text(target.text)),
        bold=True,
        after=0,
    )
    if target.home_support:
        pdf.paragraph(
            _("At home: {idea}").format(idea=stored_text(target.home_support)),
            size=9,
            indent=5,
            after=0,
        )
    for event in target.events:
        words = (
            _("set") if event.status is TargetStatus.ACTIVE else target_status_name(event.status)
        )
        pdf.paragraph(
            f"{_day(event.on)} · {words}" + (f" · {event.by}" if event.by else ""),
            size=9,
            colour=MUTED,
            indent=5,
            after=0,
        )
    for seen in target.seen_by:
        pdf.paragraph(
            _("Seen by {name} on {moment}").format(
                name=seen.guardian, moment=_moment(export, seen.seen_at)
            ),
            size=9,
            colour=MUTED,
            indent=5,
            after=0,
        )
    pdf.ln(1.5)


def _support(pdf: Document, export: PupilExport) -> None:
    pdf.heading(_("Support"))
    if not export.support:
        pdf.paragraph(_("None recorded."), colour=MUTED)
    for entry in export.support:
        pdf.paragraph(
            _("{kind}: {description}").format(
                kind=capitalised(support_kind_name(entry.kind)), description=entry.description
            ),
            bold=True,
            after=0,
        )
        span = _day(entry.starts_on)
        if entry.ends_on:
            span = f"{span} – {_day(entry.ends_on)}"
        details = [_("Delivered by {who}").format(who=entry.responsible), span]
        if entry.review_on:
            details.append(_("review {date}").format(date=_day(entry.review_on)))
        if entry.recorded_by:
            details.append(_("recorded by {name}").format(name=entry.recorded_by))
        pdf.paragraph(" · ".join(details), size=9, colour=MUTED, indent=5)


def _booking_status(status: BookingStatus) -> str:
    names = {
        BookingStatus.OFFERED: _("offered"),
        BookingStatus.BOOKED: _("booked"),
        BookingStatus.CONFIRMED: _("confirmed"),
        BookingStatus.DECLINED: _("declined"),
        BookingStatus.ATTENDED: _("attended"),
        BookingStatus.MISSED: _("missed"),
        BookingStatus.CANCELLED: _("cancelled"),
    }
    return names[status]


def _bookings(pdf: Document, export: PupilExport) -> None:
    pdf.heading(_("Meeting bookings"))
    if not export.bookings:
        pdf.paragraph(_("None recorded."), colour=MUTED)
    for booking in export.bookings:
        _booking(pdf, export, booking)


def _booking(pdf: Document, export: PupilExport, booking: BookingEntry) -> None:
    pdf.paragraph(
        _("{round}: {moment} with {teacher}").format(
            round=booking.round_name,
            moment=_moment(export, booking.starts_at),
            teacher=booking.teacher,
        ),
        after=0,
    )
    details = [_booking_status(booking.status)]
    if booking.booked_by_school:
        details.append(_("booked by the school"))
    if booking.confirmed_by:
        details.append(_("confirmed by {name}").format(name=booking.confirmed_by))
    if booking.decline_reason:
        details.append(_("reason given: {reason}").format(reason=booking.decline_reason))
    pdf.paragraph(" · ".join(details), size=9, colour=MUTED, indent=5)


def _meetings(pdf: Document, export: PupilExport) -> None:
    pdf.heading(_("Meeting records"))
    if not export.meetings:
        pdf.paragraph(_("None recorded."), colour=MUTED)
    for meeting in export.meetings:
        _meeting(pdf, export, meeting)


def _meeting(pdf: Document, export: PupilExport, meeting: MeetingEntry) -> None:
    pdf.room_for(pdf.leading(10) * 4)
    pdf.paragraph(_by(meeting.teacher, _moment(export, meeting.held_at)), bold=True, after=0)
    pdf.paragraph(
        _("Parent or carer came: {answer}").format(answer=_yes_no(meeting.parent_attended)),
        size=9,
        colour=MUTED,
        indent=5,
        after=0,
    )
    parts = (
        (_("Notes"), meeting.notes),
        (_("Child's voice"), meeting.child_voice),
        (_("Staff-only notes"), meeting.staff_notes),
    )
    for label, text in parts:
        if text.strip():
            pdf.paragraph(label, size=9, bold=True, indent=5, after=0)
            pdf.paragraph(text.strip(), size=9, indent=5, after=0.3, typed=True)
    for text, status in meeting.reviewed:
        pdf.paragraph(
            _("Target reviewed: {text} — {status}").format(
                text=stored_text(text), status=target_status_name(status)
            ),
            size=9,
            indent=5,
            after=0,
        )
    for text in meeting.set_targets:
        pdf.paragraph(
            _("Target set: {text}").format(text=stored_text(text)), size=9, indent=5, after=0
        )
    pdf.ln(1.5)


def _messages(pdf: Document, export: PupilExport) -> None:
    pdf.heading(_("Messages between the family and the school"))
    if not export.messages:
        pdf.paragraph(_("None recorded."), colour=MUTED)
    for entry in export.messages:
        _message(pdf, export, entry)


def _message(pdf: Document, export: PupilExport, entry: MessageEntry) -> None:
    pdf.room_for(pdf.leading(10) * 3)
    family = f"{entry.guardian} ({entry.relationship})" if entry.relationship else entry.guardian
    staff = entry.staff or _("the school")
    if entry.from_family:
        who = _("From {family} to {staff}").format(family=family, staff=staff)
    else:
        who = _("From {staff} to {family}").format(family=family, staff=staff)
    pdf.paragraph(f"{_moment(export, entry.at)} · {who}", bold=True, after=0)
    if entry.text.strip():
        pdf.paragraph(entry.text.strip(), size=9, indent=5, after=0.3, typed=True)
    if entry.attachment_kind == "photo":
        pdf.paragraph(_("With a photo"), size=9, colour=MUTED, indent=5, after=0)
    elif entry.attachment_kind:
        name = entry.attachment_name or _("a document")
        pdf.paragraph(
            _("With a document: {name}").format(name=name), size=9, colour=MUTED, indent=5, after=0
        )
    if entry.read_at is not None:
        pdf.paragraph(
            _("Read by {name} on {moment}").format(
                name=entry.read_by, moment=_moment(export, entry.read_at)
            ),
            size=9,
            colour=MUTED,
            indent=5,
            after=0,
        )
    pdf.ln(1.5)


def _action(action: str) -> str:
    names = {
        "assessment_recorded": _("judgement recorded"),
        "assessment_noted": _("staff-only note added to a judgement"),
        "assessment_corrected": _("judgement corrected"),
        "assessment_undone": _("judgement taken back"),
        "target_set": _("target set"),
        "target_achieved": _("target achieved"),
        "target_carried_over": _("target carried over"),
        "target_dropped": _("target dropped"),
        "support_recorded": _("support agreed"),
        "expectation_set": _("expectation set"),
        "booking_made": _("meeting booked"),
        "booking_changed": _("meeting moved"),
        "booking_confirmed": _("meeting confirmed"),
        "booking_declined": _("meeting declined"),
        "booking_attended": _("family came to the meeting"),
        "booking_missed": _("family missed the meeting"),
        "meeting_recorded": _("meeting record written"),
        "meeting_record_corrected": _("meeting record corrected"),
        "pupil_file_exported": _("mentoring file exported"),
    }
    return names.get(action, action)


def _audit(pdf: Document, export: PupilExport) -> None:
    pdf.heading(_("Who did what, and when"))
    if not export.audit:
        pdf.paragraph(_("None recorded."), colour=MUTED)
    for line in export.audit:
        _audit_line(pdf, export, line)


def _audit_line(pdf: Document, export: PupilExport, line: AuditLine) -> None:
    text = f"{_moment(export, line.at)} · {line.actor} · {_action(line.action)} · {line.subject}"
    if line.details:
        text += " · " + ", ".join(f"{key}={value}" for key, value in line.details)
    pdf.paragraph(text, size=8.5, after=0.3)
