"""What senior leaders see of delivery: what is waiting, what failed, who cannot be reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.functions import Count

from models.calendar.school import School
from models.common.enums import NotificationState
from models.common.errors import NotAllowed
from models.delivery.outbox import Notification
from models.people.access import Actor, Permission, staff_may
from models.people.tables import Guardian, GuardianLink

RECENT = timedelta(days=7)


@dataclass(frozen=True)
class UnreachableFamily:
    guardian: str
    children: tuple[str, ...]
    since: datetime


@dataclass(frozen=True)
class DeliveryReport:
    """Counts only, plus the families the school should contact another way."""

    waiting: int
    held: int
    sent_today: int
    dead_recently: dict[str, int]
    unreachable: tuple[UnreachableFamily, ...]
    timezone: str


def _school_of(actor: Actor) -> int:
    if actor.staff is None or not staff_may(actor, Permission.MANAGE_SCHOOL):
        raise NotAllowed()
    return actor.staff.school_id


async def delivery_report(actor: Actor, *, now: datetime) -> DeliveryReport:
    """The school's outbox at a glance (senior leaders only); a handful of queries."""
    school_id = _school_of(actor)
    mine = Notification.filter(school_id=school_id)
    pending = mine.filter(state=NotificationState.PENDING)
    waiting = await pending.filter(due_at__lte=now).count()
    held = await pending.filter(due_at__gt=now).count()
    sent_today = await mine.filter(
        state=NotificationState.SENT, sent_at__gt=now - timedelta(days=1)
    ).count()
    dead = (
        await mine.filter(state=NotificationState.DEAD, created_at__gt=now - RECENT)
        .annotate(n=Count("id"))
        .group_by("last_error")
        .values_list("last_error", "n")
    )
    return DeliveryReport(
        waiting=waiting,
        held=held,
        sent_today=sent_today,
        dead_recently={str(reason or "unknown"): int(n) for reason, n in dead},
        unreachable=tuple(await _unreachable(school_id)),
        timezone=(await School.get(id=school_id)).timezone,
    )


async def _unreachable(school_id: int) -> list[UnreachableFamily]:
    guardians = await Guardian.filter(
        school_id=school_id, unreachable_at__isnull=False, left_at=None
    ).order_by("last_name", "first_name")
    links = await GuardianLink.filter(
        guardian_id__in=[g.id for g in guardians], pupil__left_at=None
    ).prefetch_related("pupil")
    children: dict[int, list[str]] = {}
    for link in links:
        children.setdefault(link.guardian_id, []).append(link.pupil.full_name)
    return [
        UnreachableFamily(g.full_name, tuple(sorted(children.get(g.id, []))), g.unreachable_at)
        for g in guardians
        if g.unreachable_at is not None
    ]
