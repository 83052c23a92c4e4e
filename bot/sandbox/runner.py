"""The sandbox's moving parts: the emulator, a fresh demo database and the real bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from dataclasses import dataclass

from pydantic import SecretStr
from telegram.request import HTTPXRequest

from bot import database
from bot.app import MentorApplication, build_application
from bot.config import Settings
from bot.emulator import BotApiEmulator
from bot.emulator.api.markup import inline_rows
from bot.polling import InboxPolling
from bot.sandbox.demo import (
    BOT_USERNAME,
    PEOPLE,
    SCHOOL_NAME,
    TIMEZONE,
    DemoSchool,
    build_demo_school,
)
from bot.sandbox.transcripts import ChangeFeed
from handlers.common.menu import set_default_menus
from models.common import clock

logger = logging.getLogger(__name__)

FAKE_TOKEN = "123456:SANDBOX-fake-token-not-for-telegram"  # noqa: S105 (the emulator's only)
LOOPBACK = "127.0.0.1"
GREETING = "/start"
GREETING_SECONDS = 10.0
POLL_SECONDS = 10


def sandbox_settings(database_url: str, api_url: str) -> Settings:
    """The bot's settings in the sandbox: nothing from the environment reaches a real service."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=SecretStr(FAKE_TOKEN),
        telegram_api_url=api_url,
        telegram_bot_username=BOT_USERNAME,
        database_url=database_url,
        school_name=SCHOOL_NAME,
        school_timezone=TIMEZONE,
        default_locale="en",
        webhook_url=None,
        webhook_secret=None,
    )


@dataclass
class _World:
    """One generation of the demo: its folder, database, emulator and running bot."""

    folder: tempfile.TemporaryDirectory[str]
    emulator: BotApiEmulator
    application: MentorApplication | None = None
    polling: InboxPolling | None = None


class Sandbox:
    """The emulator, the demo school and the bot, started together and rebuilt on reset."""

    def __init__(self) -> None:
        self.feed = ChangeFeed(person.user_id for person in PEOPLE)
        self.demo: DemoSchool | None = None
        self._world: _World | None = None
        self._lock = asyncio.Lock()

    @property
    def emulator(self) -> BotApiEmulator | None:
        """The running emulator (None while stopped)."""
        return self._world.emulator if self._world else None

    async def start(self) -> None:
        """Build the demo school, start the bot and watch the chats."""
        async with self._lock:
            await self._build()
        self.feed.start(lambda: self.emulator)

    async def stop(self) -> None:
        """Stop everything and delete the demo database."""
        await self.feed.stop()
        async with self._lock:
            await self._teardown()

    async def reset(self) -> None:
        """Throw the demo school away and build a fresh one; subscribers get `reset`."""
        async with self._lock:
            await self._teardown()
            await self._build()
        self.feed.publish("reset", {})

    async def send(self, user_id: int, text: str) -> None:
        """The person types text to the bot."""
        async with self._lock:
            emulator = self._running()
            await emulator.send_text(user_id, text)

    async def press(self, user_id: int, message_id: int, data: str) -> bool:
        """The person presses a button; False when that message has no such button now."""
        async with self._lock:
            emulator = self._running()
            chat = emulator.state.chats.get(user_id)
            message = emulator.state.live_bot_message(chat, message_id) if chat else None
            if message is None:
                return False
            present = {
                b.get("callback_data") for row in inline_rows(message.reply_markup) for b in row
            }
            if data not in present:
                return False
            await emulator.press_button(user_id, user_id, message_id, data)
            return True

    def _running(self) -> BotApiEmulator:
        if self._world is None:
            raise RuntimeError("the sandbox is not running")
        return self._world.emulator

    async def _build(self) -> None:
        folder = tempfile.TemporaryDirectory(prefix="mentorbot-sandbox-")
        world = _World(folder, BotApiEmulator(token=FAKE_TOKEN, bot_username=BOT_USERNAME))
        url = f"sqlite://{folder.name}/demo.sqlite3"
        try:
            await database.migrate(url)
            await database.connect(url)
            demo = await build_demo_school(clock.now())
            for person in PEOPLE:
                world.emulator.add_user(
                    person.user_id, person.first_name, person.language, person.last_name,
                    started=True,
                )  # fmt: skip
            await world.emulator.start(LOOPBACK, 0)
            world.application = _build_bot(sandbox_settings(url, world.emulator.base_url))
            world.polling = await _start_bot(world.application)
            await _greet(world.emulator)
        except BaseException:
            await _stop_world(world)
            raise
        self._world, self.demo = world, demo
        self.feed.rebase(world.emulator)
        logger.info("Sandbox demo school ready: %s slots to book", demo.slots)

    async def _teardown(self) -> None:
        world, self._world, self.demo = self._world, None, None
        if world is not None:
            await _stop_world(world)


def _build_bot(settings: Settings) -> MentorApplication:
    # Proxy variables from the environment are ignored: the emulator is on this machine.
    local = {"trust_env": False}
    requests = HTTPXRequest(httpx_kwargs=local), HTTPXRequest(1, httpx_kwargs=local)
    return build_application(settings, requests)


async def _start_bot(application: MentorApplication) -> InboxPolling:
    """The real bot polling the emulator, with its jobs (the outbox delivery) running."""
    polling = InboxPolling(application, long_poll_seconds=POLL_SECONDS)
    await application.initialize()
    try:
        await set_default_menus(application.bot)
        await application.start()
        await polling.start()
    except BaseException:
        await _stop_bot(application, polling)
        raise
    return polling


async def _stop_bot(application: MentorApplication, polling: InboxPolling | None) -> None:
    if polling is not None:
        await polling.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


async def _greet(emulator: BotApiEmulator) -> None:
    """Every demo person opens their chat with /start, so each phone begins with a welcome."""
    for person in PEOPLE:
        await emulator.send_text(person.user_id, GREETING)

    def answered() -> bool:
        return all(emulator.chat_log(person.user_id) for person in PEOPLE)

    with contextlib.suppress(AssertionError):  # a slow start still leaves a usable sandbox
        await emulator.wait_for(answered, timeout=GREETING_SECONDS, what="the welcomes")


async def _stop_world(world: _World) -> None:
    """Stop the bot, the emulator and the database, then delete the folder."""
    try:
        if world.application is not None:
            await _stop_bot(world.application, world.polling)
        await world.emulator.stop()
    finally:
        await database.disconnect()
        world.folder.cleanup()
