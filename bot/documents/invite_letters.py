"""Invite letters PDF: one page per family, in their language, with a QR code and the code."""

from __future__ import annotations

import io
import os
from pathlib import Path

import segno

from bot.documents.pdf import MUTED, Document
from bot.i18n import _, choose_locale, format_date, format_list, use_locale
from models.people.invite_codes import grouped
from models.people.invite_letters import GuardianLetter, LetterBatch

FILENAME = "invite-letters.pdf"
QR_SIZE = 52.0  # mm: a phone reads it easily from a printed page
CODE_SIZE = 22.0  # points: the typed line, as large as fits on one line
MIN_CODE_SIZE = 14.0  # even a code of all Ws and Ms fits at this size
CODE_SPACING = 1.5  # points between characters, so look-alikes stand apart
EXPIRY_FORMAT = "d MMMM y"  # "long" ends in "р." in Ukrainian, and the sentence adds a full stop


def render_invite_letters(batch: LetterBatch) -> bytes:
    """Every family's letter, each page in their own language; run it in a worker thread."""
    pdf = Document(batch.default_locale)
    pdf.set_title(_("Invitation letters"))
    pdf.set_auto_page_break(False)
    for letter in batch.letters:
        locale = choose_locale(letter.language, batch.default_locale)
        with use_locale(locale):
            pdf.set_locale(locale)
            pdf.add_page()
            _letter(pdf, batch, letter)
    if not batch.letters:
        with use_locale(batch.default_locale):
            pdf.add_page()
            pdf.paragraph(_("Every family is already linked: there are no letters to print."))
    return pdf.finish()


def write_invite_letters(batch: LetterBatch, out: Path) -> None:
    """Render the letters to a file readable only by its owner (it holds live codes)."""
    data = render_invite_letters(batch)
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "wb") as handle:
        handle.write(data)


def qr_png(link: str) -> bytes:
    """The deep link as a QR code, one pixel per module scaled up, with the quiet zone."""
    buffer = io.BytesIO()
    segno.make(link, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def _letter(pdf: Document, batch: LetterBatch, letter: GuardianLetter) -> None:
    pdf.set_y(22)
    pdf.paragraph(batch.school_name, size=20, bold=True, after=1)
    pdf.paragraph(_("Join us on Telegram"), size=12, colour=MUTED, after=6)
    pdf.paragraph(_("Dear {name},").format(name=letter.guardian_name), size=11.5, after=3)
    children = format_list(list(letter.children)) or _("your child")
    pdf.paragraph(
        _(
            "Our school's Telegram bot keeps you up to date with {children}: how they are "
            "doing, their targets and how to help at home. You can also book mentoring "
            "meetings with it."
        ).format(children=children),
        size=11,
        after=2,
    )
    pdf.paragraph(
        _(
            "Your data: linking saves your Telegram account with your name on the school's "
            "contact list, so news about your children reaches only you. The school shares "
            "it with no one."
        ),
        size=11,
        after=6,
    )
    _scan(pdf, letter)
    _type(pdf, batch, letter)


def _scan(pdf: Document, letter: GuardianLetter) -> None:
    top = pdf.get_y()
    pdf.image(
        io.BytesIO(qr_png(letter.link)),
        x=pdf.column_x(0, QR_SIZE),
        y=top,
        w=QR_SIZE,
        h=QR_SIZE,
        alt_text=letter.link,
    )
    steps = (
        _("1. Scan this code with your phone's camera."),
        _("2. Telegram opens: press Start."),
        _("3. You are linked. That's all!"),
    )
    gap = 8.0
    width = pdf.content_width - QR_SIZE - gap
    pdf.set_y(top + 6)
    for step in steps:
        pdf.use(12, bold=True)
        pdf.set_x(pdf.column_x(QR_SIZE + gap, width))
        pdf.block(width, step)
        pdf.ln(3)
    pdf.set_y(top + QR_SIZE + 8)


def _type(pdf: Document, batch: LetterBatch, letter: GuardianLetter) -> None:
    pdf.paragraph(
        _("No camera? In Telegram, open @{bot} and send this message:").format(
            bot=batch.bot_username
        ),
        size=11,
        after=3,
    )
    # Latin letters and digits: the same left-to-right line on every page, Arabic and Urdu too.
    message = f"/start {grouped(letter.code)}"
    with pdf.latin():
        pdf.set_char_spacing(CODE_SPACING)
        pdf.paragraph(message, size=_code_size(pdf, message), bold=True, align="C", typed=True)
        pdf.set_char_spacing(0)
    pdf.ln(2)
    pdf.paragraph(
        _("The code works once, until {date}. Please keep this letter private.").format(
            date=format_date(batch.expires_on, EXPIRY_FORMAT)
        ),
        size=10,
        colour=MUTED,
        align="C",
        after=1,
    )
    with pdf.latin():
        pdf.paragraph(letter.link, size=8.5, colour=MUTED, align="C", typed=True)


def _code_size(pdf: Document, message: str) -> float:
    """The largest size up to CODE_SIZE that keeps the message on one line (W and M are wide)."""
    size = CODE_SIZE
    while size > MIN_CODE_SIZE:
        pdf.use(size, bold=True)
        if pdf.text_width(message) < pdf.content_width - 1:  # a hair spare for rounding
            break
        size -= 0.5
    return size
