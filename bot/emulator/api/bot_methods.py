"""Bot API methods about the bot itself: identity, updates, webhook, commands, settings."""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from bot.emulator.api.backend import Backend, Described, api_method
from bot.emulator.api.params import Params
from bot.emulator.commands import language_key, scope_key, validate_commands
from bot.emulator.errors import (
    NOT_A_MEMBER,
    QUERY_TOO_OLD,
    WEBHOOK_CONFLICT,
    ApiError,
    bad_request,
)
from bot.emulator.render import bot_user_json, chat_full_info_json, chat_json, get_me_json
from bot.emulator.state import now
from bot.emulator.updates import DEFAULT_UPDATE_TYPES, WebhookConfig

_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_TEXT_LIMITS = {"description": 512, "short_description": 120, "name": 64}


@api_method("getMe")
async def get_me(b: Backend, p: Params) -> Any:
    """getMe."""
    return get_me_json(b.state)


@api_method("logOut")
async def log_out(b: Backend, p: Params) -> Any:
    """logOut: accepted, nothing to do locally."""
    return True


@api_method("close")
async def close(b: Backend, p: Params) -> Any:
    """close: accepted, nothing to do locally."""
    return True


@api_method("getUpdates")
async def get_updates(b: Backend, p: Params) -> Any:
    """getUpdates with long polling; 409 while a webhook is set."""
    if b.webhook.config is not None:
        raise ApiError(409, WEBHOOK_CONFLICT)
    b.updates.set_allowed(p.get_list("allowed_updates"))
    limit = min(max(p.get_int("limit", 100) or 100, 1), 100)
    timeout = max(p.get_int("timeout", 0) or 0, 0)
    return await b.updates.poll(p.get_int("offset"), limit, float(timeout))


@api_method("setWebhook")
async def set_webhook(b: Backend, p: Params) -> Any:
    """setWebhook; only loopback URLs, since the emulator never leaves the machine."""
    url = p.get_str("url") or ""
    if not url:
        return await delete_webhook(b, p)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not _is_loopback(parts.hostname or ""):
        raise bad_request("bad webhook: the emulator only delivers to 127.0.0.1 or localhost")
    secret = p.get_str("secret_token")
    if secret is not None and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    max_connections = p.get_int("max_connections", 40) or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("invalid max_connections specified")
    if p.get_bool("drop_pending_updates"):
        b.updates.drop()
    b.updates.set_allowed(p.get_list("allowed_updates"))
    new = WebhookConfig(url, secret, max_connections, p.get_str("ip_address"))
    old = b.webhook.config
    b.webhook.config = new
    b.updates.wake_all()
    same = old is not None and (old.url, old.secret_token) == (new.url, new.secret_token)
    return Described(True, "Webhook is already set" if same else "Webhook was set")


@api_method("deleteWebhook")
async def delete_webhook(b: Backend, p: Params) -> Any:
    """deleteWebhook, optionally dropping pending updates."""
    if p.get_bool("drop_pending_updates"):
        b.updates.drop()
    existed = b.webhook.config is not None
    b.webhook.config = None
    b.updates.wake_all()
    return Described(True, "Webhook was deleted" if existed else "Webhook is already deleted")


@api_method("getWebhookInfo")
async def get_webhook_info(b: Backend, p: Params) -> Any:
    """getWebhookInfo."""
    config = b.webhook.config
    info: dict[str, Any] = {
        "url": config.url if config else "",
        "has_custom_certificate": False,
        "pending_update_count": len(b.updates.deliverable()),
    }
    if config is not None:
        info["max_connections"] = config.max_connections
        if config.ip_address:
            info["ip_address"] = config.ip_address
        if config.last_error_date is not None:
            info["last_error_date"] = config.last_error_date
            info["last_error_message"] = config.last_error_message
        if b.updates.allowed != DEFAULT_UPDATE_TYPES:
            info["allowed_updates"] = sorted(b.updates.allowed)
    return info


@api_method("setMyCommands")
async def set_my_commands(b: Backend, p: Params) -> Any:
    """setMyCommands for one (scope, language)."""
    commands = validate_commands(p.get_list("commands") or [])
    key = scope_key(b.state, p.get_obj("scope"))
    b.commands.set(key, language_key(p.get_str("language_code")), commands)
    return True


@api_method("getMyCommands")
async def get_my_commands(b: Backend, p: Params) -> Any:
    """getMyCommands: exactly what is stored for the (scope, language)."""
    key = scope_key(b.state, p.get_obj("scope"))
    return b.commands.get(key, language_key(p.get_str("language_code")))


