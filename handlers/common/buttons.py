"""The one way a feature's inline buttons are handled: decode, dispatch, answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.i18n import _
from handlers.common import callback_data
from handlers.common.context import MentorContext
from models.common.errors import DomainError

# (update, context, kind, args) -> the short answer shown to the presser, or None
Dispatch = Callable[[Update, MentorContext, str, tuple[str, ...]], Awaitable[str | None]]


def button_handler(
    dispatch: Dispatch,
) -> Callable[[Update, MentorContext], Coroutine[Any, Any, None]]:
    """Wrap a feature's dispatch: malformed data is ignored, domain refusals pop up translated."""

    async def pressed(update: Update, context: MentorContext) -> None:
        query = update.callback_query
        parsed = callback_data.decode(query.data if query else None)
        if query is None or parsed is None or context.actor is None:
            return
        try:
            answer = await dispatch(update, context, parsed.kind, parsed.args)
        except DomainError as error:
            await query.answer(_(error.message).format(**error.params), show_alert=True)
            return
        await query.answer(answer)

    return pressed


def register_buttons(app: Application, dispatch: Dispatch, *kinds: str) -> None:
    """Route every button of these kinds to one dispatch function."""
    pressed = button_handler(dispatch)
    for kind in kinds:
        app.add_handler(CallbackQueryHandler(pressed, pattern=callback_data.pattern(kind)))
