"""Each demo person's chat as the page shows it, and a feed of which chats changed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from bot.emulator import BotApiEmulator, SentMessage
from bot.emulator.api.markup import inline_rows
from bot.emulator.text.entities import to_html

logger = logging.getLogger(__name__)

# Entity types kept in the page's HTML: b, i, u, s, code, pre and a (http and https only).
ALLOWED_ENTITIES = frozenset(
    {"bold", "italic", "underline", "strikethrough", "code", "pre", "text_link"}
)
WATCH_SECONDS = 1.0
QUEUE_LIMIT = 1000

Event = tuple[str, dict[str, Any]]


def is_web_link(url: object) -> bool:
    """True for an absolute http or https URL."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


def safe_html(text: str, entities: Iterable[dict[str, Any]]) -> str:
    """The text as HTML with only the allowed formatting; everything else is escaped."""
    kept: list[dict[str, Any]] = []
    for entity in entities:
        kind = entity.get("type")
        if kind not in ALLOWED_ENTITIES or (
            kind == "text_link" and not is_web_link(entity.get("url"))
        ):
            continue
        kept.append(
            {key: entity[key] for key in ("type", "offset", "length", "url") if key in entity}
        )
    return to_html(text, kept)


def buttons(markup: dict[str, Any] | None) -> list[list[dict[str, str]]]:
    """Inline keyboard rows: callback buttons with their data, link buttons with http(s) URLs."""
    rows = []
    for row in inline_rows(markup):
        shown = []
        for button in row:
            if isinstance(button.get("callback_data"), str):
                shown.append({"text": str(button["text"]), "data": button["callback_data"]})
            elif is_web_link(button.get("url")):
                shown.append({"text": str(button["text"]), "url": button["url"]})
        if shown:
            rows.append(shown)
    return rows


def bot_message(message: SentMessage) -> dict[str, Any]:
    """One message the bot sent, as it stands now."""
    text = message.text or ""
    document = message.document
    return {
        "id": f"b{message.message_id}",
        "from": "bot",
        "text": text,
        "html": safe_html(text, message.entities),
        "buttons": buttons(message.reply_markup),
        "photo": f"/files/{message.photo.file_id}" if message.photo else None,
        "document": {"name": document.filename or "file", "url": f"/files/{document.file_id}"}
        if document
        else None,
        "caption": message.caption or None,
        "edited": message.edited > 0,
        "date": message.date,
    }


def user_message(message: dict[str, Any]) -> dict[str, Any]:
    """One text message the person sent."""
    text = str(message.get("text", ""))
    return {
        "id": f"u{message['message_id']}",
        "from": "user",
        "text": text,
        "html": escape(text, quote=False),
        "buttons": [],
        "photo": None,
        "document": None,
        "caption": None,
        "edited": False,
        "date": int(message.get("date", 0)),
    }


def chat_messages(emulator: BotApiEmulator, user_id: int) -> list[dict[str, Any]]:
    """The person's private chat in order: what they typed and what the bot sent."""
    # The emulator numbers both sides' messages from one counter per chat: ids give the order.
    chat = emulator.state.chats.get(user_id)
    if chat is None:
        return []
    items = [(m.message_id, bot_message(m)) for m in chat.log if not m.deleted]
    items += [(n, user_message(m)) for n, m in chat.incoming.items() if "text" in m]
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


class ChangeFeed:
    """Tells every subscriber which demo chats changed, from the emulator's change notices."""

    def __init__(self, user_ids: Iterable[int]) -> None:
        self._user_ids = frozenset(user_ids)
        self._subscribers: set[asyncio.Queue[Event | None]] = set()
        self._mark = 0
        self._incoming: dict[int, int] = {}
        self._task: asyncio.Task[None] | None = None

    def subscribe(self) -> asyncio.Queue[Event | None]:
        """A queue of (event, data); None means the stream should end."""
        queue: asyncio.Queue[Event | None] = asyncio.Queue(QUEUE_LIMIT)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Event | None]) -> None:
        self._subscribers.discard(queue)

    def publish(self, event: str, data: dict[str, Any]) -> None:
        """Send an event to every subscriber (a subscriber too far behind misses it)."""
        for queue in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait((event, data))

    def rebase(self, emulator: BotApiEmulator) -> None:
        """Start comparing against this emulator as it is now (after a start or a reset)."""
        self._mark = len(emulator.state.activity)
        self._incoming = {u: len(c.incoming) for u, c in emulator.state.chats.items()}

    def check(self, emulator: BotApiEmulator) -> None:
        """Publish a `chat` event for each demo chat that changed since the last check."""
        state = emulator.state
        changed = {a.chat_id for a in state.activity[self._mark :]}
        self._mark = len(state.activity)
        for user_id, chat in state.chats.items():
            if self._incoming.get(user_id) != len(chat.incoming):
                self._incoming[user_id] = len(chat.incoming)
                changed.add(user_id)
        for user_id in sorted(changed & self._user_ids):
            self.publish("chat", {"user_id": user_id})

    def start(self, current: Callable[[], BotApiEmulator | None]) -> None:
        """Watch whichever emulator `current()` returns until stop()."""
        self._task = asyncio.create_task(self._watch(current), name="sandbox-change-feed")

    async def stop(self) -> None:
        """Stop watching and end every subscriber's stream."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for queue in list(self._subscribers):
            while queue.full():
                queue.get_nowait()
            queue.put_nowait(None)

    async def _watch(self, current: Callable[[], BotApiEmulator | None]) -> None:
        while True:
            emulator = current()
            if emulator is None:
                await asyncio.sleep(WATCH_SECONDS / 4)
                continue
            try:
                self.check(emulator)
            except Exception:  # one bad check must not end the live updates
                logger.exception("Checking the sandbox chats for changes failed")
            # Nothing can change between the check and the wait: both run without yielding.
            await emulator.state.changed.wait(WATCH_SECONDS)
