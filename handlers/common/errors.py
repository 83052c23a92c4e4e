"""Nothing crashes the bot: log what failed (never who or what they wrote) and apologise."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter
from telegram.ext import Application

from handlers.common.context import MentorContext
from handlers.common.texts import something_went_wrong_text

logger = logging.getLogger(__name__)


async def on_error(update: object, context: MentorContext) -> None:
    """Log the failure without personal data and tell the user, if there is one."""
    error = context.error
    if error is None:
        return
    update_id = update.update_id if isinstance(update, Update) else None
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
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, something_went_wrong_text())
        except Exception as reply_error:  # the apology itself must never raise
            logger.warning("Could not apologise: %s", type(reply_error).__name__)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
