"""Webhook mode: the real aiohttp server, the real Application and the Bot API emulator."""

from __future__ import annotations

import asyncio
import fcntl
import json
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr
from telegram import Update
from telegram.ext import TypeHandler

from bot import database
from bot.app import MentorApplication, build_application
from bot.config import Settings
from bot.emulator import BotApiEmulator
from bot.runner import run, serve, serve_webhook
from bot.webhook import (
    SECRET_HEADER,
    WebhookOptions,
    WebhookServer,
    WebhookSettingsError,
    register_webhook,
    webhook_options,
)
from tests.clock import child_env
from tests.harness import BOT_USERNAME, TOKEN, dialog

SECRET = "test_Webhook-secret-0123456789"
PATH = "/telegram/updates"
USER = 501
HELP = "Here is what I can do for you:"


def webhook_settings(database_url: str, api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_url": api_url,
        "telegram_bot_username": BOT_USERNAME,
        "database_url": database_url,
        "webhook_url": f"http://127.0.0.1:0{PATH}",  # the port is known once listening
        "webhook_secret": SECRET,
        "webhook_listen": "127.0.0.1",
        "webhook_port": 0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Served:
    """A webhook server in front of an Application, and where it listens."""

    application: MentorApplication
    options: WebhookOptions
    root: str

    @property
    def url(self) -> str:
        return self.root + PATH


@pytest.fixture
async def served(db: str, emulator: BotApiEmulator) -> AsyncIterator[Served]:
    """The started Application behind a webhook server on 127.0.0.1 (not yet registered)."""
    settings = webhook_settings(db, emulator.base_url)
    application = build_application(settings)
    assert application.updater is None
    async with application:
        await application.start()
        server = WebhookServer(application, webhook_options(settings))
        try:
            root = f"http://127.0.0.1:{await server.start()}"
            options = replace(webhook_options(settings), url=root + PATH)
            yield Served(application, options, root)
        finally:
            await server.stop()
            await application.stop()


@pytest.fixture
async def idle(db: str, emulator: BotApiEmulator) -> AsyncIterator[Served]:
    """A webhook server in front of an Application that was never initialised."""
    settings = webhook_settings(db, emulator.base_url)
    application = build_application(settings)
    server = WebhookServer(application, webhook_options(settings))
    root = f"http://127.0.0.1:{await server.start()}"
    try:
        yield Served(application, webhook_options(settings), root)
    finally:
        await server.stop()


async def post(url: str, body: bytes, secret: str | None = SECRET) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with (
        aiohttp.ClientSession(trust_env=False) as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        return response.status, await response.read()


async def get(url: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession(trust_env=False) as session,
        session.get(url) as response,
    ):
        return response.status, await response.text()


async def help_update(emulator: BotApiEmulator) -> bytes:
    """A user's /help, made by the emulator but not delivered: the test posts it itself."""
    emulator.add_user(USER, "Sam", started=True)
    await emulator.send_text(USER, "/help")
    return json.dumps(emulator.updates.pending.pop()).encode()


# A conversation through the webhook


async def test_a_conversation_goes_through_the_webhook(
    served: Served, emulator: BotApiEmulator
) -> None:
    await register_webhook(served.application, served.options)
    info = await served.application.bot.get_webhook_info()
    assert info.url == served.url
    assert info.max_connections == 40
    assert "chat_member" in (info.allowed_updates or ())  # every update type, as in polling
    assert emulator.backend.webhook.config is not None
    assert emulator.backend.webhook.config.secret_token == SECRET

    emulator.add_user(USER, "Sam")
    await dialog(emulator.chat(USER), [("/help", HELP), ("/help", "/language")])
    assert emulator.backend.webhook.delivered == 2
    assert emulator.backend.webhook.config.last_error_message is None


async def test_an_update_is_processed_before_it_is_answered(
    served: Served, emulator: BotApiEmulator
) -> None:
    status, _ = await post(served.url, await help_update(emulator))
    assert status == 200
    # The answer came after the reply was sent, not merely after the update was queued.
    [reply] = emulator.chat_log(USER)
    assert HELP in (reply.text or "")


# Refused requests


async def test_a_wrong_secret_is_refused_and_nothing_is_processed(
    served: Served, emulator: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    update = await help_update(emulator)
    for wrong in ("not-the-secret", SECRET[:-1], SECRET + "x", "", "sécret"):
        status, body = await post(served.url, update, secret=wrong)
        assert (status, body) == (403, b"")
    assert emulator.chat_log(USER) == []
    assert SECRET not in caplog.text
    assert "wrong or missing secret token" in caplog.text
    # The same update with the right secret is processed: nothing was taken before.
    assert (await post(served.url, update))[0] == 200
    assert len(emulator.chat_log(USER)) == 1


async def test_a_missing_secret_is_refused(served: Served, emulator: BotApiEmulator) -> None:
    status, body = await post(served.url, await help_update(emulator), secret=None)
    assert (status, body) == (403, b"")
    assert emulator.chat_log(USER) == []


async def test_an_oversized_body_is_refused(served: Served, emulator: BotApiEmulator) -> None:
    limit = Settings(_env_file=None).webhook_max_body_bytes  # type: ignore[call-arg]
    assert served.options.max_body_bytes == limit == 256 * 1024
    oversized = b'{"update_id": 1, "padding": "' + b"x" * limit + b'"}'
    assert (await post(served.url, oversized))[0] == 413
    # Without the secret the body is never read: 403 whatever its size.
    assert (await post(served.url, oversized, secret=None))[0] == 403
    assert emulator.chat_log(USER) == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"[1, 2, 3]",
        b"null",
        b'{"hello": "world"}',
        b'{"update_id": "seven"}',
        b'{"update_id": 7, "message": {"text": "no chat, no date"}}',
    ],
)
async def test_a_body_that_is_not_an_update_is_refused(served: Served, body: bytes) -> None:
    assert (await post(served.url, body))[0] == 400


async def test_only_post_on_the_webhook_path_reaches_the_bot(served: Served) -> None:
    assert (await get(served.url))[0] == 405
    assert (await post(served.root + "/elsewhere", b"{}"))[0] == 404


async def test_processing_that_raises_answers_500_so_telegram_retries(
    idle: Served, emulator: BotApiEmulator
) -> None:
    # The Application was never initialised, so process_update itself raises.
    assert (await post(idle.root + PATH, await help_update(emulator)))[0] == 500


# Health


async def test_healthz_answers_without_the_database(idle: Served) -> None:
    assert await get(idle.root + "/healthz") == (200, "ok")
    await database.disconnect()
    assert await get(idle.root + "/healthz") == (200, "ok")


async def test_readyz_follows_the_database(idle: Served) -> None:
    assert (await get(idle.root + "/readyz"))[0] == 200
    await database.disconnect()
    assert (await get(idle.root + "/readyz"))[0] == 503


# Starting and stopping


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_runs_the_job_queue_finishes_in_flight_updates_and_keeps_the_webhook(
    db: str, emulator: BotApiEmulator
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}{PATH}"
    settings = webhook_settings(db, emulator.base_url, webhook_url=url, webhook_port=port)
    application = build_application(settings)
    entered, release = asyncio.Event(), asyncio.Event()

    async def hold(update: object, context: object) -> None:
        entered.set()
        await release.wait()

    application.add_handler(TypeHandler(Update, hold), group=-1000)
    emulator.add_user(USER, "Sam")
    chat = emulator.chat(USER)
    stop = asyncio.Event()
    async with application:
        running = asyncio.create_task(serve_webhook(application, webhook_options(settings), stop))
        await emulator.wait_for(lambda: emulator.webhook_url == url, what="setWebhook")
        assert application.running
        assert application.job_queue is not None
        assert application.job_queue.scheduler.running

        answer = asyncio.create_task(chat.send("/help"))
        await entered.wait()
        stop.set()  # as SIGTERM does, while the update is being processed
        await _until_refused(f"http://127.0.0.1:{port}/healthz")
        release.set()
        [reply] = await answer
        await running

    assert HELP in (reply.text or "")
    assert emulator.backend.webhook.delivered == 1  # answered 200, not cut off
    assert not application.running
    assert emulator.webhook_url == url  # the other replicas still serve it


async def _until_refused(url: str) -> None:
    """Wait until the server no longer accepts connections."""
    for _ in range(500):
        try:
            await get(url)
        except aiohttp.ClientConnectionError:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the webhook server kept accepting connections after stop")


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"webhook_secret": None}, "needs WEBHOOK_SECRET"),
        ({"webhook_secret": ""}, "needs WEBHOOK_SECRET"),
        ({"webhook_secret": "has spaces in it"}, "WEBHOOK_SECRET must be"),
        ({"webhook_secret": "x" * 257}, "WEBHOOK_SECRET must be"),
        ({"webhook_secret": "пароль"}, "WEBHOOK_SECRET must be"),
        ({"webhook_url": "bot.example.org/telegram"}, "WEBHOOK_URL must be"),
        ({"webhook_url": "ftp://bot.example.org/telegram"}, "WEBHOOK_URL must be"),
    ],
)
async def test_webhook_mode_refuses_to_start_without_a_usable_secret_or_url(
    tmp_path: Path, overrides: dict[str, Any], named: str
) -> None:
    database_file = tmp_path / "bot.sqlite3"
    settings = webhook_settings(f"sqlite://{database_file}", "http://127.0.0.1:9", **overrides)
    with pytest.raises(WebhookSettingsError, match=named):
        await serve(settings, asyncio.Event())
    assert not database_file.exists()  # refused before touching anything


