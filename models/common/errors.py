"""Domain errors. Messages are gettext msgids rendered by whoever shows them."""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a string for translation without translating it here."""
    return message


class DomainError(Exception):
    """A rule refused an operation; `message` is a msgid with `{placeholders}`."""

    message: str = N_("That could not be done.")

    def __init__(self, message: str | None = None, **params: Any) -> None:
        self.message = message or self.message
        self.params = params
        super().__init__(self.message)


class NotAllowed(DomainError):
    """The actor may not do this, or the record does not exist (we do not say which)."""

    message = N_("That is not available to you.")


class InviteRefused(DomainError):
    message = N_(
        "This code cannot be used. It may be mistyped, already used or expired. "
        "Please ask the school office for a new one."
    )


class InviteNotInPrivateChat(DomainError):
    message = N_("For your privacy, please send your code to me in a private chat.")


class TooManyAttempts(DomainError):
    message = N_("Too many attempts. Please wait a few minutes and try again.")
