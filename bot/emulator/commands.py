"""Bot commands per (scope, language) and Telegram's order for resolving what a chat sees."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.state import EmuChat, EmulatorState

ScopeKey = tuple[Any, ...]
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


def scope_key(state: EmulatorState, scope: dict[str, Any] | None) -> ScopeKey:
    """Validate a BotCommandScope object and turn it into a hashable key."""
    if not scope:
        return ("default",)
    kind = scope.get("type")
    if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
        return (kind,)
    if kind not in ("chat", "chat_administrators", "chat_member"):
        raise bad_request("wrong parameter scope type specified")
    chat = state.chat(scope.get("chat_id"))
    if kind != "chat" and chat.type == "private":
        raise bad_request("can't use specified scope for private chats")
    if kind == "chat_member":
        user_id = scope.get("user_id")
        if not isinstance(user_id, int) or user_id not in chat.members:
            raise bad_request("user not found")
        return (kind, chat.id, user_id)
    return (kind, chat.id)


def language_key(language_code: str | None) -> str:
    """Validate a language_code parameter ('' for all languages)."""
    code = language_code or ""
    if code and not _LANGUAGE.match(code):
        raise bad_request("invalid language code specified")
    return code


def validate_commands(commands: list[Any]) -> list[dict[str, str]]:
    """Check a BotCommand list like Telegram does."""
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    checked = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand")
        name = str(command.get("command", "")).removeprefix("/")
        description = str(command.get("description", "")).strip()
        if not _COMMAND.match(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("command description must be non-empty")
        checked.append({"command": name, "description": description})
    return checked


class CommandStore:
    """The command lists, keyed exactly by (scope, language) like Telegram keeps them."""

    def __init__(self) -> None:
        self.lists: dict[tuple[ScopeKey, str], list[dict[str, str]]] = {}

    def set(self, scope: ScopeKey, language: str, commands: list[dict[str, str]]) -> None:
        """Replace a list; an empty list deletes it."""
        if commands:
            self.lists[(scope, language)] = commands
        else:
            self.lists.pop((scope, language), None)

    def get(self, scope: ScopeKey, language: str) -> list[dict[str, str]]:
        """Exactly the list stored for this key (no fallback, like getMyCommands)."""
        return list(self.lists.get((scope, language), []))

    def resolve(
        self, chat: EmuChat | None, language: str, user_id: int | None = None
    ) -> list[dict[str, str]]:
        """What a user sees in a chat, following Telegram's documented scope order."""
        for scope in _resolution_order(chat, user_id):
            for lang in ([language] if language else []) + [""]:
                found = self.lists.get((scope, lang))
                if found:
                    return list(found)
        return []


def _resolution_order(chat: EmuChat | None, user_id: int | None) -> list[ScopeKey]:
    if chat is None or chat.type == "private":
        order: list[ScopeKey] = [("chat", chat.id)] if chat is not None else []
        return [*order, ("all_private_chats",), ("default",)]
    is_admin = user_id is not None and user_id in chat.admins
    order = []
    if user_id is not None:
        order.append(("chat_member", chat.id, user_id))
    if is_admin:
        order.append(("chat_administrators", chat.id))
    order.append(("chat", chat.id))
    if is_admin:
        order.append(("all_chat_administrators",))
    return [*order, ("all_group_chats",), ("default",)]
