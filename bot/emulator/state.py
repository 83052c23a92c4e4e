"""The emulator's world: users, chats, messages the bot sent, files and activity."""

from __future__ import annotations

import asyncio
import collections
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.api.markup import inline_rows, keyboard_rows
from bot.emulator.errors import BLOCKED, CANT_INITIATE, CHAT_NOT_FOUND, NOT_A_MEMBER, ApiError


@dataclass
class EmuUser:
    """A Telegram user on the emulated side."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    started: bool = False
    blocked: bool = False


@dataclass
class StoredFile:
    """A file known to the emulator: uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes = field(repr=False)
    filename: str | None
    mime_type: str | None
    file_path: str

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


@dataclass
class SentMessage:
    """A message the bot sent, as it currently stands (edits applied)."""

    message_id: int
    chat_id: int
    date: int
    method: str
    text: str | None = None
    html: str | None = None
    raw: str | None = None
    parse_mode: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    photo: StoredFile | None = None
    document: StoredFile | None = None
    caption: str | None = None
    caption_html: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_to_message_id: int | None = None
    forward_origin: dict[str, Any] | None = None
    protect_content: bool = False
    edited: int = 0
    edit_date: int | None = None
    deleted: bool = False

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard rows as (text, callback_data or url)."""
        return [
            [(b["text"], b.get("callback_data", b.get("url"))) for b in row]
            for row in inline_rows(self.reply_markup)
        ]

    @property
    def keyboard(self) -> list[list[str]]:
        """Reply keyboard rows as button texts."""
        return keyboard_rows(self.reply_markup)

    @property
    def body(self) -> str:
        """The visible text: message text or caption."""
        return self.text if self.text is not None else (self.caption or "")


@dataclass
class EmuChat:
    """A private chat, group or supergroup."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    user: EmuUser | None = None
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    log: list[SentMessage] = field(default_factory=list)
    sent: dict[int, SentMessage] = field(default_factory=dict)
    incoming: dict[int, dict[str, Any]] = field(default_factory=dict)
    next_message_id: int = 1
    reply_keyboard: dict[str, Any] | None = None
    # A group the bot has left (leaveChat): it can no longer write there.
    bot_left: bool = False


@dataclass(frozen=True)
class Activity:
    """One thing the bot did in a chat: 'sent', 'edited' or 'deleted' a message."""

    seq: int
    chat_id: int
    message_id: int
    kind: str


@dataclass
class CallbackQueryState:
    """A callback query sent to the bot and whether it has been answered."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False


class Notifier:
    """Wakes every waiter whenever something changes."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake all current waiters."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> bool:
        """Wait up to `seconds` for the next change; False if none came."""
        event = self._event
        try:
            async with asyncio.timeout(max(seconds, 0)):
                await event.wait()
        except TimeoutError:
            return False
        return True


class EmulatorState:
    """Everything the emulated Telegram knows, with Telegram's access rules."""

    def __init__(self, token: str, bot_username: str, bot_first_name: str) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.users: dict[int, EmuUser] = {}
        self.chats: dict[int, EmuChat] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryState] = {}
        self.callback_answers: dict[str, tuple[str | None, bool]] = {}
        # Every answerCallbackQuery call per query id, refused ones too (a second answer).
        self.callback_answer_calls: collections.Counter[str] = collections.Counter()
        self.chat_actions: list[tuple[int, str]] = []
        # Activity seq n sits at index n - 1, so activity[mark:] is everything after mark.
        self.activity: list[Activity] = []
        self.changed = Notifier()
        self._seq = itertools.count(1)
        self._file_numbers = itertools.count(1)

    def add_user(self, user: EmuUser) -> EmuUser:
        """Register a user and their private chat (chat id equals user id)."""
        self.users[user.id] = user
        self.chats[user.id] = EmuChat(id=user.id, type="private", user=user, members={user.id})
        return user

    def add_group(self, chat: EmuChat) -> EmuChat:
        """Register a group or supergroup."""
        self.chats[chat.id] = chat
        return chat

    def chat(self, chat_id: Any) -> EmuChat:
        """A known chat by id or @username, else 400 chat not found."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.chats.values():
                if chat.type != "private" and chat.username == chat_id[1:]:
                    return chat
            raise ApiError(400, CHAT_NOT_FOUND)
        try:
            found = self.chats.get(int(chat_id))
        except (TypeError, ValueError):
            found = None
        if found is None:
            raise ApiError(400, CHAT_NOT_FOUND)
        return found

    def chat_for_sending(self, chat_id: Any) -> EmuChat:
        """A chat the bot may write to now, else Telegram's 400/403 answer."""
        chat = self.chat(chat_id)
        if chat.user is not None:
            if chat.user.blocked:
                raise ApiError(403, BLOCKED)
            if not chat.user.started:
                raise ApiError(403, CANT_INITIATE)
        elif chat.bot_left:
            raise ApiError(403, NOT_A_MEMBER)
        return chat

    def next_message_id(self, chat: EmuChat) -> int:
        """Allocate the next message id in a chat."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return message_id

    def add_sent(self, chat: EmuChat, message: SentMessage) -> SentMessage:
        """Record a new bot message in its chat."""
        chat.log.append(message)
        chat.sent[message.message_id] = message
        if message.reply_markup and "keyboard" in message.reply_markup:
            chat.reply_keyboard = message.reply_markup
        elif message.reply_markup and "remove_keyboard" in message.reply_markup:
            chat.reply_keyboard = None
        self.record(chat.id, message.message_id, "sent")
        return message

    def live_bot_message(self, chat: EmuChat, message_id: Any) -> SentMessage | None:
        """A bot message that exists and was not deleted."""
        try:
            message = chat.sent.get(int(message_id))
        except (TypeError, ValueError):
            return None
        return message if message is not None and not message.deleted else None

    def record(self, chat_id: int, message_id: int, kind: str) -> None:
        """Note bot activity in a chat and wake waiters."""
        self.activity.append(Activity(next(self._seq), chat_id, message_id, kind))
        self.changed.notify()

    def last_seq(self) -> int:
        """Sequence number of the latest activity (0 if none)."""
        return self.activity[-1].seq if self.activity else 0

    def store_file(
        self, data: bytes, kind: str, filename: str | None, mime_type: str | None
    ) -> StoredFile:
        """Keep file bytes and give them a file_id and a download path."""
        number = next(self._file_numbers)
        extension = (filename or "").rpartition(".")[2] if "." in (filename or "") else ""
        if kind == "photo":
            extension = extension or "jpg"
        path = f"{kind}s/file_{number}" + (f".{extension}" if extension else "")
        stored = StoredFile(
            file_id=f"{kind[:2].upper()}{secrets.token_urlsafe(24)}",
            file_unique_id=f"U{number}{secrets.token_hex(4)}",
            kind=kind,
            data=data,
            filename=filename,
            mime_type=mime_type,
            file_path=path,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[path] = stored
        return stored


def now() -> int:
    """Telegram timestamps are whole Unix seconds."""
    return int(time.time())
