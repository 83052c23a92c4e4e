"""Labels shared by several handlers, translated at the moment they are shown."""

from __future__ import annotations

from bot.i18n import _
from models.common.enums import Role


def role_label(role: Role) -> str:
    labels = {
        Role.ADMIN: _("senior leader"),
        Role.TEACHER: _("teacher"),
        Role.ASSISTANT: _("teaching assistant"),
    }
    return labels[role]


def not_linked_text() -> str:
    return _(
        "I can only help people linked by their school. Please open the link in your "
        "invite letter, or send /start followed by the code printed on it."
    )


def something_went_wrong_text() -> str:
    return _("Sorry, something went wrong on our side. Please try again in a moment.")


def stale_button_text() -> str:
    return _("This button is no longer active.")


def private_chats_only_text() -> str:
    return _("I work in private chats only: open a chat with me.")
