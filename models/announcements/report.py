"""The sender's view of announcements: counts per announcement, and a reminder to the unseen.

Teachers see their own announcements, senior leaders the school's. Counts only, never who:
delivered (its outbox row sent), waiting (not sent yet), seen, unreachable (blocked the bot,
or given up on) and muted (a recipient with no outbox row). A list of any length costs the
same few queries. A reminder goes to recipients who got it, have not pressed "👍 Seen" and can
still be reached; at most once every 24 hours.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.announcements.sending import (
    KIND,
    REMINDER_KIND,
    Audience,
    key_prefix,
    may_announce,
)
from models.announcements.tables import Announcement, AnnouncementRecipient
from models.common.audit import AuditEntry
from models.common.enums import AudienceKind, NotificationState, Role
from models.common.errors import N_, DomainError, NotAllowed
from models.delivery.outbox import Notification
from models.people.access import Actor
from models.people.tables import SchoolClass

RECENT = 8
REMIND_EVERY = timedelta(hours=24)


class RemindedRecently(DomainError):
    message = N_("A reminder already went in the last 24 hours.")


class NobodyToRemind(DomainError):
    message = N_(
        "Everyone who got it has seen it, or cannot be reached: there is nobody to remind."
    )


@dataclass(frozen=True)
class AnnouncementStatus:
    announcement_id: int
    text: str
    audience: Audience
    class_name: str | None
    sent_at: datetime
    needs_ack: bool
    critical: bool
    reminded_at: datetime | None
    timezone: str
    recipients: int
    delivered: int
    waiting: int
    seen: int
    unreachable: int
    muted: int

    def next_reminder(self) -> datetime | None:
        """When a reminder may go next (None: now, if Seen was asked)."""
        return None if self.reminded_at is None else self.reminded_at + REMIND_EVERY

    def may_remind(self, now: datetime) -> bool:
        """Seen was asked, someone has not seen it, and no reminder went in the last 24 hours."""
        after = self.next_reminder()
        return self.needs_ack and self.seen < self.delivered and (after is None or now >= after)


def _visible(actor: Actor) -> QuerySet[Announcement]:
    """A teacher's own announcements; the whole school's for a senior leader."""
    if actor.staff is None or not may_announce(actor):
        raise NotAllowed()
    if actor.staff.role is Role.ADMIN:
        return Announcement.filter(school_id=actor.staff.school_id)
    return Announcement.filter(school_id=actor.staff.school_id, author_id=actor.staff.staff_id)


async def recent_announcements(actor: Actor, *, limit: int = RECENT) -> list[AnnouncementStatus]:
    """The newest announcements this actor may follow, with their counts (four queries)."""
    announcements = (
        await _visible(actor).select_related("school").order_by("-created_at", "-id").limit(limit)
    )
    return await _statuses(announcements)


async def announcement_status(actor: Actor, announcement_id: int) -> AnnouncementStatus:
    """One announcement's counts, if this actor may follow it."""
    announcement = await _visible(actor).filter(id=announcement_id).select_related("school").first()
    if announcement is None:
        raise NotAllowed()
    (status,) = await _statuses([announcement])
    return status


