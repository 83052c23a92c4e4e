"""Run the real bot against the Bot API emulator, in-process or over HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from bot.app import MentorApplication, build_application
from bot.config import Settings
from bot.emulator import BotApiEmulator, ChatTranscript
from bot.emulator.inprocess import InProcessRequest
from bot.polling import InboxPolling
from handlers.common.menu import set_default_menus

TOKEN = "123456:TEST-token-never-real"
BOT_USERNAME = "oakfield_mentor_bot"


def bot_settings(database_url: str, api_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=TOKEN,
        telegram_api_url=api_url,
        telegram_bot_username=BOT_USERNAME,
        database_url=database_url,
    )


@asynccontextmanager
async def running_bot(
    emulator: BotApiEmulator, database_url: str, *, over_http: bool
) -> AsyncIterator[MentorApplication]:
    """The Application polling the emulator until the block ends (database already open)."""
    settings = bot_settings(database_url, emulator.base_url)
    requests = None if over_http else (InProcessRequest(emulator), InProcessRequest(emulator))
    application = build_application(settings, requests)
    async with application:
        await set_default_menus(application.bot)
        polling = InboxPolling(application, long_poll_seconds=1)
        await application.start()
        try:
            await polling.start()
            yield application
        finally:
            await polling.stop()
            await application.stop()


Step = tuple[str, str | Sequence[str]]


async def dialog(chat: ChatTranscript, steps: Sequence[Step]) -> None:
    """Play a conversation: `("/help", "expected text")`; `"[Polski]"` presses a button and
    `"[Polski]!"` presses one that answers with a pop-up only.

    Each expected fragment (or every fragment of a list) must appear in the bot's answer.
    """
    for says, expected in steps:
        if says.startswith("[") and says.endswith("]!"):
            replies = await chat.press(says[1:-2], expect=0)
        elif says.startswith("[") and says.endswith("]"):
            replies = await chat.press(says[1:-1])
        else:
            replies = await chat.send(says)
        answer = "\n".join(r.text or "" for r in replies)
        if chat.last_callback_answer and says.startswith("["):
            answer += "\n" + (chat.last_callback_answer[0] or "")
        for fragment in [expected] if isinstance(expected, str) else expected:
            assert fragment in answer, (
                f"after {says!r} expected {fragment!r}; the bot said:\n{answer}"
            )
