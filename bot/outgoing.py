"""Every request to Telegram passes here (PTB's rate-limiter hook), the last word on what leaves.

Two rules hold whichever handler or job made the request:
- Groups and channels get no data and no keyboards. Private chats have positive ids (the
  user's id); groups and channels negative ones, or an `@name`. To those only a plain
  `sendMessage` without buttons goes (the "I work in private chats only" note), and never
  from the outbox; any other send, edit, copy or forward is refused and logged. The gate in
  `handlers.common.groups` stops such updates before a handler runs: this is the backstop.
- A callback query is answered once: Telegram refuses a second answer, so the ids answered
  are remembered for a while and `answered()` tells the error handler whether one is owed.

Flood waits are handled by `bot.limiter.ReplyRetry`, which this wraps.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot
from telegram.error import BadRequest
from telegram.ext import BaseRateLimiter

from bot.limiter import JSONResult, ReplyRetry, delivering_outbox

logger = logging.getLogger(__name__)

# Callback queries must be answered within seconds; a few thousand ids cover many minutes.
REMEMBER_ANSWERS = 4096
_CONTENT = ("send", "edit", "copy", "forward")


class NotForGroups(BadRequest):
    """A request that would put content or buttons into a group or channel: never sent."""

    def __init__(self, endpoint: str) -> None:
        super().__init__(f"{endpoint} refused: the bot sends nothing but a note to groups")


def is_private_chat_id(chat_id: object) -> bool:
    """Private chats have the user's (positive) id; groups and channels do not."""
    if isinstance(chat_id, str) and chat_id.isdigit():
        chat_id = int(chat_id)
    return isinstance(chat_id, int) and not isinstance(chat_id, bool) and chat_id > 0


def refused(endpoint: str, data: dict[str, Any], *, outbox: bool) -> bool:
    """Whether this request would send content or buttons outside a private chat."""
    if not endpoint.startswith(_CONTENT) or "chat_id" not in data:
        return False
    if is_private_chat_id(data["chat_id"]):
        return False
    a_plain_note = endpoint == "sendMessage" and data.get("reply_markup") is None
    return outbox or not a_plain_note


class Outgoing(BaseRateLimiter[None]):
    """Refuses what groups must not get, remembers answered queries, retries replies on 429."""

    def __init__(self, retry: ReplyRetry | None = None) -> None:
        self.retry = retry or ReplyRetry()
        self._answered: OrderedDict[str, None] = OrderedDict()

    async def initialize(self) -> None:
        await self.retry.initialize()

    async def shutdown(self) -> None:
        await self.retry.shutdown()

    def answered(self, query_id: str) -> bool:
        """Whether an answer to this callback query was already sent (or tried)."""
        return query_id in self._answered

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> JSONResult:
        """Refuse or note the request, then send it through the retrying limiter."""
        if refused(endpoint, data, outbox=delivering_outbox()):
            logger.warning("Refused %s outside a private chat", endpoint)
            raise NotForGroups(endpoint)
        if endpoint == "answerCallbackQuery":
            # Noted before it is sent: a failed answer is not tried again either.
            self._answered[str(data.get("callback_query_id"))] = None
            while len(self._answered) > REMEMBER_ANSWERS:
                self._answered.popitem(last=False)
        return await self.retry.process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


def answered(bot: Bot, query_id: str) -> bool:
    """Whether the bot already answered this callback query (False if it cannot tell)."""
    limiter = getattr(bot, "rate_limiter", None)
    return isinstance(limiter, Outgoing) and limiter.answered(query_id)
