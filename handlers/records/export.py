"""/export [name]: a senior leader gets everything held about one pupil as a PDF."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.documents import render_in_thread
from bot.documents.file_export import export_filename, render_file_export
from bot.i18n import _, current_locale
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.pickers import int_arg
from handlers.common.pupil_choice import choose_pupil, is_staff_chat, reply
from models.common import clock
from models.common.errors import N_, DomainError
from models.people.access import Permission, staff_may
from models.records.file_export import export_pupil_file

PICK = "xp"  # v1:xp:<pupil>
STALE = N_("This button is no longer active.")


async def export(update: Update, context: MentorContext) -> None:
    """`/export [part of a name]`: pupil, then the PDF (subject access requests)."""
    if not is_staff_chat(update, context) or not staff_may(
        acting(context), Permission.MANAGE_SCHOOL
    ):
        await reply(update, escape(_("This command is for senior leaders.")))
        return
    pupil_id = await choose_pupil(update, context, PICK)
    if pupil_id is not None:
        await _send(update, context, pupil_id)


async def _send(update: Update, context: MentorContext, pupil_id: int) -> None:
    """Gather (the domain checks and audits), render in a thread, send in the reader's language."""
    message = update.effective_message
    if message is None:
        return
    data = await export_pupil_file(acting(context), pupil_id, now=clock.now())
    pdf = await render_in_thread(render_file_export, data, current_locale())
    caption = _(
        "Everything held about {name}. It includes staff-only notes: check it before sharing it."
    )
    await message.reply_document(
        document=pdf, filename=export_filename(data), caption=caption.format(name=data.pupil_name)
    )


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    pupil_id = int_arg(args[0]) if len(args) == 1 else None
    if kind != PICK or pupil_id is None:
        raise DomainError(STALE)
    await _send(update, context, pupil_id)
    return None


def register(app: Application) -> None:
    app.add_handler(CommandHandler("export", export))
    register_buttons(app, _dispatch, PICK)
