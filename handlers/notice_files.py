"""Files that follow a notice (a calendar file, a PDF): each one its own outbox row.

A notice queues its file with `follow_with_file`; the file goes a second later as kind
`file`, rebuilt then by the builder registered for it, so a failed or repeated file never
resends the notice, and a crash never loses the file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from handlers.notice_kinds import Reader, classify, renders, stale
from models.notify import queue_follow_up
from models.outbox import Notification

KIND = "file"
FileBuilder = Callable[[Notification, Reader], Awaitable[tuple[bytes, str]]]
_BUILDERS: dict[str, FileBuilder] = {}


def builds_file(name: str) -> Callable[[FileBuilder], FileBuilder]:
    """Register how the file `name` is made for a reader: (content, file name)."""

    def register(builder: FileBuilder) -> FileBuilder:
        _BUILDERS[name] = builder
        return builder

    return register


async def follow_with_file(row: Notification, name: str, **params: Any) -> None:
    """Queue the file `name` (built from `params`) to follow the notice `row`."""
    await queue_follow_up(
        row,
        KIND,
        {**params, "file": name},
        now=datetime.now(UTC),
        suffix=f"file-{name}",
    )


@renders(KIND)
async def send_file(bot: Bot, row: Notification, reader: Reader) -> int:
    """Build the file now, for this reader (a builder raises `stale()` if it no longer holds)."""
    builder = _BUILDERS.get(str(row.params.get("file")))
    if builder is None:
        raise stale()
    data, filename = await builder(row, reader)
    try:
        message = await bot.send_document(row.chat_id, document=data, filename=filename)
    except TelegramError as error:
        raise classify(error) from error
    return message.message_id