def test_the_run_command_names_the_missing_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = webhook_settings(
        f"sqlite://{tmp_path / 'bot.sqlite3'}",
        "http://127.0.0.1:9",
        webhook_url="https://bot.example.org/telegram",
        webhook_secret=None,
    )
    assert run(settings) == 2
    assert "WEBHOOK_SECRET" in capsys.readouterr().err


def test_a_valid_secret_is_accepted_and_never_printed() -> None:
    settings = webhook_settings("sqlite://:memory:", "http://127.0.0.1:9")
    assert isinstance(settings.webhook_secret, SecretStr)
    assert SECRET not in repr(settings)
    options = webhook_options(settings)
    assert (options.path, options.secret, options.max_connections) == (PATH, SECRET, 40)


def run_cli(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        env=child_env({"PATH": "/usr/bin:/bin", **env}),
        cwd=cwd,
        timeout=60,
        check=False,
    )


WEBHOOK_ENV = {
    "TELEGRAM_BOT_TOKEN": TOKEN,
    "TELEGRAM_API_URL": "http://127.0.0.1:9",  # never reached: both runs stop before
    "WEBHOOK_URL": "https://bot.example.org/telegram",
    "WEBHOOK_LISTEN": "127.0.0.1",
    "WEBHOOK_PORT": "0",
    "DATABASE_URL": "sqlite://data/bot.sqlite3",
}


def test_mentorbot_run_refuses_webhook_mode_without_a_secret(tmp_path: Path) -> None:
    result = run_cli(WEBHOOK_ENV, tmp_path)
    assert result.returncode == 2
    assert "needs WEBHOOK_SECRET" in result.stderr
    assert not (tmp_path / "data").exists()


def test_a_second_process_on_sqlite_refuses_in_webhook_mode_too(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    with (tmp_path / "data" / "bot.sqlite3.lock").open("a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # the first process
        result = run_cli({**WEBHOOK_ENV, "WEBHOOK_SECRET": SECRET}, tmp_path)
    assert result.returncode == 3
    assert "Another Mentorbot process is already using this SQLite database" in result.stderr
    assert "use PostgreSQL for several" in result.stderr
    assert SECRET not in result.stderr