async def _statuses(announcements: list[Announcement]) -> list[AnnouncementStatus]:
    if not announcements:
        return []
    ids = [a.id for a in announcements]
    recipients = {
        announcement_id: (total, seen)
        for announcement_id, total, seen in await AnnouncementRecipient.filter(
            announcement_id__in=ids
        )
        .annotate(total=Count("id"), seen=Count("id", _filter=Q(seen_at__isnull=False)))
        .group_by("announcement_id")
        .values_list("announcement_id", "total", "seen")
    }
    states = await _row_states(ids)
    class_ids = [
        int(a.audience_ref) for a in announcements if a.audience_kind is AudienceKind.CLASS
    ]
    names = dict(
        await SchoolClass.filter(id__in=class_ids).values_list("id", "name") if class_ids else []
    )
    statuses = []
    for a in announcements:
        total, seen = recipients.get(a.id, (0, 0))
        by_state = states.get(a.id, Counter())
        queued = sum(by_state.values())
        audience = Audience(AudienceKind(a.audience_kind), a.audience_ref)
        statuses.append(
            AnnouncementStatus(
                announcement_id=a.id,
                text=a.text,
                audience=audience,
                class_name=_class_name(audience, names),
                sent_at=a.created_at,
                needs_ack=a.needs_ack,
                critical=a.critical,
                reminded_at=a.reminded_at,
                timezone=a.school.timezone,
                recipients=total,
                delivered=by_state.get(NotificationState.SENT.value, 0),
                waiting=by_state.get(NotificationState.PENDING.value, 0)
                + by_state.get(NotificationState.FAILED.value, 0),
                seen=seen,
                unreachable=by_state.get(NotificationState.DEAD.value, 0),
                muted=max(0, total - queued),
            )
        )
    return statuses


def _class_name(audience: Audience, names: dict[int, str]) -> str | None:
    if audience.kind is not AudienceKind.CLASS:
        return None
    return names.get(int(audience.ref))


async def _row_states(ids: list[int]) -> dict[int, Counter[str]]:
    """Each announcement's outbox rows counted by state, in one query.

    A row names its announcement only in its idempotency key (`ann-<id>-g<guardian>`), so the
    rows are read as short (key, state) pairs and counted here.
    """
    prefixes = [Q(idempotency_key__startswith=key_prefix(i)) for i in ids]
    rows = await Notification.filter(Q(*prefixes, join_type=Q.OR), kind=KIND).values_list(
        "idempotency_key", "state"
    )
    counts: dict[int, Counter[str]] = {}
    for key, state in rows:
        announcement_id = int(str(key).split("-", 2)[1])
        counts.setdefault(announcement_id, Counter())[str(state)] += 1
    return counts


async def remind_unseen(actor: Actor, announcement_id: int, *, now: datetime) -> int:
    """Queue a reminder to each recipient who got it and has not seen it; returns how many."""
    announcement = await _visible(actor).filter(id=announcement_id).first()
    if announcement is None or not announcement.needs_ack:
        raise NotAllowed()
    async with in_transaction():
        unseen = dict(
            await AnnouncementRecipient.filter(
                announcement_id=announcement.id,
                seen_at=None,
                guardian__left_at=None,
                guardian__unreachable_at=None,
                guardian__telegram_user_id__not_isnull=True,
            ).values_list("guardian_id", "guardian__telegram_user_id")
        )
        delivered = set(
            await Notification.filter(
                kind=KIND,
                idempotency_key__startswith=key_prefix(announcement.id),
                state=NotificationState.SENT,
            ).values_list("guardian_id", flat=True)
        )
        targets = sorted((g, chat) for g, chat in unseen.items() if g in delivered)
        if not targets:
            raise NobodyToRemind()
        # The conditional update lets only one press in 24 hours through, on any replica.
        claimed = await Announcement.filter(
            Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_EVERY),
            id=announcement.id,
        ).update(reminded_at=now)
        if not claimed:
            raise RemindedRecently()
        stamp = now.strftime("%Y%m%d%H%M%S")
        await Notification.bulk_create(
            [
                Notification(
                    school_id=announcement.school_id,
                    guardian_id=guardian_id,
                    chat_id=chat_id,
                    kind=REMINDER_KIND,
                    params={"announcement_id": announcement.id, "critical": announcement.critical},
                    due_at=now,
                    idempotency_key=f"ann-{announcement.id}-r{stamp}-g{guardian_id}",
                )
                for guardian_id, chat_id in targets
            ]
        )
        await AuditEntry.create(
            school_id=announcement.school_id,
            actor_kind="staff",
            actor_id=actor.staff.staff_id if actor.staff else None,
            action="announcement_reminded",
            subject_kind="announcement",
            subject_id=announcement.id,
            details={"families": len(targets)},
        )
    return len(targets)
