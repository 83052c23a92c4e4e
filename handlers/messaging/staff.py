"""Staff answer families (by replying in Telegram or with "↩️ Reply") and mark messages read.

Buttons carry only a message id; who may answer or mark it is decided by the domain on every
press, so a forged or stale button changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application

from bot.i18n import _
from handlers.common import callback_data
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.pickers import int_arg
from handlers.common.pupil_choice import show
from handlers.messaging import texts
from models.common import clock
from models.common.errors import N_, DomainError
from models.common.flows import Flow, current_flow, end_flow, start_flow
from models.messaging.conversations import (
    Draft,
    MessageTooLong,
    answer_family,
    mark_read,
    message_for_staff,
    remember_copy,
)

FLOW = "msg_reply"
STALE = N_("This button is no longer active.")


async def answer(
    update: Update, context: MentorContext, message_id: int, draft: Draft
) -> DomainError | None:
    """Send staff's answer to the thread of `message_id`; the refusal (already shown), if any."""
    chat = chat_id(update)
    try:
        view = await answer_family(acting(context), message_id, draft, now=clock.now())
    except DomainError as error:
        warning = "⚠️ " + escape(_(error.message).format(**error.params))
        await context.bot.send_message(chat, warning, parse_mode=ParseMode.HTML)
        return error
    sent = await context.bot.send_message(
        chat, texts.answered_text(view), parse_mode=ParseMode.HTML
    )
    await remember_copy(view.message_id, chat, sent.message_id)
    flow = await current_flow(chat, now=clock.now(), kind=FLOW)
    waiting = flow is not None and flow.data.get("message") == message_id
    await _answered_copy(update, context, message_id, flow.data if waiting and flow else {})
    # Answered by replying to the prompt instead of typing after it: the prompt is done with.
    if waiting:
        await end_flow(chat)
    return None


async def answer_in_flow(update: Update, context: MentorContext, flow: Flow, draft: Draft) -> None:
    """The answer written after "↩️ Reply"."""
    message_id = flow.data.get("message")
    if not isinstance(message_id, int):
        await end_flow(chat_id(update))
        return
    refusal = await answer(update, context, message_id, draft)
    if not isinstance(refusal, MessageTooLong):  # retyping it shorter helps; nothing else does
        await end_flow(chat_id(update))


@on_text(FLOW)
async def text_typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """Typed text while "↩️ Reply" waits for the answer."""
    await answer_in_flow(update, context, flow, Draft(text))


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    message_id = int_arg(args[0]) if len(args) == 1 else None
    if message_id is None:
        raise DomainError(STALE)
    actor, chat, now = acting(context), chat_id(update), clock.now()
    if kind == texts.CANCEL_REPLY:
        await end_flow(chat)
        await show(update, escape(_("No answer was sent.")), None, edit=True)
        return None
    if kind == texts.REPLY:
        view = await message_for_staff(actor, message_id, now=now)
        data: dict[str, Any] = {"message": message_id}
        copy = update.callback_query.message if update.callback_query else None
        markup = getattr(copy, "reply_markup", None)  # None on a message the bot cannot see
        if copy is not None and isinstance(markup, InlineKeyboardMarkup):
            # So the answer typed next can turn this copy's "✓" into "✓✓" too.
            data["copy"] = {"id": copy.message_id, "markup": markup.to_dict()}
        await start_flow(chat, FLOW, "answer", data, now=now)
        prompt = await context.bot.send_message(
            chat,
            texts.reply_prompt_text(view),
            parse_mode=ParseMode.HTML,
            reply_markup=texts.cancel_reply_markup(message_id),
        )
        await remember_copy(message_id, chat, prompt.message_id)
        return None
    mark = await mark_read(actor, message_id, now=now)
    await _show_read(update, message_id)
    if mark.first_time:
        return _("Marked as read. The family will see that you have read it.")
    return _("Already read by {name}.").format(name=mark.read_by)


async def _show_read(update: Update, message_id: int) -> None:
    """Turn the pressed "✓" into "✓✓", leaving the other buttons as they are."""
    query = update.callback_query
    message = query.message if query is not None else None
    markup = getattr(message, "reply_markup", None)
    if query is None or not isinstance(markup, InlineKeyboardMarkup):
        return
    keyboard = [
        [_read(button, query.data, message_id) for button in row] for row in markup.inline_keyboard
    ]
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup(keyboard))
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


async def _answered_copy(
    update: Update, context: MentorContext, message_id: int, flow_data: Mapping[str, Any]
) -> None:
    """An answer marks the message read, so "✓" becomes "✓✓" on the copy answered.

    That copy is the one replied to, or the one whose "↩️ Reply" was pressed before typing.
    """
    message = update.effective_message
    replied = message.reply_to_message if message is not None else None
    chat, copy_id, markup = None, None, None
    if replied is not None:
        chat, copy_id, markup = replied.chat_id, replied.message_id, replied.reply_markup
    elif isinstance(copy := flow_data.get("copy"), dict) and isinstance(copy.get("markup"), dict):
        chat, copy_id = chat_id(update), copy.get("id")
        markup = InlineKeyboardMarkup.de_json(copy["markup"], context.bot)
    if chat is None or not isinstance(copy_id, int) or not isinstance(markup, InlineKeyboardMarkup):
        return
    pressed = callback_data.encode(texts.READ, message_id)
    keyboard = [
        [_read(button, pressed, message_id) for button in row] for row in markup.inline_keyboard
    ]
    if keyboard == [list(row) for row in markup.inline_keyboard]:
        return  # nothing to mark: a prompt, or read already
    try:
        await context.bot.edit_message_reply_markup(
            chat, copy_id, reply_markup=InlineKeyboardMarkup(keyboard)
        )
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


def _read(
    button: InlineKeyboardButton, pressed: str | None, message_id: int
) -> InlineKeyboardButton:
    if button.callback_data != pressed:
        return button
    number = button.text.removeprefix("✓ ").removeprefix("✓✓ ")
    label = number if number.isdigit() else None
    return texts.read_button(message_id, read=True, label=label)


def register(app: Application) -> None:
    register_buttons(app, _dispatch, texts.REPLY, texts.READ, texts.CANCEL_REPLY)
