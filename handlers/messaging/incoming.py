"""Private messages before the flows see them: replies to a thread, and parents just writing.

Text, photos and documents, in this order: a reply to a Telegram message that carries a
thread message answers that thread (staff) or continues it (the family); a photo or document
answers a waiting /ask or "↩️ Reply"; typed text goes to the flow waiting for it
(`handlers.common.flow_text`), as before; with no flow waiting, a parent's text, photo or
document is a message to their child's teacher. Anything else (staff chatting, stickers) gets
the usual fallback answers.
"""

from __future__ import annotations

from html import escape

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, MessageHandler, filters

from bot.i18n import _
from handlers.common.context import MentorContext
from handlers.common.fallback import other_message
from handlers.common.flow_text import route_text
from handlers.messaging import ask
from handlers.messaging import staff as staff_messages
from models.common import clock
from models.common.errors import DomainError
from models.common.flows import current_flow
from models.messaging.conversations import DOCUMENT, PHOTO, Attachment, Draft, reply_target

MAX_NAME = 255


def draft_of(message: Message) -> Draft:
    """The text (or caption) and the photo or document of a Telegram message."""
    text = message.text or message.caption or ""
    attachment = None
    if message.photo:
        attachment = Attachment(PHOTO, message.photo[-1].file_id)  # the largest size
    elif message.document is not None:
        name = (message.document.file_name or "")[:MAX_NAME]
        attachment = Attachment(DOCUMENT, message.document.file_id, name)
    return Draft(text, attachment)


async def incoming(update: Update, context: MentorContext) -> None:
    """Route one private message (see the module's docstring)."""
    message, chat, actor = update.effective_message, update.effective_chat, context.actor
    if message is None or chat is None:
        return
    if actor is None or not actor.is_linked:
        await _as_before(update, context, message)
        return
    draft = draft_of(message)
    replied = message.reply_to_message
    if replied is not None:
        try:
            target = await reply_target(actor, chat.id, replied.message_id)
        except DomainError as error:
            await message.reply_text(
                "⚠️ " + escape(_(error.message).format(**error.params)), parse_mode=ParseMode.HTML
            )
            return
        if target is not None and target.as_family:
            await ask.send_drafts(update, context, target.pupil_id, [draft])
            return
        if target is not None:
            await staff_messages.answer(update, context, target.message_id, draft)
            return
    flow = await current_flow(chat.id, now=clock.now())
    if flow is not None and draft.attachment is not None:
        if flow.kind == staff_messages.FLOW:
            await staff_messages.answer_in_flow(update, context, flow, draft)
            return
        if flow.kind == ask.FLOW:
            await ask.continue_flow(update, context, flow, draft)
            return
    if message.text is not None and flow is not None:
        await route_text(update, context)
        return
    # Staff text is never taken for a message: it may be meant for a flow that has expired.
    if actor.guardian is not None and actor.staff is None:
        await ask.free_message(update, context, draft)
        return
    await _as_before(update, context, message)


async def _as_before(update: Update, context: MentorContext, message: Message) -> None:
    if message.text is not None:
        await route_text(update, context)
    else:
        await other_message(update, context)


def register(app: Application) -> None:
    """Register before `flow_text`: it answers every private text that reaches it."""
    content = filters.TEXT | filters.PHOTO | filters.Document.ALL
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.COMMAND
    app.add_handler(MessageHandler(private & content, incoming))
