"""python-telegram-bot's request layer answered by the emulator in this process, without HTTP.

Conversation tests use it to drive the real Application quickly; end-to-end tests and the
benchmarks use real HTTP instead. Both reach the same `ApiRoutes.call`.
"""

from __future__ import annotations

import json

from telegram.request import BaseRequest, RequestData

from bot.emulator.api.params import Upload, decode_param
from bot.emulator.errors import UNAUTHORIZED, ApiError
from bot.emulator.server import BotApiEmulator


class InProcessRequest(BaseRequest):
    """Hands each Bot API call straight to an emulator running in the same event loop."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self._emulator = emulator

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        """Answer one call as the HTTP server would, status and JSON body."""
        emulator = self._emulator
        prefix, _, method_name = url.rpartition("/")
        if "/file/bot" in url:
            path = url.split(f"/file/bot{emulator.token}/", 1)[-1]
            stored = emulator.state.files_by_path.get(path)
            return (200, stored.data) if stored else (404, b'{"ok":false}')
        if not prefix.endswith(f"/bot{emulator.token}"):
            error = ApiError(401, UNAUTHORIZED)
            return error.code, json.dumps(error.to_json()).encode()
        values: dict[str, object] = {}
        if request_data is not None:
            for name, value in request_data.json_parameters.items():
                values[name] = decode_param(name, value)
            for name, part in (request_data.multipart_data or {}).items():
                filename, data, mime_type = part[0], part[1], part[2] if len(part) > 2 else None
                values[name] = Upload(
                    data if isinstance(data, bytes) else data.read(), filename, mime_type
                )
        status, body = await emulator.routes.call(method_name, values)
        return status, json.dumps(body).encode()
