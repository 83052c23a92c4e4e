"""The one way a feature's inline buttons are handled: decode, dispatch, answer.

Every press is answered exactly once: a malformed or stale button with a short note, a domain
refusal with a pop-up, a press that changes nothing (Telegram's "message is not modified")
like any other. What escapes is answered by `handlers.common.errors`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.i18n import _
from handlers.common import callback_data
from handlers.common.context import MentorContext
from handlers.common.texts import stale_button_text
from models.common.errors import DomainError

# (update, context, kind, args) -> the short answer shown to the presser, or None
Dispatch = Callable[[Update, MentorContext, str, tuple[str, ...]], Awaitable[str | None]]


def not_modified(error: BadRequest) -> bool:
    """Telegram's refusal of an edit that would change nothing: the screen already shows it."""
    return "not modified" in error.message.lower()


def button_handler(
    dispatch: Dispatch,
) -> Callable[[Update, MentorContext], Coroutine[Any, Any, None]]:
    """Wrap a feature's dispatch: malformed data is answered as stale, refusals pop up."""

    async def pressed(update: Update, context: MentorContext) -> None:
        query = update.callback_query
        if query is None:
            return
        parsed = callback_data.decode(query.data)
        if parsed is None or context.actor is None:
            await query.answer(stale_button_text())
            return
        try:
            answer = await dispatch(update, context, parsed.kind, parsed.args)
        except DomainError as error:
            await query.answer(_(error.message).format(**error.params), show_alert=True)
            return
        except BadRequest as error:
            if not not_modified(error):
                raise
            answer = None  # the same button pressed again: done already
        await query.answer(answer)

    return pressed


def register_buttons(app: Application, dispatch: Dispatch, *kinds: str) -> None:
    """Route every button of these kinds to one dispatch function."""
    pressed = button_handler(dispatch)
    for kind in kinds:
        app.add_handler(CallbackQueryHandler(pressed, pattern=callback_data.pattern(kind)))
