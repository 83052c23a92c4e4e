"""A typed per-update context instead of string keys in dictionaries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import CallbackContext, ExtBot

from models.common.errors import NotAllowed
from models.people.access import Actor
from models.people.invitations import FailedAttempts
from scheduler.leader import Leadership

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.config import Settings


class BotServices:
    """What handlers share for the life of the process (PTB keeps it as `bot_data`)."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self.failed_invites = FailedAttempts()
        # Set by the planning job on its first tick; see scheduler/leader.py.
        self.leadership: Leadership | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            raise RuntimeError("build the application with bot.app.build_application")
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value


class MentorContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotServices]):
    """The context every handler gets: the acting person is loaded once per update."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.actor: Actor | None = None

    @property
    def services(self) -> BotServices:
        return self.bot_data


def acting(context: MentorContext) -> Actor:
    """The acting person; NotAllowed when the middleware found nobody (no user on the update)."""
    if context.actor is None:
        raise NotAllowed()
    return context.actor


def chat_id(update: Update) -> int:
    """The chat an update came from (every update our handlers take has one)."""
    if update.effective_chat is None:
        raise NotAllowed()
    return update.effective_chat.id
