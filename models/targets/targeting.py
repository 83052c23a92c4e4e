"""Targets and the support agreed for a pupil: set, review, acknowledge."""

from __future__ import annotations

from datetime import date, datetime

from tortoise.transactions import in_transaction

from models.common.audit import AuditEntry
from models.common.enums import Area, SupportKind, TargetStatus
from models.common.errors import N_, DomainError, NotAllowed
from models.delivery.notify import notify_guardians
from models.delivery.sent import sent_with
from models.people.access import Actor, Permission, acting_staff_id, require_pupil
from models.people.tables import Guardian
from models.targets.notices import TargetNotice
from models.targets.tables import Support, Target, TargetAcknowledgement

MAX_ACTIVE_PER_AREA = 3
MAX_TEXT = 300


class TooManyTargets(DomainError):
    message = N_(
        "{name} already has {limit} active targets in this area. "
        "Mark one achieved, carried over or dropped first."
    )


class TextMissing(DomainError):
    message = N_("Please write it in a few words.")


class TextTooLong(DomainError):
    message = N_("Please keep it under {limit} characters.")


class AlreadyReviewed(DomainError):
    message = N_("This target has already been reviewed.")


def clean_text(text: str, *, required: bool = True) -> str:
    """One tidy paragraph of at most MAX_TEXT characters."""
    cleaned = " ".join(text.split())
    if required and not cleaned:
        raise TextMissing()
    if len(cleaned) > MAX_TEXT:
        raise TextTooLong(limit=MAX_TEXT)
    return cleaned


async def ensure_room_for_target(actor: Actor, pupil_id: int, area: Area) -> None:
    """Refuse before any typing when the area already has its three active targets."""
    pupil = await require_pupil(actor, pupil_id, Permission.MANAGE_TARGETS)
    active = await Target.filter(pupil_id=pupil.id, area=area, status=TargetStatus.ACTIVE).count()
    if active >= MAX_ACTIVE_PER_AREA:
        raise TooManyTargets(name=pupil.first_name, limit=MAX_ACTIVE_PER_AREA)


async def active_targets(actor: Actor, pupil_id: int) -> list[Target]:
    """A pupil's active targets, oldest first, for staff who may review them."""
    pupil = await require_pupil(actor, pupil_id, Permission.MANAGE_TARGETS)
    return await Target.filter(pupil_id=pupil.id, status=TargetStatus.ACTIVE).order_by(
        "set_on", "id"
    )


async def set_target(
    actor: Actor,
    pupil_id: int,
    area: Area,
    text: str,
    home_support: str,
    *,
    now: datetime,
    review_on: date | None = None,
) -> Target:
    """Set a target; the pupil's guardians are told in the same transaction."""
    pupil = await require_pupil(actor, pupil_id, Permission.MANAGE_TARGETS)
    target_text, support_text = clean_text(text), clean_text(home_support, required=False)
    async with in_transaction():
        active = await Target.filter(
            pupil_id=pupil.id, area=area, status=TargetStatus.ACTIVE
        ).count()
        if active >= MAX_ACTIVE_PER_AREA:
            raise TooManyTargets(name=pupil.first_name, limit=MAX_ACTIVE_PER_AREA)
        target = await Target.create(
            pupil_id=pupil.id,
            area=area,
            text=target_text,
            home_support=support_text,
            set_by_id=acting_staff_id(actor),
            set_on=now.date(),
            review_on=review_on,
        )
        await _audit(actor, "target_set", target, pupil.school_id)
        await notify_guardians(
            pupil.id,
            TargetNotice.TARGET_SET,
            {"target_id": target.id},
            now=now,
            key=f"target-set-{target.id}",
        )
    return target


