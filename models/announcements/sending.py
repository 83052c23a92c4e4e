"""School announcements: who may send one to whom, whom it reaches, and sending it in one go.

A senior leader announces to any class, a year group or the whole school, and may mark an
announcement safeguarding-critical; a teacher announces only to their own classes; nobody else
announces. An announcement is for every guardian linked in Telegram who receives reports for a
pupil on roll in the audience, once however many of their children are there. Each of them is
a recipient; a routine announcement is not queued for those who muted routine announcements,
a critical one is; guardians known to have blocked the bot get a dead outbox row (so they are
counted, never sent to). Staff write in English; translations are copied in when it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.announcements.notices import AnnouncementNotice
from models.announcements.tables import Announcement, AnnouncementRecipient, AnnouncementTemplate
from models.common.audit import AuditEntry
from models.common.enums import AudienceKind, NotificationState, Role, YearGroup
from models.common.errors import N_, DomainError, NotAllowed
from models.common.translation import SOURCE_LANGUAGE, MachineTranslator, machine_translations
from models.delivery.outbox import Notification
from models.people.access import Actor, StaffRole
from models.people.overview import ClassRef, class_list
from models.people.tables import GuardianLink, Pupil, SchoolClass, UserPreference

KIND = AnnouncementNotice.ANNOUNCEMENT
REMINDER_KIND = AnnouncementNotice.ANNOUNCEMENT_REMINDER
MAX_TEXT = 3000
# The outbox's code for a guardian who blocked the bot (scheduler.outbox.BLOCKED).
UNREACHABLE = "blocked"


class AnnouncementEmpty(DomainError):
    message = N_("Please type the announcement.")


class AnnouncementTooLong(DomainError):
    message = N_("Please keep an announcement under {limit} characters.")


class TemplateGone(DomainError):
    message = N_("That ready-made announcement is no longer available.")


class NobodyToReach(DomainError):
    message = N_("Nobody there can get it in Telegram, so nothing was sent.")


@dataclass(frozen=True)
class Audience:
    """A class (its id), a year group (its code) or the whole school ("")."""

    kind: AudienceKind
    ref: str = ""


@dataclass(frozen=True)
class AudienceChoices:
    classes: tuple[ClassRef, ...]
    years: tuple[YearGroup, ...]
    whole_school: bool


@dataclass(frozen=True)
class Reach:
    """How many guardians an announcement reaches now, and how many it does not, and why."""

    families: int
    muted: int
    unreachable: int
    not_in_telegram: int
    # The reading languages of those it reaches, English included when anyone reads it.
    languages: frozenset[str]


@dataclass(frozen=True)
class Draft:
    """What the sender chose: the audience, the text or a template, and the two toggles."""

    audience: Audience
    text: str = ""
    template_id: int | None = None
    needs_ack: bool = False
    critical: bool = False


@dataclass(frozen=True)
class Sent:
    announcement_id: int
    reach: Reach


@dataclass(frozen=True)
class _Family:
    guardian_id: int
    chat_id: int
    unreachable: bool
    muted: bool
    language: str


def may_announce(actor: Actor) -> bool:
    """Teachers (to their classes) and senior leaders (to anyone) send announcements."""
    return actor.staff is not None and actor.staff.role in (Role.ADMIN, Role.TEACHER)


def may_mark_critical(actor: Actor) -> bool:
    """Only senior leaders mark an announcement safeguarding-critical."""
    return actor.staff is not None and actor.staff.role is Role.ADMIN


def _announcer(actor: Actor) -> StaffRole:
    if actor.staff is None or not may_announce(actor):
        raise NotAllowed()
    return actor.staff


def recipient_key(announcement_id: int, guardian_id: int) -> str:
    """The idempotency key of an announcement's outbox row for one guardian."""
    return f"{key_prefix(announcement_id)}{guardian_id}"


def key_prefix(announcement_id: int) -> str:
    return f"ann-{announcement_id}-g"


def language_of(preference: str | None, guardian: str | None, school_default: str) -> str:
    """The language a guardian reads: their /language choice, the school's list, the default."""
    for candidate in (preference, guardian, school_default):
        if candidate:
            return candidate.replace("_", "-").split("-", 1)[0].lower()
    return SOURCE_LANGUAGE


