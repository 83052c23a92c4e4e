"""Bot API methods for photos and documents, and getFile."""

from __future__ import annotations

from typing import Any

from bot.emulator.api.backend import Backend, api_method
from bot.emulator.api.message_methods import caption, new_message
from bot.emulator.api.params import Params, Upload
from bot.emulator.errors import bad_request
from bot.emulator.render import file_json
from bot.emulator.state import StoredFile


def input_file(b: Backend, p: Params, kind: str) -> StoredFile:
    """The file of a send method: an upload, attach://name, or an earlier file_id."""
    value = p.get(kind)
    if isinstance(value, str) and value.startswith("attach://"):
        value = p.get(value.removeprefix("attach://"))
    if value is None or value == "":
        raise bad_request(f"there is no {kind} in the request")
    if isinstance(value, Upload):
        if not value.data:
            raise bad_request("file must be non-empty")
        mime_type = None if kind == "photo" else value.mime_type
        return b.state.store_file(value.data, kind, value.filename, mime_type)
    if not isinstance(value, str):
        raise bad_request("wrong file identifier/HTTP URL specified")
    if value.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    stored = b.state.files.get(value)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if stored.kind != kind:
        raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
    return stored


async def _send_file(b: Backend, p: Params, kind: str, method: str) -> Any:
    plain, entities, html, _ = caption(p)
    chat = b.state.chat_for_sending(p.require("chat_id"))
    stored = input_file(b, p, kind)
    return new_message(
        b,
        chat,
        p,
        method,
        caption=plain or None,
        caption_entities=entities,
        caption_html=html if plain else None,
        **{kind: stored},
    )


@api_method("sendPhoto")
async def send_photo(b: Backend, p: Params) -> Any:
    """sendPhoto."""
    return await _send_file(b, p, "photo", "sendPhoto")


@api_method("sendDocument")
async def send_document(b: Backend, p: Params) -> Any:
    """sendDocument."""
    return await _send_file(b, p, "document", "sendDocument")


@api_method("getFile")
async def get_file(b: Backend, p: Params) -> Any:
    """getFile: the path to download the file from /file/bot<token>/<path>."""
    stored = b.state.files.get(p.get_str("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    return file_json(stored)
