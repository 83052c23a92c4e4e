"""Reading Bot API parameters from query strings, forms, multipart uploads and JSON bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.emulator.errors import ApiError, bad_request

# Parameters that are strings even when they look like JSON (e.g. text "42").
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "file_id",
        "description",
        "short_description",
        "name",
        "language_code",
        "action",
        "photo",
        "document",
        "ip_address",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "emoji",
    }
)


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    data: bytes
    filename: str | None
    mime_type: str | None

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {self.mime_type!r}, {len(self.data)} bytes)"


def decode_param(name: str, value: Any) -> Any:
    """A parameter as sent (JSON-encoded for complex values) turned back into its value."""
    if not isinstance(value, str) or name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def read_params(request: web.Request) -> dict[str, Any]:
    """All parameters of a request, JSON-encoded values decoded, uploads as Upload."""
    values: dict[str, Any] = dict(request.query)
    try:
        if request.content_type == "application/json":
            body = await request.read()
            if body.strip():
                loaded = json.loads(body)
                if not isinstance(loaded, dict):
                    raise bad_request("parameters must be a JSON object")
                values.update(loaded)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    values[name] = Upload(value.file.read(), value.filename, value.content_type)
                else:
                    values[name] = value
    except web.HTTPRequestEntityTooLarge as exc:
        raise ApiError(413, "Request Entity Too Large") from exc
    except ValueError as exc:
        raise bad_request("can't parse JSON encoded request body") from exc
    return {name: decode_param(name, value) for name, value in values.items()}


class Params:
    """Typed access to one request's parameters with Telegram's errors."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def get(self, name: str, default: Any = None) -> Any:
        """The raw decoded value."""
        value = self.values.get(name)
        return default if value is None else value

    def has(self, name: str) -> bool:
        """Whether the parameter was given."""
        return self.values.get(name) is not None

    def require(self, name: str) -> Any:
        """A value that must be present, else '<name> is empty'."""
        if not self.has(name) or self.values[name] == "":
            raise bad_request(f"{name} is empty")
        return self.values[name]

    def get_int(self, name: str, default: int | None = None) -> int | None:
        """An integer value."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"invalid {name} specified") from exc

    def get_str(self, name: str, default: str | None = None) -> str | None:
        """A string value (numbers are turned back into strings)."""
        value = self.values.get(name)
        if value is None:
            return default
        return value if isinstance(value, str) else json.dumps(value)

    def get_bool(self, name: str, default: bool = False) -> bool:
        """A boolean value; Telegram accepts true/false and 1/0."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def get_obj(self, name: str) -> dict[str, Any] | None:
        """A JSON object value."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, dict):
            raise bad_request(f"can't parse {name} JSON object")
        return value

    def get_list(self, name: str) -> list[Any] | None:
        """A JSON array value."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, list):
            raise bad_request(f"can't parse {name} JSON array")
        return value
