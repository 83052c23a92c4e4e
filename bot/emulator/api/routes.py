"""The HTTP side: Bot API routes, file downloads, fault injection and flood limits."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

# The *_methods modules register their Bot API methods when imported.
from bot.emulator.api import bot_methods, file_methods, message_methods  # noqa: F401
from bot.emulator.api.backend import Backend, Described, find_method
from bot.emulator.api.params import Params, read_params
from bot.emulator.errors import METHOD_NOT_FOUND, UNAUTHORIZED, ApiError, too_many_requests
from bot.emulator.limits import EmulatorStats, FaultInjector, RateLimiter

_LOG = logging.getLogger(__name__)
MAX_UPLOAD = 50 * 1024 * 1024


class ApiRoutes:
    """Answers /bot<token>/<method> and /file/bot<token>/<path> for one bot."""

    def __init__(self, backend: Backend, token: str) -> None:
        self.backend = backend
        self.token = token
        self.faults = FaultInjector()
        self.stats = EmulatorStats()
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.limiter: RateLimiter | None = None

    def app(self) -> web.Application:
        """A fresh aiohttp application serving these routes."""
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self.handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self.handle_file)
        return app

    async def handle_api(self, request: web.Request) -> web.Response:
        """One Bot API call over HTTP."""
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, UNAUTHORIZED))
        if find_method(request.match_info["method"]) is None:
            return _error(ApiError(404, METHOD_NOT_FOUND))
        try:
            values = await read_params(request)
        except ApiError as error:
            return _error(error)
        status, body = await self.call(request.match_info["method"], values)
        return web.json_response(body, status=status)

    async def call(self, method: str, values: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """One Bot API call with decoded parameters: faults, limits, then the method handler.

        Shared by the HTTP route and the in-process transport, so both answer alike.
        """
        found = find_method(method)
        if found is None:
            error = ApiError(404, METHOD_NOT_FOUND)
            return error.code, error.to_json()
        name, handler = found
        chat_id = _int_or_none(values.get("chat_id"))
        try:
            self.requests.append((name, values))
            self.stats.requests[name] += 1
            fault = self.faults.take(name, chat_id)
            if fault is not None:
                raise fault
            retry_after = self.limiter.check(name, chat_id) if self.limiter else None
            if retry_after is not None:
                raise too_many_requests(retry_after)
            result = await handler(self.backend, Params(values))
        except ApiError as error:
            self.stats.count_error(error, chat_id)
            _LOG.debug("%s answered %s", name, error.code)
            return error.code, error.to_json()
        finally:
            self.backend.state.changed.notify()
        if isinstance(result, Described):
            return 200, {"ok": True, "result": result.result, "description": result.description}
        return 200, {"ok": True, "result": result}

    async def handle_file(self, request: web.Request) -> web.Response:
        """A file download, as from api.telegram.org/file/bot<token>/<file_path>."""
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, UNAUTHORIZED))
        stored = self.backend.state.files_by_path.get(request.match_info["path"])
        if stored is None:
            return _error(ApiError(404, "Not Found"))
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )


def _error(error: ApiError) -> web.Response:
    return web.json_response(error.to_json(), status=error.code)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
