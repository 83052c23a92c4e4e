"""A chat seen from the user's side: send, press, and get the bot's replies back."""

from __future__ import annotations

import asyncio

from bot.emulator import userside
from bot.emulator.api.backend import Backend
from bot.emulator.api.markup import inline_rows
from bot.emulator.state import EmuChat, SentMessage

DEFAULT_TIMEOUT = 5.0
QUIET_PERIOD = 0.03


class ChatTranscript:
    """One user's conversation with the bot in one chat."""

    def __init__(
        self,
        backend: Backend,
        user_id: int,
        chat_id: int | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        quiet: float = QUIET_PERIOD,
    ) -> None:
        self._b = backend
        self.user_id = user_id
        self.chat_id = user_id if chat_id is None else chat_id
        self.timeout = timeout
        self.quiet = quiet
        self.last_callback_answer: tuple[str | None, bool] | None = None
        userside.user_and_chat(backend, user_id, chat_id)

    @property
    def _chat(self) -> EmuChat:
        return self._b.state.chats[self.chat_id]

    @property
    def messages(self) -> list[SentMessage]:
        """Every bot message in this chat, in order (deleted ones flagged)."""
        return list(self._chat.log)

    @property
    def last(self) -> SentMessage | None:
        """The newest bot message that was not deleted."""
        return next((m for m in reversed(self._chat.log) if not m.deleted), None)

    async def send(
        self,
        text: str,
        *,
        expect: int = 1,
        timeout: float | None = None,  # noqa: ASYNC109 (part of the test-facing API)
        reply_to: int | None = None,
    ) -> list[SentMessage]:
        """Send text (a reply to message `reply_to`, if given), wait for at least `expect` new
        or edited bot messages, return them."""
        mark = self._b.state.last_seq()
        userside.send_text(self._b, self.user_id, text, self.chat_id, reply_to)
        return await self._replies(mark, expect, timeout, f"sending {text!r}")

    async def send_file(
        self,
        kind: str,
        data: bytes,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        caption: str | None = None,
        reply_to: int | None = None,
        expect: int = 1,
        timeout: float | None = None,  # noqa: ASYNC109 (part of the test-facing API)
    ) -> list[SentMessage]:
        """Send a `photo` or `document` like `send`, and return the bot's replies."""
        mark = self._b.state.last_seq()
        if kind == "photo":
            filename, mime_type = "photo.jpg", None
        userside.send_file(
            self._b, self.user_id, kind, data, filename, mime_type, caption, self.chat_id, reply_to
        )
        return await self._replies(mark, expect, timeout, f"sending a {kind}")

    async def press(
        self,
        button_text: str,
        *,
        expect: int = 1,
        timeout: float | None = None,  # noqa: ASYNC109 (part of the test-facing API)
    ) -> list[SentMessage]:
        """Press the inline button with this text on the newest bot message that has it."""
        for message in reversed(self._chat.log):
            if message.deleted:
                continue
            for row in inline_rows(message.reply_markup):
                for button in row:
                    if button["text"] != button_text:
                        continue
                    if "callback_data" not in button:
                        raise AssertionError(f"button {button_text!r} has no callback_data")
                    return await self.press_data(
                        button["callback_data"], message.message_id, expect=expect, timeout=timeout
                    )
        raise AssertionError(
            f"no button {button_text!r} in chat {self.chat_id}.\n{self.describe()}"
        )

    async def press_data(
        self,
        callback_data: str,
        message_id: int | None = None,
        *,
        expect: int = 1,
        timeout: float | None = None,  # noqa: ASYNC109 (part of the test-facing API)
    ) -> list[SentMessage]:
        """Press the button with this callback_data (on the newest message having it)."""
        if message_id is None:
            message_id = next(
                (
                    m.message_id
                    for m in reversed(self._chat.log)
                    if not m.deleted and any(d == callback_data for r in m.buttons for _, d in r)
                ),
                None,
            )
            if message_id is None:
                raise AssertionError(
                    f"no button with callback_data {callback_data!r} in chat {self.chat_id}.\n"
                    f"{self.describe()}"
                )
        mark = self._b.state.last_seq()
        query_id = userside.press_button(
            self._b, self.user_id, self.chat_id, message_id, callback_data
        )
        self.last_callback_answer = None
        replies = await self._replies(
            mark, expect, timeout, f"pressing {callback_data!r}", query_id=query_id
        )
        self.last_callback_answer = self._b.state.callback_answers.get(query_id)
        return replies

    def _touched(self, mark: int) -> list[int]:
        seen: dict[int, None] = {}
        for activity in self._b.state.activity[mark:]:
            if activity.chat_id == self.chat_id and activity.kind != "deleted":
                seen.setdefault(activity.message_id, None)
        return list(seen)

    def _chat_seq(self, mark: int) -> int:
        events = [a.seq for a in self._b.state.activity[mark:] if a.chat_id == self.chat_id]
        return events[-1] if events else mark

    async def _replies(
        self, mark: int, expect: int, within: float | None, what: str, query_id: str | None = None
    ) -> list[SentMessage]:
        state = self._b.state
        limit = self.timeout if within is None else within
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit

        def ready() -> bool:
            answered = query_id is None or query_id in state.callback_answers
            return answered and len(self._touched(mark)) >= expect

        while not ready():
            remaining = deadline - loop.time()
            if remaining <= 0:
                waited = f"{expect} bot message(s)"
                if query_id is not None and query_id not in state.callback_answers:
                    waited += " and an answerCallbackQuery"
                raise AssertionError(
                    f"timed out after {limit}s waiting for {waited} in chat {self.chat_id} "
                    f"after {what}; got {len(self._touched(mark))}.\n{self.describe()}"
                )
            await state.changed.wait(remaining)
        while loop.time() < deadline:
            before = self._chat_seq(mark)
            await asyncio.sleep(self.quiet)
            if self._chat_seq(mark) == before:
                break
        return [self._chat.sent[message_id] for message_id in self._touched(mark)]

    def describe(self, last: int = 10) -> str:
        """A short listing of the newest bot messages, for assertion messages."""
        lines = [f"chat {self.chat_id} holds {len(self._chat.log)} bot message(s):"]
        for message in self._chat.log[-last:]:
            flags = " [deleted]" if message.deleted else ""
            flags += f" [edited x{message.edited}]" if message.edited else ""
            body = message.body if len(message.body) <= 80 else message.body[:77] + "..."
            lines.append(f"  #{message.message_id}{flags} {body!r} buttons={message.buttons}")
        return "\n".join(lines)
