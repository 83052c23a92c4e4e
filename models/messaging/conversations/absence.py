"""A teacher away: families' messages go to a colleague who covers, or to the office.

Only staff who receive families' messages (teachers and senior leaders) go away; the cover is
a colleague of the same school who receives them too, is linked and is not away, or the
office (`cover=None`: the school's senior leaders). An absence lasts until `/back`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.common.audit import AuditEntry
from models.common.enums import Role
from models.common.errors import N_, DomainError, NotAllowed
from models.delivery.outbox import Notification
from models.messaging.conversations.common import COVER_STARTED
from models.messaging.conversations.recipients import Person, active_absence
from models.messaging.tables import StaffAbsence
from models.people.access import Actor, StaffRole
from models.people.tables import Staff

RECEIVING = (Role.TEACHER, Role.ADMIN)
MAX_CHOICES = 40


class NotReceiving(DomainError):
    message = N_(
        "Families' messages go to class teachers and senior leaders, so there is nothing "
        "to pass on."
    )


@dataclass(frozen=True)
class AbsenceView:
    absence_id: int
    cover: Person | None  # None: the office
    since: datetime


def receives_family_messages(actor: Actor) -> bool:
    """Whether families' messages come to this person as staff (so /away means something)."""
    return actor.staff is not None and actor.staff.role in RECEIVING


async def cover_choices(actor: Actor, *, now: datetime) -> list[Person]:
    """Colleagues who could cover: linked teachers and leaders who are not away (one query)."""
    staff = _receiver(actor)
    colleagues = (
        await Staff.filter(
            school_id=staff.school_id,
            role__in=list(RECEIVING),
            left_at=None,
            telegram_user_id__not_isnull=True,
        )
        .exclude(id=staff.staff_id)
        .exclude(id__in=Subquery(StaffAbsence.filter(active_absence(now)).values("staff_id")))
        .order_by("last_name", "first_name", "id")
        .limit(MAX_CHOICES)
    )
    return [Person(s.id, s.full_name) for s in colleagues]


async def current_absence(actor: Actor, *, now: datetime) -> AbsenceView | None:
    """This staff member's absence under way, if any."""
    staff = _receiver(actor)
    absence = (
        await StaffAbsence.filter(active_absence(now), staff_id=staff.staff_id)
        .select_related("cover")
        .order_by("-id")
        .first()
    )
    return _view(absence) if absence is not None else None


async def go_away(actor: Actor, cover_id: int | None, *, now: datetime) -> AbsenceView:
    """Start (or change) an absence; the colleague covering is told."""
    staff = _receiver(actor)
    cover = None
    if cover_id is not None:
        cover = next(
            (p for p in await cover_choices(actor, now=now) if p.staff_id == cover_id), None
        )
        if cover is None:
            raise NotAllowed()
    async with in_transaction():
        await StaffAbsence.filter(active_absence(now), staff_id=staff.staff_id).update(ends_at=now)
        absence = await StaffAbsence.create(
            staff_id=staff.staff_id, cover_id=cover_id, starts_at=now
        )
        await _audit(staff.school_id, staff.staff_id, "staff_away", {"cover": cover_id or 0})
        if cover is not None:
            colleague = await Staff.get(id=cover.staff_id)
            await Notification.create(
                school_id=staff.school_id,
                staff_id=colleague.id,
                chat_id=colleague.telegram_user_id,
                kind=COVER_STARTED,
                params={"absence_id": absence.id},
                due_at=now,
                idempotency_key=f"cover-{absence.id}",
            )
    return AbsenceView(absence.id, cover, now)


async def come_back(actor: Actor, *, now: datetime) -> bool:
    """End the absence under way; False when there was none."""
    staff = _receiver(actor)
    async with in_transaction():
        ended = await StaffAbsence.filter(active_absence(now), staff_id=staff.staff_id).update(
            ends_at=now
        )
        if ended:
            await _audit(staff.school_id, staff.staff_id, "staff_back", {})
    return bool(ended)


async def absence_for_cover(
    actor: Actor, absence_id: int, *, now: datetime
) -> tuple[str, list[str]]:
    """For the colleague covering: whose absence it is and their classes' names."""
    if actor.staff is None:
        raise NotAllowed()
    absence = (
        await StaffAbsence.filter(active_absence(now), id=absence_id, cover_id=actor.staff.staff_id)
        .select_related("staff")
        .first()
    )
    if absence is None:
        raise NotAllowed()
    away: Staff = absence.staff
    await away.fetch_related("classes")
    return away.full_name, sorted(c.name for c in away.classes)


def _receiver(actor: Actor) -> StaffRole:
    if actor.staff is None:
        raise NotAllowed()
    if actor.staff.role not in RECEIVING:
        raise NotReceiving()
    return actor.staff


def _view(absence: StaffAbsence) -> AbsenceView:
    cover: Staff | None = absence.cover
    return AbsenceView(
        absence.id, Person(cover.id, cover.full_name) if cover else None, absence.starts_at
    )


async def _audit(school_id: int, staff_id: int, action: str, details: dict[str, int]) -> None:
    await AuditEntry.create(
        school_id=school_id,
        actor_kind="staff",
        actor_id=staff_id,
        action=action,
        subject_kind="staff",
        subject_id=staff_id,
        details=details,
    )
