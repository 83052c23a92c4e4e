"""Short, versioned callback data (`v1:<kind>:<args>`), validated on the way in.

It only says which button was pressed; who may do what is decided in `models/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "v1"
MAX_BYTES = 64
# Matched whole (fullmatch): `$` would also let a part end in a newline.
_PART = re.compile(r"[A-Za-z0-9_-]{1,24}")


@dataclass(frozen=True)
class Callback:
    kind: str
    args: tuple[str, ...]


def encode(kind: str, *args: str | int) -> str:
    """Callback data for a button; raises ValueError rather than emit something invalid."""
    parts = [kind, *(str(a) for a in args)]
    if not all(_PART.fullmatch(p) for p in parts):
        raise ValueError("callback parts must be short and URL-safe")
    data = ":".join([VERSION, *parts])
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise ValueError("callback data longer than Telegram allows")
    return data


def decode(data: str | None) -> Callback | None:
    """The parsed callback, or None for anything stale, foreign or malformed."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    version, _, rest = data.partition(":")
    if version != VERSION or not rest:
        return None
    parts = rest.split(":")
    if not all(_PART.fullmatch(p) for p in parts):
        return None
    return Callback(parts[0], tuple(parts[1:]))


def pattern(kind: str) -> re.Pattern[str]:
    """A CallbackQueryHandler pattern for one kind of button."""
    return re.compile(rf"^{VERSION}:{re.escape(kind)}(:|$)")


# The largest ids a button may carry: primary keys are 32-bit serials, except the outbox's
# (`Notification.id`, a 64-bit bigserial).
SERIAL_ID = 2**31
BIG_SERIAL_ID = 2**63


def id_arg(data: str | None, *, below: int = SERIAL_ID) -> int | None:
    """The one id a button carries (`v1:<kind>:<id>`), or None if malformed or out of range."""
    parsed = decode(data)
    return one_id(parsed.args, below=below) if parsed else None


def one_id(args: tuple[str, ...], *, below: int = SERIAL_ID) -> int | None:
    """The id in a decoded button's arguments when it carries exactly one, in range."""
    arg = args[0] if len(args) == 1 else ""
    # ASCII only: `²` is a digit to isdigit() but not a number to int().
    return int(arg) if arg.isascii() and arg.isdigit() and 0 < int(arg) < below else None