def clean_announcement(text: str) -> str:
    """The typed text with its paragraphs kept, trailing spaces and extra blank lines gone."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    cleaned = "\n".join(kept).strip()
    if not cleaned:
        raise AnnouncementEmpty()
    if len(cleaned) > MAX_TEXT:
        raise AnnouncementTooLong(limit=MAX_TEXT)
    return cleaned


async def audience_choices(actor: Actor) -> AudienceChoices:
    """The classes (own, or all for a senior leader), year groups on roll and the whole school."""
    staff = _announcer(actor)
    classes = tuple(await class_list(actor))
    if staff.role is not Role.ADMIN:
        return AudienceChoices(classes, (), whole_school=False)
    on_roll = set(
        await Pupil.filter(school_id=staff.school_id, left_at=None)
        .distinct()
        .values_list("year_group", flat=True)
    )
    years = tuple(year for year in YearGroup if year in on_roll)
    return AudienceChoices(classes, years, whole_school=True)


async def check_audience(actor: Actor, kind: AudienceKind, ref: str) -> Audience:
    """The audience if this actor may announce to it; NotAllowed if forged or not theirs."""
    staff = _announcer(actor)
    if kind is AudienceKind.CLASS:
        class_id = int(ref) if ref.isdigit() and len(ref) < 10 else None
        if class_id is None or (staff.role is not Role.ADMIN and class_id not in staff.class_ids):
            raise NotAllowed()
        if not await SchoolClass.filter(id=class_id, school_id=staff.school_id).exists():
            raise NotAllowed()
        return Audience(kind, str(class_id))
    if staff.role is not Role.ADMIN:
        raise NotAllowed()
    if kind is AudienceKind.YEAR and ref in {year.value for year in YearGroup}:
        return Audience(kind, ref)
    if kind is AudienceKind.SCHOOL and ref == "":
        return Audience(kind)
    raise NotAllowed()


async def class_name(audience: Audience) -> str | None:
    """The class's name for a class audience; None for a year group or the whole school."""
    if audience.kind is not AudienceKind.CLASS:
        return None
    school_class = await SchoolClass.get_or_none(id=int(audience.ref))
    return school_class.name if school_class else None


def audience_links(school_id: int, audience: Audience) -> QuerySet[GuardianLink]:
    """Links that make a guardian part of the audience: reports on, pupil on roll, neither left."""
    links = GuardianLink.filter(
        receives_reports=True,
        pupil__school_id=school_id,
        pupil__left_at=None,
        guardian__school_id=school_id,
        guardian__left_at=None,
    )
    if audience.kind is AudienceKind.CLASS:
        return links.filter(pupil__school_class_id=int(audience.ref))
    if audience.kind is AudienceKind.YEAR:
        return links.filter(pupil__year_group=audience.ref)
    return links


async def templates_for(actor: Actor) -> list[AnnouncementTemplate]:
    """The school's ready-made announcements, by key."""
    staff = _announcer(actor)
    return await AnnouncementTemplate.filter(school_id=staff.school_id).order_by("key")


async def template_for(actor: Actor, template_id: int) -> AnnouncementTemplate:
    """One of the school's ready-made announcements; TemplateGone if it is not (or no longer)."""
    staff = _announcer(actor)
    template = await AnnouncementTemplate.get_or_none(id=template_id, school_id=staff.school_id)
    if template is None:
        raise TemplateGone()
    return template


async def reach(actor: Actor, audience: Audience, *, critical: bool) -> Reach:
    """Whom a send would reach now (the preview before Send)."""
    staff = _announcer(actor)
    audience = await check_audience(actor, audience.kind, audience.ref)
    if critical and not may_mark_critical(actor):
        raise NotAllowed()
    families, not_in_telegram = await _families(staff.school_id, audience)
    return _reach(families, not_in_telegram, critical=critical)


