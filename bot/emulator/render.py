"""Telegram JSON objects (User, Chat, Message, files) built from the emulator's state."""

from __future__ import annotations

from typing import Any

from bot.emulator.state import EmuChat, EmulatorState, EmuUser, SentMessage, StoredFile


def bot_user_json(state: EmulatorState) -> dict[str, Any]:
    """The bot as a User object, as in Message.from."""
    return {
        "id": state.bot_id,
        "is_bot": True,
        "first_name": state.bot_first_name,
        "username": state.bot_username,
    }


def get_me_json(state: EmulatorState) -> dict[str, Any]:
    """The bot as getMe returns it."""
    return {
        **bot_user_json(state),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def user_json(user: EmuUser) -> dict[str, Any]:
    """A human user as a User object."""
    data: dict[str, Any] = {"id": user.id, "is_bot": False, "first_name": user.first_name}
    if user.last_name:
        data["last_name"] = user.last_name
    if user.username:
        data["username"] = user.username
    if user.language_code:
        data["language_code"] = user.language_code
    return data


def chat_json(chat: EmuChat) -> dict[str, Any]:
    """A Chat object."""
    data: dict[str, Any] = {"id": chat.id, "type": chat.type}
    if chat.user is not None:
        data["first_name"] = chat.user.first_name
        if chat.user.last_name:
            data["last_name"] = chat.user.last_name
        if chat.user.username:
            data["username"] = chat.user.username
    else:
        data["title"] = chat.title or ""
        if chat.username:
            data["username"] = chat.username
    return data


def chat_full_info_json(chat: EmuChat) -> dict[str, Any]:
    """A ChatFullInfo object, as getChat returns it."""
    return {
        **chat_json(chat),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def photo_json(stored: StoredFile) -> list[dict[str, Any]]:
    """The PhotoSize list of a stored photo (one size: the original)."""
    width, height = _image_size(stored.data)
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": width,
            "height": height,
            "file_size": stored.size,
        }
    ]


def document_json(stored: StoredFile) -> dict[str, Any]:
    """A Document object."""
    data: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
    }
    if stored.filename:
        data["file_name"] = stored.filename
    if stored.mime_type:
        data["mime_type"] = stored.mime_type
    return data


def file_json(stored: StoredFile) -> dict[str, Any]:
    """A File object, as getFile returns it."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }


def sent_message_json(
    state: EmulatorState, chat: EmuChat, message: SentMessage, *, with_reply: bool = True
) -> dict[str, Any]:
    """A bot message as a Message object."""
    data: dict[str, Any] = {
        "message_id": message.message_id,
        "from": bot_user_json(state),
        "chat": chat_json(chat),
        "date": message.date,
    }
    if message.edit_date is not None:
        data["edit_date"] = message.edit_date
    if message.forward_origin is not None:
        data["forward_origin"] = message.forward_origin
    if message.text is not None:
        data["text"] = message.text
        if message.entities:
            data["entities"] = message.entities
    if message.photo is not None:
        data["photo"] = photo_json(message.photo)
    if message.document is not None:
        data["document"] = document_json(message.document)
    if message.caption:
        data["caption"] = message.caption
        if message.caption_entities:
            data["caption_entities"] = message.caption_entities
    if message.protect_content:
        data["has_protected_content"] = True
    if with_reply and message.reply_to_message_id is not None:
        replied = message_json(state, chat, message.reply_to_message_id, with_reply=False)
        if replied is not None:
            data["reply_to_message"] = replied
    if message.reply_markup and "inline_keyboard" in message.reply_markup:
        data["reply_markup"] = {"inline_keyboard": message.reply_markup["inline_keyboard"]}
    return data


def message_json(
    state: EmulatorState, chat: EmuChat, message_id: int, *, with_reply: bool = True
) -> dict[str, Any] | None:
    """Any live message of a chat (from a user or from the bot) as a Message object."""
    if message_id in chat.incoming:
        return chat.incoming[message_id]
    sent = state.live_bot_message(chat, message_id)
    if sent is None:
        return None
    return sent_message_json(state, chat, sent, with_reply=with_reply)


def _image_size(data: bytes) -> tuple[int, int]:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 0, 0
