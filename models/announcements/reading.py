"""An announcement as its guardian reads it: the text, the translations, and their "👍 Seen".

Only a recipient may read one, and only while still part of its audience (a link restricted
or a child who left since makes it no longer theirs). Nothing here says who else received it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models.announcements.sending import Audience, audience_links, class_name, language_of
from models.announcements.tables import AnnouncementRecipient
from models.common.enums import AudienceKind
from models.common.errors import NotAllowed
from models.people.access import Actor
from models.people.tables import Guardian, UserPreference


@dataclass(frozen=True)
class Translation:
    text: str
    machine: bool


@dataclass(frozen=True)
class ReadableAnnouncement:
    announcement_id: int
    school_name: str
    audience: Audience
    class_name: str | None
    text: str
    translations: dict[str, Translation]
    needs_ack: bool
    critical: bool
    seen: bool


async def announcement_for(actor: Actor, announcement_id: int) -> ReadableAnnouncement:
    """The announcement if this guardian received it and is still in its audience."""
    if actor.guardian is None:
        raise NotAllowed()
    guardian_id = actor.guardian.guardian_id
    recipient = (
        await AnnouncementRecipient.filter(announcement_id=announcement_id, guardian_id=guardian_id)
        .select_related("announcement__school")
        .first()
    )
    if recipient is None:
        raise NotAllowed()
    announcement = recipient.announcement
    audience = Audience(AudienceKind(announcement.audience_kind), announcement.audience_ref)
    links = audience_links(announcement.school_id, audience)
    if not await links.filter(guardian_id=guardian_id).exists():
        raise NotAllowed()
    return ReadableAnnouncement(
        announcement_id=announcement.id,
        school_name=announcement.school.name,
        audience=audience,
        class_name=await class_name(audience),
        text=announcement.text,
        translations=_translations(announcement.translations),
        needs_ack=announcement.needs_ack,
        critical=announcement.critical,
        seen=recipient.seen_at is not None,
    )


def _translations(stored: object) -> dict[str, Translation]:
    """The stored `{language: {"text", "machine"}}`, ignoring anything malformed."""
    if not isinstance(stored, dict):
        return {}
    return {
        str(language): Translation(entry["text"], entry.get("machine") is True)
        for language, entry in stored.items()
        if isinstance(entry, dict) and isinstance(entry.get("text"), str) and entry["text"]
    }


async def acknowledge_announcement(actor: Actor, announcement_id: int, *, now: datetime) -> bool:
    """A recipient pressed "👍 Seen"; True the first time, False when it was already recorded."""
    if actor.guardian is None:
        raise NotAllowed()
    recipient = await AnnouncementRecipient.get_or_none(
        announcement_id=announcement_id,
        guardian_id=actor.guardian.guardian_id,
        announcement__needs_ack=True,
    )
    if recipient is None:
        raise NotAllowed()
    marked = await AnnouncementRecipient.filter(id=recipient.id, seen_at=None).update(seen_at=now)
    return marked > 0


async def reader_language(actor: Actor) -> str:
    """The language this guardian reads announcements in (what the translation button offers)."""
    if actor.guardian is None:
        raise NotAllowed()
    guardian = await Guardian.filter(id=actor.guardian.guardian_id).select_related("school").first()
    if guardian is None:
        raise NotAllowed()
    preference = await UserPreference.get_or_none(telegram_user_id=actor.telegram_user_id)
    chosen = preference.language if preference else None
    return language_of(chosen, guardian.language, guardian.school.default_locale)