@api_method("deleteMyCommands")
async def delete_my_commands(b: Backend, p: Params) -> Any:
    """deleteMyCommands for one (scope, language)."""
    key = scope_key(b.state, p.get_obj("scope"))
    b.commands.set(key, language_key(p.get_str("language_code")), [])
    return True


@api_method("setChatMenuButton")
async def set_chat_menu_button(b: Backend, p: Params) -> Any:
    """setChatMenuButton for a private chat, or the default one."""
    chat_id = _menu_chat(b, p)
    button = p.get_obj("menu_button") or {"type": "default"}
    kind = button.get("type")
    if kind not in ("commands", "web_app", "default"):
        raise bad_request("unsupported menu button type")
    if kind == "web_app":
        url = str((button.get("web_app") or {}).get("url", ""))
        if not button.get("text") or not url.startswith("https://"):
            raise bad_request("BUTTON_URL_INVALID")
    if kind == "default":
        b.menu_buttons.pop(chat_id, None)
    else:
        b.menu_buttons[chat_id] = button
    return True


@api_method("getChatMenuButton")
async def get_chat_menu_button(b: Backend, p: Params) -> Any:
    """getChatMenuButton: the chat's own button, else the default, else commands."""
    chat_id = _menu_chat(b, p)
    return b.menu_buttons.get(chat_id) or b.menu_buttons.get(None) or {"type": "commands"}


def _menu_chat(b: Backend, p: Params) -> int | None:
    if not p.has("chat_id"):
        return None
    chat = b.state.chat(p.get("chat_id"))
    if chat.type != "private":
        raise bad_request("chat_id must be a private chat")
    return chat.id


@api_method("getChat")
async def get_chat(b: Backend, p: Params) -> Any:
    """getChat."""
    return chat_full_info_json(b.state.chat(p.require("chat_id")))


def _text_setter(kind: str) -> None:
    async def setter(b: Backend, p: Params) -> Any:
        value = (p.get_str(kind) or "").strip()
        if len(value) > _TEXT_LIMITS[kind]:
            raise bad_request(f"bot {kind.replace('_', ' ')} is too long")
        language = language_key(p.get_str("language_code"))
        if value:
            b.bot_texts[(kind, language)] = value
        else:
            b.bot_texts.pop((kind, language), None)
        return True

    async def getter(b: Backend, p: Params) -> Any:
        language = language_key(p.get_str("language_code"))
        texts = b.bot_texts
        value = texts.get((kind, language), texts.get((kind, ""), ""))
        if kind == "name" and not value:
            value = b.state.bot_first_name
        return {kind: value}

    method = "".join(part.title() for part in kind.split("_"))
    api_method(f"setMy{method}")(setter)
    api_method(f"getMy{method}")(getter)


for _kind in _TEXT_LIMITS:
    _text_setter(_kind)


@api_method("answerCallbackQuery")
async def answer_callback_query(b: Backend, p: Params) -> Any:
    """answerCallbackQuery: once per query, like Telegram."""
    query_id = p.get_str("callback_query_id") or ""
    b.state.callback_answer_calls[query_id] += 1
    query = b.state.callback_queries.get(query_id)
    if query is None or query.answered:
        raise ApiError(400, QUERY_TOO_OLD)
    text = p.get_str("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    b.state.callback_answers[query.id] = (text, p.get_bool("show_alert"))
    b.state.changed.notify()
    return True


@api_method("leaveChat")
async def leave_chat(b: Backend, p: Params) -> Any:
    """leaveChat: the bot leaves a group, supergroup or channel (not a private chat)."""
    chat = b.state.chat(p.require("chat_id"))
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    if chat.bot_left:
        raise ApiError(403, NOT_A_MEMBER)
    chat.bot_left = True
    # Telegram tells the bot about its own departure, as about any change of its membership.
    bot = bot_user_json(b.state)
    b.updates.push(
        "my_chat_member",
        {
            "chat": chat_json(chat),
            "from": bot,
            "date": now(),
            "old_chat_member": {"status": "member", "user": bot},
            "new_chat_member": {"status": "left", "user": bot},
        },
    )
    b.state.changed.notify()
    return True


@api_method("sendChatAction")
async def send_chat_action(b: Backend, p: Params) -> Any:
    """sendChatAction."""
    action = p.get_str("action") or ""
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat = b.state.chat_for_sending(p.require("chat_id"))
    b.state.chat_actions.append((chat.id, action))
    return True


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
