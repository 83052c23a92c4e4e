"""The mentoring sheet PDF: "📄 Mentoring sheet" for the teacher, and the family's copy after.

The family's copy follows the meeting summary as its own outbox file (`SHEET_FILE`), rendered in
the guardian's language when it is sent. Rendering runs in a worker thread.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update
from telegram.ext import Application

from bot.documents import render_in_thread
from bot.documents.mentoring_sheet import render_mentoring_sheet, sheet_filename
from bot.i18n import _, current_locale
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.pickers import button, int_arg
from handlers.delivery.files import builds_file
from handlers.delivery.kinds import Reader, int_param
from models.common.errors import N_, DomainError
from models.delivery.outbox import NoticeView
from models.meetings.sheet import family_sheet, staff_sheet

SHEET = "msh"  # v1:msh:<booking>
SHEET_FILE = "mentoring_sheet"
STALE = N_("This button is no longer active.")


def sheet_button(booking_id: int, at: str | None = None) -> InlineKeyboardButton:
    """The button for a meeting's sheet; `at` (its time) labels it in a day's list."""
    return button("📄 " + (at or _("Mentoring sheet")), SHEET, booking_id)


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    """The teacher's copy, staff-only notes included, in their own language."""
    booking_id = int_arg(args[0]) if len(args) == 1 else None
    message = update.effective_message
    if kind != SHEET or booking_id is None or message is None:
        raise DomainError(STALE)
    sheet = await staff_sheet(acting(context), booking_id)  # the domain decides who may
    data = await render_in_thread(render_mentoring_sheet, sheet, current_locale())
    await message.reply_document(document=data, filename=sheet_filename(sheet))
    return None


@builds_file(SHEET_FILE)
async def family_copy(row: NoticeView, reader: Reader) -> tuple[bytes, str]:
    """The family's copy of a meeting held: never the staff-only notes."""
    sheet = await family_sheet(reader.actor, int_param(row, "record_id"))
    data = await render_in_thread(render_mentoring_sheet, sheet, reader.locale)
    return data, sheet_filename(sheet)


def register(app: Application) -> None:
    register_buttons(app, _dispatch, SHEET)
