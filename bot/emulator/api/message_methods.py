"""Bot API methods that send, edit, copy, forward and delete messages."""

from __future__ import annotations

from typing import Any

from bot.emulator.api.backend import Backend, api_method
from bot.emulator.api.markup import validate_reply_markup
from bot.emulator.api.params import Params
from bot.emulator.errors import (
    CAPTION_TOO_LONG,
    DELETE_NOT_FOUND,
    EDIT_NOT_FOUND,
    MESSAGE_TOO_LONG,
    NOT_MODIFIED,
    TEXT_EMPTY,
    ApiError,
    bad_request,
)
from bot.emulator.render import bot_user_json, message_json, sent_message_json
from bot.emulator.state import EmuChat, SentMessage, now
from bot.emulator.text.entities import parse_text, to_html

MAX_TEXT = 4096
MAX_CAPTION = 1024


def formatted(
    p: Params, field: str, entities_field: str
) -> tuple[str, list[dict[str, Any]], str, str]:
    """Parse a text or caption parameter: (plain, entities, html, raw)."""
    raw = p.get_str(field) or ""
    parse_mode = p.get_str("parse_mode")
    plain, entities = parse_text(raw, parse_mode, p.get_list(entities_field))
    is_html = (parse_mode or "").lower() == "html"
    return plain, entities, raw if is_html else to_html(plain, entities), raw


def message_text(p: Params) -> tuple[str, list[dict[str, Any]], str, str]:
    """The text of sendMessage/editMessageText, checked for emptiness and length."""
    plain, entities, html, raw = formatted(p, "text", "entities")
    if not plain:
        raise ApiError(400, TEXT_EMPTY)
    if len(plain) > MAX_TEXT:
        raise ApiError(400, MESSAGE_TOO_LONG)
    return plain, entities, html, raw


def caption(p: Params) -> tuple[str, list[dict[str, Any]], str, str]:
    """A caption, checked for length (it may be empty)."""
    plain, entities, html, raw = formatted(p, "caption", "caption_entities")
    if len(plain) > MAX_CAPTION:
        raise ApiError(400, CAPTION_TOO_LONG)
    return plain, entities, html, raw


def reply_target(b: Backend, chat: EmuChat, p: Params) -> int | None:
    """The message being replied to (reply_parameters or reply_to_message_id)."""
    reply = p.get_obj("reply_parameters") or {}
    message_id = reply.get("message_id", p.get_int("reply_to_message_id"))
    if message_id is None:
        return None
    allow_missing = reply.get(
        "allow_sending_without_reply", p.get_bool("allow_sending_without_reply")
    )
    if message_json(b.state, chat, int(message_id)) is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return int(message_id)


def new_message(
    b: Backend, chat: EmuChat, p: Params, method: str, **content: Any
) -> dict[str, Any]:
    """Store a new bot message with the common send options and return its JSON."""
    markup = validate_reply_markup(p.get("reply_markup"))
    message = SentMessage(
        message_id=0,
        chat_id=chat.id,
        date=now(),
        method=method,
        reply_markup=markup,
        reply_to_message_id=reply_target(b, chat, p),
        protect_content=p.get_bool("protect_content"),
        **content,
    )
    message.message_id = b.state.next_message_id(chat)
    b.state.add_sent(chat, message)
    return sent_message_json(b.state, chat, message)


@api_method("sendMessage")
async def send_message(b: Backend, p: Params) -> Any:
    """sendMessage."""
    plain, entities, html, raw = message_text(p)
    validate_reply_markup(p.get("reply_markup"))
    chat = b.state.chat_for_sending(p.require("chat_id"))
    return new_message(
        b,
        chat,
        p,
        "sendMessage",
        text=plain,
        entities=entities,
        html=html,
        raw=raw,
        parse_mode=p.get_str("parse_mode"),
    )


def editable(b: Backend, p: Params) -> tuple[EmuChat, SentMessage]:
    """The bot message an edit method targets, else Telegram's errors."""
    if p.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = b.state.chat(p.require("chat_id"))
    message_id = p.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = b.state.live_bot_message(chat, message_id)
    if message is None:
        if message_id in chat.incoming:
            raise bad_request("message can't be edited")
        raise ApiError(400, EDIT_NOT_FOUND)
    return chat, message