async def send_announcement(
    actor: Actor, draft: Draft, *, now: datetime, translator: MachineTranslator | None = None
) -> Sent:
    """Store the announcement, its recipients and their outbox rows in one transaction."""
    staff = _announcer(actor)
    audience = await check_audience(actor, draft.audience.kind, draft.audience.ref)
    if draft.critical and not may_mark_critical(actor):
        raise NotAllowed()
    text, translations = await _text_and_translations(staff, draft)
    if draft.template_id is None and translator is not None:
        # Translated before the transaction: a translator is a network call and may be slow.
        families, not_in_telegram = await _families(staff.school_id, audience)
        wanted = _reach(families, not_in_telegram, critical=draft.critical).languages
        translations = await machine_translations(translator, text, set(wanted), limit=MAX_TEXT)
    async with in_transaction():
        families, not_in_telegram = await _families(staff.school_id, audience)
        result = _reach(families, not_in_telegram, critical=draft.critical)
        if result.families == 0:
            raise NobodyToReach()
        announcement = await Announcement.create(
            school_id=staff.school_id,
            author_id=staff.staff_id,
            audience_kind=audience.kind,
            audience_ref=audience.ref,
            text=text,
            translations=translations,
            needs_ack=draft.needs_ack,
            critical=draft.critical,
        )
        await AnnouncementRecipient.bulk_create(
            [
                AnnouncementRecipient(announcement=announcement, guardian_id=f.guardian_id)
                for f in families
            ]
        )
        await Notification.bulk_create(
            [
                _outbox_row(announcement, family, now=now)
                for family in families
                if draft.critical or not family.muted
            ]
        )
        await AuditEntry.create(
            school_id=staff.school_id,
            actor_kind="staff",
            actor_id=staff.staff_id,
            action="announcement_sent",
            subject_kind="announcement",
            subject_id=announcement.id,
            details={
                "audience": audience.kind.value,
                "families": result.families,
                "muted": result.muted,
                "unreachable": result.unreachable,
                "critical": draft.critical,
            },
        )
    return Sent(announcement.id, result)


async def _text_and_translations(staff: StaffRole, draft: Draft) -> tuple[str, dict[str, Any]]:
    """A template's English text and stored translations, or the typed text alone."""
    if draft.template_id is None:
        return clean_announcement(draft.text), {}
    template = await AnnouncementTemplate.get_or_none(
        id=draft.template_id, school_id=staff.school_id
    )
    if template is None:
        raise TemplateGone()
    translations = {
        language: {"text": text, "machine": False}
        for language, text in template.translations.items()
        if language != SOURCE_LANGUAGE and text
    }
    return template.text, translations


def _outbox_row(announcement: Announcement, family: _Family, *, now: datetime) -> Notification:
    row = Notification(
        school_id=announcement.school_id,
        guardian_id=family.guardian_id,
        chat_id=family.chat_id,
        kind=KIND,
        params={"announcement_id": announcement.id, "critical": announcement.critical},
        due_at=now,
        idempotency_key=recipient_key(announcement.id, family.guardian_id),
    )
    if family.unreachable:
        row.state, row.last_error = NotificationState.DEAD, UNREACHABLE
    return row


async def _families(school_id: int, audience: Audience) -> tuple[list[_Family], int]:
    """The audience's guardians linked in Telegram, once each; and how many are not linked."""
    rows = (
        await audience_links(school_id, audience)
        .order_by("guardian_id")
        .values_list(
            "guardian_id",
            "guardian__telegram_user_id",
            "guardian__unreachable_at",
            "guardian__language",
            "guardian__school__default_locale",
        )
    )
    linked: dict[int, tuple[int, bool, str | None, str]] = {}
    unlinked: set[int] = set()
    for guardian_id, chat_id, unreachable_at, language, default in rows:
        if chat_id is None:
            unlinked.add(guardian_id)
        else:
            linked[guardian_id] = (chat_id, unreachable_at is not None, language, default)
    chats = [chat_id for chat_id, *_rest in linked.values()]
    preferences: dict[int, tuple[bool, str | None]] = {}
    if chats:
        preferences = {
            chat_id: (muted, language)
            for chat_id, muted, language in await UserPreference.filter(
                telegram_user_id__in=chats
            ).values_list("telegram_user_id", "mute_routine", "language")
        }
    families = []
    for guardian_id, (chat_id, unreachable, language, default) in linked.items():
        muted, chosen = preferences.get(chat_id, (False, None))
        reads = language_of(chosen, language, default)
        families.append(_Family(guardian_id, chat_id, unreachable, muted, reads))
    return families, len(unlinked)


def _reach(families: list[_Family], not_in_telegram: int, *, critical: bool) -> Reach:
    unreachable = [f for f in families if f.unreachable]
    muted = [f for f in families if not f.unreachable and f.muted and not critical]
    reached = [f for f in families if not f.unreachable and (critical or not f.muted)]
    return Reach(
        families=len(reached),
        muted=len(muted),
        unreachable=len(unreachable),
        not_in_telegram=not_in_telegram,
        languages=frozenset(f.language for f in reached),
    )
