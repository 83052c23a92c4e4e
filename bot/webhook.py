"""Webhook mode: an aiohttp server that hands Telegram's updates to the Application.

Each update is processed before it is answered, so an update cut off by a crash is sent again
by Telegram (and already-processed update ids are skipped, which makes that safe).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from tortoise import connections

from bot.app import MentorApplication
from bot.config import Settings
from bot.i18n import _

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
# What Telegram accepts as a webhook's secret_token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
READY_TIMEOUT_SECONDS = 3.0
# On SIGTERM, requests in flight get this long to finish; Telegram resends any cut off.
SHUTDOWN_TIMEOUT_SECONDS = 20.0

ReadyCheck = Callable[[], Awaitable[bool]]


class WebhookSettingsError(ValueError):
    """WEBHOOK_URL or WEBHOOK_SECRET cannot be used; the message (translated) says why."""


@dataclass(frozen=True)
class WebhookOptions:
    """Webhook mode's checked settings."""

    url: str
    path: str
    secret: str
    listen: str
    port: int
    max_body_bytes: int
    max_connections: int


def webhook_options(settings: Settings) -> WebhookOptions:
    """Check WEBHOOK_URL and WEBHOOK_SECRET; raise WebhookSettingsError if unusable."""
    url = settings.webhook_url or ""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WebhookSettingsError(
            _(
                "WEBHOOK_URL must be the full public address Telegram should call, "
                "such as https://bot.example.org/telegram."
            )
        )
    secret = settings.webhook_token or ""
    if not secret:
        raise WebhookSettingsError(
            _(
                "Webhook mode (WEBHOOK_URL is set) needs WEBHOOK_SECRET too, so that only "
                "Telegram can send updates. Make one with: "
                'python -c "import secrets; print(secrets.token_urlsafe(32))"'
            )
        )
    if not _SECRET.fullmatch(secret):
        raise WebhookSettingsError(
            _(
                "WEBHOOK_SECRET must be 1 to 256 characters, using only letters A–Z and a–z, "
                "digits, _ and -."
            )
        )
    return WebhookOptions(
        url=url,
        path=parts.path or "/",
        secret=secret,
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        max_body_bytes=settings.webhook_max_body_bytes,
        max_connections=settings.webhook_max_connections,
    )


async def database_ready() -> bool:
    """True when the database answers a trivial query within a few seconds."""
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            await connections.get("default").execute_query("SELECT 1")
    except Exception as error:  # whatever the cause, this replica cannot serve
        logger.warning("Database not ready: %s", type(error).__name__)
        return False
    return True


class _Endpoints:
    """The request handlers, bound to one Application."""

    def __init__(self, application: MentorApplication, secret: str, ready: ReadyCheck) -> None:
        self._application = application
        self._secret = secret.encode()
        self._ready = ready

    async def update(self, request: web.Request) -> web.Response:
        """One update from Telegram: check the secret, parse, process, then answer."""
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self._secret):
            logger.warning("Webhook request refused: wrong or missing secret token")
            return web.Response(status=403)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            logger.warning("Webhook request refused: body over the size limit")
            raise
        update = self._parse(body)
        if update is None:
            logger.warning("Webhook request refused: not a Telegram update")
            return web.Response(status=400)
        application = self._application
        try:
            # Through the update processor, so concurrency is the same as with polling.
            await application.update_processor.process_update(
                update, application.process_update(update)
            )
        except Exception as error:  # handler errors never get here; anything else is retried
            logger.error(
                "Update %s failed before it was answered (%s); Telegram will send it again",
                update.update_id,
                type(error).__name__,
            )
            return web.Response(status=500)
        return web.Response()

    def _parse(self, body: bytes) -> Update | None:
        try:
            data = json.loads(body)
        except ValueError:  # not UTF-8 or not JSON
            return None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        try:
            return Update.de_json(data, self._application.bot)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    async def healthz(self, request: web.Request) -> web.Response:
        """Liveness: the process serves requests (the database is not asked)."""
        return web.Response(text="ok")

    async def readyz(self, request: web.Request) -> web.Response:
        """Readiness: the database answers."""
        if await self._ready():
            return web.Response(text="ready")
        return web.Response(status=503, text="database unavailable")


def make_app(
    application: MentorApplication, options: WebhookOptions, ready: ReadyCheck = database_ready
) -> web.Application:
    """The aiohttp app: POST on the webhook path, GET /healthz and /readyz."""
    endpoints = _Endpoints(application, options.secret, ready)
    app = web.Application(client_max_size=options.max_body_bytes)
    app.router.add_post(options.path, endpoints.update)
    app.router.add_get("/healthz", endpoints.healthz)
    app.router.add_get("/readyz", endpoints.readyz)
    return app


class WebhookServer:
    """Serves the webhook until stopped; the Application is started and stopped by the caller."""

    def __init__(
        self,
        application: MentorApplication,
        options: WebhookOptions,
        ready: ReadyCheck = database_ready,
    ) -> None:
        self._app = make_app(application, options, ready)
        self._options = options
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Listen on the configured address; returns the port (useful when it was 0)."""
        runner = web.AppRunner(
            self._app,
            access_log=None,
            handle_signals=False,  # the runner owns SIGTERM and SIGINT
            shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
        )
        await runner.setup()
        self._runner = runner
        await web.TCPSite(runner, self._options.listen, self._options.port).start()
        return int(runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop accepting connections and let the requests in flight finish."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


async def register_webhook(application: MentorApplication, options: WebhookOptions) -> None:
    """Point Telegram at the webhook; every replica does it on start, which is harmless."""
    await application.bot.set_webhook(
        options.url,
        secret_token=options.secret,
        allowed_updates=Update.ALL_TYPES,
        max_connections=options.max_connections,
    )
