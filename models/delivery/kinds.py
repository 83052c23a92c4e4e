"""What kinds of notice the outbox carries: each declared once, by the feature that produces it.

A feature declares its kinds as members of a `NoticeKind` enum in its own `notices` module
(`models/<feature>/notices.py`, listed in `models/notices.py`), each with its delivery class and
who reads it:

    class TargetNotice(NoticeKind):
        TARGET_SET = "target_set", DeliveryClass.ROUTINE

A member is the string stored in `Notification.kind`, so producers pass the member itself. The
outbox never imports a feature: it looks a row's kind up here (`kind_of`), in the table the
declarations fill as they are imported. `handlers/delivery/kinds.py` binds each kind to its
renderer and digest line.
"""

from __future__ import annotations

from enum import Flag, StrEnum, auto
from typing import Self


class DeliveryClass(StrEnum):
    """When a notice may go out (models.delivery.policy)."""

    # News that can wait: follows the guardian's /settings choice (at once, or in a daily or
    # weekly digest) and waits out the school's quiet hours.
    ROUTINE = "routine"
    # About a meeting: waits out quiet hours, unless the meeting is that same day.
    MEETING = "meeting"
    # A school announcement: waits out quiet hours (never for a digest), unless the row is
    # safeguarding-critical (`params["critical"]`).
    ANNOUNCEMENT = "announcement"
    # Never waits: a conversation, a file following a notice, a reminder to staff.
    IMMEDIATE = "immediate"


class Audience(Flag):
    """Who a kind is addressed to: rows with `guardian_id`, rows with `staff_id`, or either."""

    GUARDIAN = auto()
    STAFF = auto()


_DECLARED: dict[str, NoticeKind] = {}


class KindDeclaredTwice(Exception):
    """Two declarations share one code: rows of either could not be told apart."""


class NoticeKind(StrEnum):
    """The base of every feature's notice kinds; a member is its code."""

    delivery: DeliveryClass
    audience: Audience

    def __new__(
        cls, code: str, delivery: DeliveryClass, audience: Audience = Audience.GUARDIAN
    ) -> Self:
        if code in _DECLARED:
            raise KindDeclaredTwice(code)
        kind = str.__new__(cls, code)
        kind._value_ = code
        kind.delivery = delivery
        kind.audience = audience
        _DECLARED[code] = kind
        return kind

    @property
    def digestible(self) -> bool:
        """Whether a guardian's daily or weekly digest may gather it."""
        return self.delivery is DeliveryClass.ROUTINE


class DeliveryNotice(NoticeKind):
    """The outbox's own kind: a file or picture following a notice, built when it is sent."""

    FILE = "file", DeliveryClass.IMMEDIATE


def kind_of(code: str) -> NoticeKind | None:
    """The declaration of a stored kind; None for a kind no longer (or never) declared."""
    return _DECLARED.get(code)


def declared_kinds() -> tuple[NoticeKind, ...]:
    """Every kind declared so far (all of them once `models` is imported)."""
    return tuple(_DECLARED.values())