async def review_target(
    actor: Actor, target_id: int, outcome: TargetStatus, *, now: datetime
) -> Target:
    """Close an active target as achieved, carried over (a fresh copy goes on) or dropped."""
    if outcome is TargetStatus.ACTIVE:
        raise NotAllowed()
    target = await Target.get_or_none(id=target_id)
    if target is None:
        raise NotAllowed()
    pupil = await require_pupil(actor, target.pupil_id, Permission.MANAGE_TARGETS)
    async with in_transaction():
        closed = await Target.filter(id=target.id, status=TargetStatus.ACTIVE).update(
            status=outcome, closed_on=now.date()
        )
        if not closed:
            raise AlreadyReviewed()
        target.status, target.closed_on = outcome, now.date()
        await _audit(actor, f"target_{outcome.value}", target, pupil.school_id)
        if outcome is TargetStatus.CARRIED_OVER:
            await Target.create(
                pupil_id=pupil.id,
                area=target.area,
                text=target.text,
                home_support=target.home_support,
                set_by_id=acting_staff_id(actor),
                set_on=now.date(),
            )
        if outcome is TargetStatus.ACHIEVED:
            await notify_guardians(
                pupil.id,
                TargetNotice.TARGET_ACHIEVED,
                {"target_id": target.id},
                now=now,
                key=f"target-achieved-{target.id}",
            )
    return target


async def acknowledge_target(actor: Actor, target_id: int) -> bool:
    """A guardian's "Seen"; True the first time. Only for their own child's targets."""
    if actor.guardian is None:
        raise NotAllowed()
    target = await Target.get_or_none(id=target_id)
    if target is None:
        raise NotAllowed()
    guardian_only = Actor(actor.telegram_user_id, guardian=actor.guardian)
    await require_pupil(guardian_only, target.pupil_id, Permission.VIEW_PUPIL)
    _, created = await TargetAcknowledgement.get_or_create(
        target_id=target.id, guardian_id=actor.guardian.guardian_id
    )
    return created


async def acknowledge_digest(actor: Actor, digest_row_id: int) -> int | None:
    """ "Seen" under a digest: every new target it carried; how many were seen for the first time.

    None when no digest of this chat was sent with that row.
    """
    sent = await sent_with(
        digest_row_id, chat_id=actor.telegram_user_id, kind=TargetNotice.TARGET_SET
    )
    if sent is None:
        return None
    new = 0
    for row in sent:
        target_id = row.params.get("target_id")
        if not isinstance(target_id, int) or isinstance(target_id, bool):
            raise NotAllowed()
        new += await acknowledge_target(actor, target_id)
    return new


async def acknowledged_by(target_ids: list[int]) -> dict[int, list[str]]:
    """Which guardians pressed "Seen" on each target (for staff), in one query."""
    seen: dict[int, list[str]] = {target_id: [] for target_id in target_ids}
    rows = await TargetAcknowledgement.filter(target_id__in=target_ids).prefetch_related("guardian")
    for row in sorted(rows, key=lambda r: r.seen_at):
        guardian: Guardian = row.guardian
        seen[row.target_id].append(guardian.full_name)
    return seen


async def record_support(
    actor: Actor,
    pupil_id: int,
    kind: SupportKind,
    description: str,
    responsible: str,
    *,
    starts_on: date,
    review_on: date | None,
) -> Support:
    """Record the help agreed for a pupil and who delivers it."""
    pupil = await require_pupil(actor, pupil_id, Permission.RECORD_SUPPORT)
    if review_on is not None and review_on < starts_on:
        raise DomainError(N_("The review date must be after the start."))
    async with in_transaction():
        support = await Support.create(
            pupil_id=pupil.id,
            kind=kind,
            description=clean_text(description),
            responsible=clean_text(responsible),
            starts_on=starts_on,
            review_on=review_on,
            created_by_id=acting_staff_id(actor),
        )
        await AuditEntry.create(
            school_id=pupil.school_id,
            actor_kind="staff",
            actor_id=acting_staff_id(actor),
            action="support_recorded",
            subject_kind="support",
            subject_id=support.id,
            pupil_id=pupil.id,
            details={"kind": kind.value},
        )
    return support


async def _audit(actor: Actor, action: str, target: Target, school_id: int) -> None:
    await AuditEntry.create(
        school_id=school_id,
        actor_kind="staff",
        actor_id=acting_staff_id(actor),
        action=action,
        subject_kind="target",
        subject_id=target.id,
        pupil_id=target.pupil_id,
        details={"area": str(target.area)},
    )
