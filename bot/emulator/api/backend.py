"""The emulator's services bundled for the Bot API method handlers, and their registry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.api.params import Params
from bot.emulator.commands import CommandStore
from bot.emulator.state import EmulatorState
from bot.emulator.updates import UpdateQueue, WebhookPusher


@dataclass
class Backend:
    """State plus the update queue, webhook, commands and bot settings."""

    state: EmulatorState
    updates: UpdateQueue
    webhook: WebhookPusher
    commands: CommandStore = field(default_factory=CommandStore)
    menu_buttons: dict[int | None, dict[str, Any]] = field(default_factory=dict)
    bot_texts: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Described:
    """A successful result that Telegram answers with a description too."""

    result: Any
    description: str


Handler = Callable[[Backend, Params], Awaitable[Any]]
METHODS: dict[str, tuple[str, Handler]] = {}


def api_method(name: str) -> Callable[[Handler], Handler]:
    """Register a handler under a Bot API method name (matched case-insensitively)."""

    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = (name, handler)
        return handler

    return register


def find_method(name: str) -> tuple[str, Handler] | None:
    """The canonical name and handler of a method, or None if unknown."""
    return METHODS.get(name.lower())
