"""Files that follow a notice (a calendar file, a PDF): each one its own outbox row.

A notice queues its file (or picture) with `follow_with_file`; the file goes a second later as kind
`file`, rebuilt then by the builder registered for it, so a failed or repeated file never
resends the notice, and a crash never loses the file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from handlers.delivery.kinds import Reader, classify, notice, stale
from models.common import clock
from models.delivery.kinds import DeliveryNotice
from models.delivery.notify import queue_follow_up
from models.delivery.outbox import NoticeView

KIND = DeliveryNotice.FILE
FileBuilder = Callable[[NoticeView, Reader], Awaitable[tuple[bytes, str]]]
# A picture: (PNG, HTML caption), sent as a photo.
PhotoBuilder = Callable[[NoticeView, Reader], Awaitable[tuple[bytes, str]]]
_BUILDERS: dict[str, FileBuilder] = {}
_PHOTOS: dict[str, PhotoBuilder] = {}


def builds_file(name: str) -> Callable[[FileBuilder], FileBuilder]:
    """Register how the file `name` is made for a reader: (content, file name)."""

    def register(builder: FileBuilder) -> FileBuilder:
        _BUILDERS[name] = builder
        return builder

    return register


def builds_photo(name: str) -> Callable[[PhotoBuilder], PhotoBuilder]:
    """Register how the picture `name` is made for a reader: (PNG, HTML caption)."""

    def register(builder: PhotoBuilder) -> PhotoBuilder:
        _PHOTOS[name] = builder
        return builder

    return register


async def follow_with_file(row: NoticeView, name: str, **params: Any) -> None:
    """Queue the file `name` (built from `params`) to follow the notice `row`."""
    await queue_follow_up(
        row,
        KIND,
        {**params, "file": name},
        now=clock.now(),
        suffix=f"file-{name}",
    )


async def send_file(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """Build the file now, for this reader (a builder raises `stale()` if it no longer holds)."""
    name = str(row.params.get("file"))
    builder, photo = _BUILDERS.get(name), _PHOTOS.get(name)
    try:
        if photo is not None:
            png, caption = await photo(row, reader)
            message = await bot.send_photo(
                row.chat_id, png, caption=caption, parse_mode=ParseMode.HTML, filename="picture.png"
            )
        elif builder is not None:
            data, filename = await builder(row, reader)
            message = await bot.send_document(row.chat_id, document=data, filename=filename)
        else:
            raise stale()
    except TelegramError as error:
        raise classify(error) from error
    return message.message_id


notice(KIND, render=send_file)
