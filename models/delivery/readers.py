"""Who an outbox row is for: the guardian or staff member as the domain sees them now, with the
languages to choose from (delivery hands renderers this and a frozen `NoticeView` of the row)."""

from __future__ import annotations

from dataclasses import dataclass

from models.delivery.outbox import Notification
from models.people.access import Actor, GuardianRole, resolve_actor
from models.people.tables import Guardian, Staff, UserPreference


@dataclass(frozen=True)
class NoticeReader:
    """The guardian or staff member a row is for, as an actor, in their school's timezone.

    `languages` in order of preference: the one chosen in /language, their own from the
    roster, the school's default (any may be None); the caller picks the first it can speak.
    """

    person_id: int
    actor: Actor
    timezone: str
    languages: tuple[str | None, ...]


async def guardian_reader(row: Notification) -> NoticeReader | None:
    """The row's guardian, or None once they left or re-linked to another Telegram account."""
    if row.guardian_id is None:
        return None
    guardian = (
        await Guardian.filter(id=row.guardian_id, left_at=None).select_related("school").first()
    )
    # Re-linked to another Telegram account since: the old account must not get it.
    if guardian is None or guardian.telegram_user_id != row.chat_id:
        return None
    actor = Actor(row.chat_id, guardian=GuardianRole(guardian.id, guardian.school_id))
    chosen = await _chosen_language(row.chat_id)
    return NoticeReader(
        guardian.id,
        actor,
        guardian.school.timezone,
        (chosen, guardian.language, guardian.school.default_locale),
    )


async def staff_reader(row: Notification) -> NoticeReader | None:
    """The row's staff member, or None once they left or re-linked to another account."""
    staff = await Staff.filter(id=row.staff_id, left_at=None).select_related("school").first()
    if staff is None or staff.telegram_user_id != row.chat_id:
        return None
    actor = await resolve_actor(row.chat_id)
    if actor.staff is None:
        return None
    chosen = await _chosen_language(row.chat_id)
    return NoticeReader(
        staff.id,
        actor,
        staff.school.timezone,
        (chosen, staff.language, staff.school.default_locale),
    )


async def _chosen_language(chat_id: int) -> str | None:
    preference = await UserPreference.get_or_none(telegram_user_id=chat_id)
    return preference.language if preference else None