def _inline(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    return markup if markup and "inline_keyboard" in markup else None


def _finish_edit(
    b: Backend, chat: EmuChat, message: SentMessage, markup: dict[str, Any] | None
) -> dict[str, Any]:
    if markup is not None or _inline(message.reply_markup) is not None:
        message.reply_markup = markup
    message.edited += 1
    message.edit_date = now()
    b.state.record(chat.id, message.message_id, "edited")
    return sent_message_json(b.state, chat, message)


@api_method("editMessageText")
async def edit_message_text(b: Backend, p: Params) -> Any:
    """editMessageText; also drops the inline keyboard unless one is given again."""
    plain, entities, html, raw = message_text(p)
    markup = validate_reply_markup(p.get("reply_markup"), inline_only=True)
    chat, message = editable(b, p)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    current = (message.text, message.entities, _inline(message.reply_markup))
    if current == (plain, entities, markup):
        raise ApiError(400, NOT_MODIFIED)
    message.text, message.entities, message.html, message.raw = plain, entities, html, raw
    message.parse_mode = p.get_str("parse_mode")
    return _finish_edit(b, chat, message, markup)


@api_method("editMessageCaption")
async def edit_message_caption(b: Backend, p: Params) -> Any:
    """editMessageCaption."""
    plain, entities, html, _ = caption(p)
    markup = validate_reply_markup(p.get("reply_markup"), inline_only=True)
    chat, message = editable(b, p)
    if message.photo is None and message.document is None:
        raise bad_request("there is no caption in the message to edit")
    current = (message.caption or "", message.caption_entities, _inline(message.reply_markup))
    if current == (plain, entities, markup):
        raise ApiError(400, NOT_MODIFIED)
    message.caption, message.caption_entities, message.caption_html = plain, entities, html
    return _finish_edit(b, chat, message, markup)


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(b: Backend, p: Params) -> Any:
    """editMessageReplyMarkup."""
    markup = validate_reply_markup(p.get("reply_markup"), inline_only=True)
    chat, message = editable(b, p)
    if _inline(message.reply_markup) == markup:
        raise ApiError(400, NOT_MODIFIED)
    return _finish_edit(b, chat, message, markup)


def _delete(b: Backend, chat: EmuChat, message_id: int) -> bool:
    message = b.state.live_bot_message(chat, message_id)
    if message is not None:
        message.deleted = True
        b.state.record(chat.id, message_id, "deleted")
        return True
    return chat.incoming.pop(message_id, None) is not None


@api_method("deleteMessage")
async def delete_message(b: Backend, p: Params) -> Any:
    """deleteMessage."""
    chat = b.state.chat(p.require("chat_id"))
    message_id = p.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    if not _delete(b, chat, message_id):
        raise ApiError(400, DELETE_NOT_FOUND)
    return True


@api_method("deleteMessages")
async def delete_messages(b: Backend, p: Params) -> Any:
    """deleteMessages: missing messages are skipped, like Telegram."""
    chat = b.state.chat(p.require("chat_id"))
    ids = p.get_list("message_ids") or []
    if not 1 <= len(ids) <= 100:
        raise bad_request("message_ids must be 1-100 identifiers")
    for message_id in ids:
        _delete(b, chat, int(message_id))
    return True


def _source(b: Backend, p: Params, action: str) -> tuple[EmuChat, dict[str, Any]]:
    chat = b.state.chat(p.require("from_chat_id"))
    message_id = p.get_int("message_id")
    source = message_json(b.state, chat, message_id) if message_id is not None else None
    if source is None:
        raise bad_request(f"message to {action} not found")
    return chat, source


def _content(b: Backend, source: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = {}
    if "text" in source:
        entities = source.get("entities", [])
        content.update(text=source["text"], entities=entities)
        content["html"] = to_html(source["text"], entities)
    for kind in ("photo", "document"):
        if kind in source:
            item = source[kind][-1] if kind == "photo" else source[kind]
            content[kind] = b.state.files.get(item["file_id"])
    if "caption" in source:
        entities = source.get("caption_entities", [])
        content.update(caption=source["caption"], caption_entities=entities)
        content["caption_html"] = to_html(source["caption"], entities)
    if not content:
        raise bad_request("the message can't be copied")
    return content


@api_method("copyMessage")
async def copy_message(b: Backend, p: Params) -> Any:
    """copyMessage: a new message with the same content; returns its MessageId."""
    _, source = _source(b, p, "copy")
    content = _content(b, source)
    if p.has("caption") and "text" not in content:
        plain, entities, html, _ = caption(p)
        content.update(caption=plain, caption_entities=entities, caption_html=html)
    chat = b.state.chat_for_sending(p.require("chat_id"))
    sent = new_message(b, chat, p, "copyMessage", **content)
    return {"message_id": sent["message_id"]}


@api_method("forwardMessage")
async def forward_message(b: Backend, p: Params) -> Any:
    """forwardMessage: the copy carries a forward_origin naming the original sender."""
    _, source = _source(b, p, "forward")
    content = _content(b, source)
    sender = source.get("from") or bot_user_json(b.state)
    origin = {"type": "user", "sender_user": sender, "date": source["date"]}
    chat = b.state.chat_for_sending(p.require("chat_id"))
    return new_message(b, chat, p, "forwardMessage", forward_origin=origin, **content)
