"""What users do: write to the bot, send files, press buttons, block it."""

from __future__ import annotations

import secrets
from typing import Any

from bot.emulator.api.backend import Backend
from bot.emulator.render import (
    bot_user_json,
    chat_json,
    document_json,
    message_json,
    photo_json,
    sent_message_json,
    user_json,
)
from bot.emulator.state import CallbackQueryState, EmuChat, EmuUser, now
from bot.emulator.text.entities import command_entities, mention_entities


def user_and_chat(b: Backend, user_id: int, chat_id: int | None) -> tuple[EmuUser, EmuChat]:
    """The acting user and the chat they act in (their private chat by default)."""
    user = b.state.users.get(user_id)
    if user is None:
        raise AssertionError(f"unknown user {user_id}: call add_user() first")
    chat = b.state.chats.get(user_id if chat_id is None else chat_id)
    if chat is None:
        raise AssertionError(f"unknown chat {chat_id}: call add_group() first")
    if user_id not in chat.members:
        raise AssertionError(f"user {user_id} is not a member of chat {chat.id}")
    return user, chat


def _incoming(
    b: Backend,
    user: EmuUser,
    chat: EmuChat,
    content: dict[str, Any],
    reply_to: int | None = None,
) -> dict[str, Any]:
    if reply_to is not None:
        # Telegram includes the replied-to message, without its own reply, as reply_to_message.
        replied = message_json(b.state, chat, reply_to, with_reply=False)
        if replied is None:
            raise AssertionError(f"no message {reply_to} in chat {chat.id} to reply to")
        content = {**content, "reply_to_message": replied}
    if chat.type == "private":
        if user.blocked:
            set_blocked(b, user.id, blocked=False)
        user.started = True
    keyboard = chat.reply_keyboard
    if keyboard and keyboard.get("one_time_keyboard"):
        chat.reply_keyboard = None
    message = {
        "message_id": b.state.next_message_id(chat),
        "from": user_json(user),
        "chat": chat_json(chat),
        "date": now(),
        **content,
    }
    chat.incoming[message["message_id"]] = message
    b.updates.push("message", message)
    b.state.changed.notify()
    return message


def send_text(
    b: Backend, user_id: int, text: str, chat_id: int | None = None, reply_to: int | None = None
) -> dict[str, Any]:
    """A user writes text (as a reply to message `reply_to`, if given); commands and
    @usernames get bot_command and mention entities like Telegram adds them."""
    user, chat = user_and_chat(b, user_id, chat_id)
    content: dict[str, Any] = {"text": text}
    entities = sorted(command_entities(text) + mention_entities(text), key=lambda e: e["offset"])
    if entities:
        content["entities"] = entities
    return _incoming(b, user, chat, content, reply_to)


def send_file(
    b: Backend,
    user_id: int,
    kind: str,
    data: bytes,
    filename: str | None,
    mime_type: str | None,
    caption: str | None,
    chat_id: int | None,
    reply_to: int | None = None,
) -> dict[str, Any]:
    """A user sends a photo or a document (as a reply to message `reply_to`, if given)."""
    user, chat = user_and_chat(b, user_id, chat_id)
    stored = b.state.store_file(data, kind, filename, mime_type if kind != "photo" else None)
    content: dict[str, Any] = {
        kind: photo_json(stored) if kind == "photo" else document_json(stored)
    }
    if caption:
        content["caption"] = caption
    return _incoming(b, user, chat, content, reply_to)


def press_button(
    b: Backend,
    user_id: int,
    chat_id: int,
    message_id: int,
    callback_data: str,
    *,
    forged: bool = False,
    inaccessible: bool = False,
) -> str:
    """A user presses an inline button; it must exist on that bot message right now.

    `forged` sends the data whatever the message shows, as a modified client can;
    `inaccessible` sends the message as Telegram does once the bot can no longer see it
    (older than 48 hours): only its chat and id, dated 0.
    """
    user, chat = user_and_chat(b, user_id, chat_id)
    message = b.state.live_bot_message(chat, message_id)
    if message is None:
        raise AssertionError(f"no live bot message {message_id} in chat {chat.id}")
    present = [data for row in message.buttons for _, data in row]
    if callback_data not in present and not forged:
        raise AssertionError(
            f"message {message_id} has no button with callback_data {callback_data!r}; "
            f"its buttons are {message.buttons!r}"
        )
    query_id = str(secrets.randbits(63))
    b.state.callback_queries[query_id] = CallbackQueryState(
        query_id, user.id, chat.id, message_id, callback_data
    )
    b.updates.push(
        "callback_query",
        {
            "id": query_id,
            "from": user_json(user),
            "message": (
                {"chat": chat_json(chat), "message_id": message_id, "date": 0}
                if inaccessible
                else sent_message_json(b.state, chat, message)
            ),
            "chat_instance": str(abs(hash((b.state.bot_id, chat.id)))),
            "data": callback_data,
        },
    )
    b.state.changed.notify()
    return query_id


def set_blocked(b: Backend, user_id: int, *, blocked: bool) -> None:
    """A user blocks (or unblocks) the bot; the bot gets a my_chat_member update."""
    user, chat = user_and_chat(b, user_id, None)
    if user.blocked == blocked:
        return
    user.blocked = blocked
    bot = bot_user_json(b.state)
    kicked = {"status": "kicked", "user": bot, "until_date": 0}
    member = {"status": "member", "user": bot}
    b.updates.push(
        "my_chat_member",
        {
            "chat": chat_json(chat),
            "from": user_json(user),
            "date": now(),
            "old_chat_member": member if blocked else kicked,
            "new_chat_member": kicked if blocked else member,
        },
    )
    b.state.changed.notify()


def add_bot_to_group(b: Backend, user_id: int, chat_id: int) -> None:
    """A member adds the bot to a group or supergroup; the bot gets a my_chat_member update."""
    user, chat = user_and_chat(b, user_id, chat_id)
    if chat.type == "private":
        raise AssertionError("the bot is added to groups, not to private chats")
    chat.bot_left = False
    bot = bot_user_json(b.state)
    b.updates.push(
        "my_chat_member",
        {
            "chat": chat_json(chat),
            "from": user_json(user),
            "date": now(),
            "old_chat_member": {"status": "left", "user": bot},
            "new_chat_member": {"status": "member", "user": bot},
        },
    )
    b.state.changed.notify()
