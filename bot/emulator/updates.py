"""The bot's update queue: long polling with getUpdates, or pushes to a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.emulator.errors import POLL_CONFLICT, ApiError
from bot.emulator.state import Notifier, now

_LOG = logging.getLogger(__name__)

ALL_UPDATE_TYPES = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
)
DEFAULT_UPDATE_TYPES = frozenset(ALL_UPDATE_TYPES) - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}


class UpdateQueue:
    """Pending updates in order; confirmed by offset, filtered by allowed_updates."""

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.allowed: frozenset[str] = DEFAULT_UPDATE_TYPES
        self.changed = Notifier()
        self.closed = False
        self._next_id = 1
        self._poll_generation = 0

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Enqueue an update of the given type."""
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self.pending.append(update)
        self.changed.notify()
        return update

    def set_allowed(self, allowed_updates: list[str] | None) -> None:
        """Keep the previous setting for None; an empty list means the default types."""
        if allowed_updates is None:
            return
        self.allowed = frozenset(allowed_updates) if allowed_updates else DEFAULT_UPDATE_TYPES

    def confirm(self, offset: int) -> None:
        """Forget updates before offset; a negative offset keeps only the last -offset."""
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]

    def drop(self) -> None:
        """Forget all pending updates (drop_pending_updates)."""
        self.pending.clear()

    def deliverable(self) -> list[dict[str, Any]]:
        """Pending updates after discarding those of types the bot did not ask for."""
        self.pending = [u for u in self.pending if _kind(u) in self.allowed]
        return self.pending

    def wake_all(self) -> None:
        """Wake long polls and the webhook pusher (on shutdown or config changes)."""
        self.changed.notify()

    async def poll(self, offset: int | None, limit: int, wait: float) -> list[dict[str, Any]]:
        """getUpdates: wait up to `wait` seconds for updates; a newer poll ends this one."""
        self._poll_generation += 1
        generation = self._poll_generation
        self.changed.notify()
        if offset is not None:
            self.confirm(offset)
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, POLL_CONFLICT)
            ready = self.deliverable()
            if ready or self.closed:
                return ready[:limit]
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            await self.changed.wait(remaining)


def _kind(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


@dataclass
class WebhookConfig:
    """What setWebhook set, plus delivery errors for getWebhookInfo."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


class WebhookPusher:
    """POSTs pending updates one by one to the webhook, retrying with backoff on failure."""

    def __init__(self, queue: UpdateQueue, timeout: float = 10.0) -> None:
        self.queue = queue
        self.timeout = timeout
        self.config: WebhookConfig | None = None
        self.delivered = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the delivery task (needs a running loop)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="bot-api-emulator-webhook")

    async def stop(self) -> None:
        """Stop delivering and wait for the task to end."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        backoff = 0.05
        async with aiohttp.ClientSession(trust_env=False) as session:
            while True:
                config = self.config
                ready = self.queue.deliverable() if config is not None else []
                if config is None or not ready:
                    await self.queue.changed.wait(1.0)
                    continue
                error = await self._post(session, config, ready[0])
                if error is None:
                    backoff = 0.05
                    self.delivered += 1
                    if self.queue.pending and self.queue.pending[0] is ready[0]:
                        self.queue.pending.pop(0)
                    continue
                config.last_error_date, config.last_error_message = now(), error
                _LOG.debug("webhook delivery failed: %s", error)
                await self.queue.changed.wait(backoff)
                backoff = min(backoff * 2, 2.0)

    async def _post(
        self, session: aiohttp.ClientSession, config: WebhookConfig, update: dict[str, Any]
    ) -> str | None:
        headers = {}
        if config.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = config.secret_token
        try:
            async with session.post(
                config.url,
                json=update,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientConnectionError:
            return "Connection refused"
        except aiohttp.ClientError as exc:
            return f"Webhook error: {type(exc).__name__}"
