"""BotApiEmulator: a strict local Telegram Bot API server and the user side that drives it."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from bot.emulator import userside
from bot.emulator.api.backend import Backend
from bot.emulator.api.routes import ApiRoutes
from bot.emulator.limits import (
    EmulatorStats,
    FaultInjector,
    FaultRule,
    RateLimiter,
    RateLimits,
)
from bot.emulator.state import EmuChat, EmulatorState, EmuUser, SentMessage, now
from bot.emulator.transcript import DEFAULT_TIMEOUT, ChatTranscript
from bot.emulator.updates import UpdateQueue, WebhookPusher


class BotApiEmulator:
    """An aiohttp server on 127.0.0.1 that answers like api.telegram.org for one bot."""

    def __init__(
        self,
        token: str = "123456:ABC-DEF",  # noqa: S107 (a fixed fake token for tests)
        bot_username: str = "mentorbot_test",
        *,
        bot_first_name: str = "Mentorbot",
        rate_limits: RateLimits | None = None,
        webhook_timeout: float = 10.0,
    ) -> None:
        self.token = token
        self.state = EmulatorState(token, bot_username, bot_first_name)
        self.updates = UpdateQueue()
        self.backend = Backend(
            self.state, self.updates, WebhookPusher(self.updates, webhook_timeout)
        )
        self.routes = ApiRoutes(self.backend, token)
        self.faults: FaultInjector = self.routes.faults
        self.stats: EmulatorStats = self.routes.stats
        self.requests: list[tuple[str, dict[str, Any]]] = self.routes.requests
        self.rate_limits = rate_limits
        self._runner: web.AppRunner | None = None
        self.host = "127.0.0.1"
        self.port = 0

    # Lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (port 0 picks a free port)."""
        runner = web.AppRunner(
            self.routes.app(), access_log=None, handle_signals=False, shutdown_timeout=2.0
        )
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        self.host, self.port = host, int(runner.addresses[0][1])
        self.updates.closed = False
        self.backend.webhook.start()

    async def stop(self) -> None:
        """End long polls, stop webhook delivery and close the server."""
        self.updates.closed = True
        self.updates.wake_all()
        await self.backend.webhook.stop()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """http://host:port of the running server."""
        if self._runner is None:
            raise RuntimeError("the emulator is not running: await start() first")
        return f"http://{self.host}:{self.port}"

    # Limits and faults

    @property
    def rate_limits(self) -> RateLimits | None:
        """The enforced flood limits, or None when off."""
        return self.routes.limiter.limits if self.routes.limiter else None

    @rate_limits.setter
    def rate_limits(self, limits: RateLimits | None) -> None:
        self.routes.limiter = RateLimiter(limits) if limits else None

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        chat_id: int | None = None,
        description: str | None = None,
    ) -> None:
        """Answer the next `times` calls of method (in chat_id, if given) with an error."""
        self.faults.add(FaultRule(method, status, retry_after, times, chat_id, description))

    # The user side

    def add_user(
        self,
        user_id: int,
        first_name: str,
        language_code: str | None = "en",
        last_name: str | None = None,
        username: str | None = None,
        *,
        started: bool = False,
    ) -> EmuUser:
        """Add a user and their private chat; started=True as if they had written already."""
        user = EmuUser(user_id, first_name, last_name, username, language_code, started=started)
        return self.state.add_user(user)

    def add_group(
        self,
        chat_id: int,
        title: str,
        members: Iterable[int] = (),
        *,
        admins: Iterable[int] = (),
        username: str | None = None,
    ) -> EmuChat:
        """Add a group (or a supergroup when the id starts with -100) with these members."""
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        admin_ids = set(admins)
        return self.state.add_group(
            EmuChat(
                chat_id, kind, title, username, members=set(members) | admin_ids, admins=admin_ids
            )
        )

    async def send_text(
        self, user_id: int, text: str, chat_id: int | None = None, *, reply_to: int | None = None
    ) -> dict[str, Any]:
        """A user writes to the bot (replying to message `reply_to`, if given); returns the
        Message the bot will receive."""
        return userside.send_text(self.backend, user_id, text, chat_id, reply_to)

    async def send_document_from_user(
        self,
        user_id: int,
        data: bytes,
        filename: str,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat_id: int | None = None,
        *,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """A user sends a document; returns the Message the bot will receive."""
        return userside.send_file(
            self.backend, user_id, "document", data, filename, mime_type, caption, chat_id, reply_to
        )

    async def send_photo_from_user(
        self,
        user_id: int,
        data: bytes,
        caption: str | None = None,
        chat_id: int | None = None,
        *,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """A user sends a photo; returns the Message the bot will receive."""
        return userside.send_file(
            self.backend, user_id, "photo", data, "photo.jpg", None, caption, chat_id, reply_to
        )

    async def press_button(
        self,
        user_id: int,
        chat_id: int,
        message_id: int,
        callback_data: str,
        *,
        forged: bool = False,
        inaccessible: bool = False,
    ) -> str:
        """A user presses a button that must exist (unless `forged`); returns the query id.

        `inaccessible`: the bot gets the message as one it can no longer see (48 hours on).
        """
        return userside.press_button(
            self.backend,
            user_id,
            chat_id,
            message_id,
            callback_data,
            forged=forged,
            inaccessible=inaccessible,
        )

    def add_bot_to_group(self, user_id: int, chat_id: int) -> None:
        """A member adds the bot to a group; the bot gets a my_chat_member update."""
        userside.add_bot_to_group(self.backend, user_id, chat_id)

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends to them now fail with 403."""
        userside.set_blocked(self.backend, user_id, blocked=True)

    def unblock(self, user_id: int) -> None:
        """The user unblocks the bot."""
        userside.set_blocked(self.backend, user_id, blocked=False)

    def chat(
        self, user_id: int, chat_id: int | None = None, *, timeout: float = DEFAULT_TIMEOUT
    ) -> ChatTranscript:
        """A transcript helper for this user's chat (private unless chat_id is given)."""
        return ChatTranscript(self.backend, user_id, chat_id, timeout=timeout)

    def add_bot_message(
        self, chat_id: int, text: str, buttons: Iterable[tuple[str, str]] = ()
    ) -> SentMessage:
        """A message the bot sent before the test began (say, by an older version of it),
        with one callback button per (text, data) pair, each in its own row."""
        chat = self.state.chat(chat_id)
        keyboard = [[{"text": label, "callback_data": data}] for label, data in buttons]
        message = SentMessage(
            message_id=self.state.next_message_id(chat),
            chat_id=chat.id,
            date=now(),
            method="sendMessage",
            text=text,
            reply_markup={"inline_keyboard": keyboard} if keyboard else None,
        )
        return self.state.add_sent(chat, message)

    # Reading what the bot did

    def chat_log(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages in a chat, in order (edits applied, deletions flagged)."""
        chat = self.state.chats.get(chat_id)
        return list(chat.log) if chat else []

    @property
    def callback_answers(self) -> dict[str, tuple[str | None, bool]]:
        """Callback query id -> (text, show_alert) for every answered query."""
        return self.state.callback_answers

    @property
    def callback_answer_calls(self) -> collections.Counter[str]:
        """Callback query id -> answerCallbackQuery calls, refused ones (a second answer) too."""
        return self.state.callback_answer_calls

    def commands_for(
        self,
        chat_id: int | None = None,
        language_code: str | None = None,
        *,
        user_id: int | None = None,
    ) -> list[tuple[str, str]]:
        """The commands a user would see in a chat, resolving scopes like Telegram."""
        chat = self.state.chats.get(chat_id) if chat_id is not None else None
        if language_code is None and chat is not None and chat.user is not None:
            language_code = chat.user.language_code
        if language_code is None and user_id in self.state.users:
            language_code = self.state.users[user_id].language_code
        language = (language_code or "").split("-")[0].lower()
        if chat is not None and chat.user is not None:
            user_id = chat.user.id
        found = self.backend.commands.resolve(chat, language, user_id)
        return [(c["command"], c["description"]) for c in found]

    def menu_button(self, chat_id: int | None = None) -> dict[str, Any]:
        """The menu button a private chat shows."""
        buttons = self.backend.menu_buttons
        return buttons.get(chat_id) or buttons.get(None) or {"type": "commands"}

    def bot_text(self, kind: str, language_code: str = "") -> str | None:
        """A stored bot description, short_description or name for a language."""
        return self.backend.bot_texts.get((kind, language_code))

    @property
    def webhook_url(self) -> str | None:
        """The webhook URL that is set, if any."""
        config = self.backend.webhook.config
        return config.url if config else None

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 (part of the test-facing API)
        what: str = "",
    ) -> None:
        """Wait until predicate() is true, re-checking after every change in the emulator."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
            await self.state.changed.wait(min(remaining, 0.05))
