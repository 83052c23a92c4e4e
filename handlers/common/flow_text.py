"""Typed text that answers a step of a flow (a note, a target); otherwise the fallback."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from handlers.common.context import MentorContext
from handlers.common.fallback import other_message
from models.common import clock
from models.common.flows import Flow, current_flow

Continuation = Callable[[Update, MentorContext, Flow, str], Awaitable[None]]
_CONTINUATIONS: dict[str, Continuation] = {}


def on_text(kind: str) -> Callable[[Continuation], Continuation]:
    """Register what typed text means while a flow of `kind` waits for it."""

    def register(continuation: Continuation) -> Continuation:
        _CONTINUATIONS[kind] = continuation
        return continuation

    return register


async def route_text(update: Update, context: MentorContext) -> None:
    """Hand the text to the waiting flow, or answer as the fallback would."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or message.text is None:
        return
    flow = await current_flow(chat.id, now=clock.now())
    continuation = _CONTINUATIONS.get(flow.kind) if flow else None
    if flow is None or continuation is None or context.actor is None or not context.actor.is_linked:
        await other_message(update, context)
        return
    await continuation(update, context, flow, message.text)


def register(app: Application) -> None:
    private_text = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(private_text, route_text))
