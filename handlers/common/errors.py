"""Nothing crashes the bot: log what failed (never who or what they wrote) and apologise.

A button press whose handler failed before answering is answered here, once: Telegram shows
a spinner until it is, and refuses a second answer.
"""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.outgoing import answered
from handlers.common.context import MentorContext
from handlers.common.texts import something_went_wrong_text, stale_button_text

logger = logging.getLogger(__name__)


async def on_error(update: object, context: MentorContext) -> None:
    """Log the failure without personal data and tell the user, if there is one."""
    error = context.error
    if error is None:
        return
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(update, Update):
        await _answer_press(update, context, error)
    # Exception messages (and source lines) can quote what people wrote or database values:
    # log only the type and the frames it passed through.
    where = " <- ".join(
        f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}"
        for frame in reversed(traceback.extract_tb(error.__traceback__)[-4:])
    )
    if isinstance(error, RetryAfter | NetworkError | Forbidden):
        logger.warning("Telegram call failed for update %s: %s", update_id, type(error).__name__)
        return
    logger.error("Update %s failed: %s at %s", update_id, type(error).__name__, where)
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is not None and chat.type == ChatType.PRIVATE:
        try:
            await context.bot.send_message(chat.id, something_went_wrong_text())
        except Exception as reply_error:  # the apology itself must never raise
            logger.warning("Could not apologise: %s", type(reply_error).__name__)


async def _answer_press(update: Update, context: MentorContext, error: Exception) -> None:
    """Stop the button's spinner if the failure came before its answer."""
    query = update.callback_query
    if query is None or answered(context.bot, query.id):
        return
    # Telegram refused what the press asked for (an old message, say): the button is stale.
    text = stale_button_text() if isinstance(error, BadRequest) else something_went_wrong_text()
    try:
        await query.answer(text)
    except TelegramError as answer_error:  # too late, or Telegram is away: nothing more to do
        logger.warning("Could not answer a button: %s", type(answer_error).__name__)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
