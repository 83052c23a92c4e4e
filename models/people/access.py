"""Who is acting, and what their role and links let them see or change."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.common.enums import Role
from models.common.errors import NotAllowed
from models.people.tables import Guardian, Pupil, Staff


class Permission(StrEnum):
    VIEW_PUPIL = "view_pupil"
    ASSESS = "assess"
    MANAGE_TARGETS = "manage_targets"
    RECORD_SUPPORT = "record_support"
    SET_EXPECTATIONS = "set_expectations"
    MANAGE_SCHOOL = "manage_school"


# Assistants record judgements and the support they deliver in their classes; targets,
# expectations and the school's settings stay with teachers and leaders.
_STAFF_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.TEACHER: frozenset(
        {
            Permission.VIEW_PUPIL,
            Permission.ASSESS,
            Permission.MANAGE_TARGETS,
            Permission.RECORD_SUPPORT,
        }
    ),
    Role.ASSISTANT: frozenset(
        {Permission.VIEW_PUPIL, Permission.ASSESS, Permission.RECORD_SUPPORT}
    ),
}


@dataclass(frozen=True)
class StaffRole:
    staff_id: int
    school_id: int
    role: Role
    class_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class GuardianRole:
    guardian_id: int
    school_id: int


@dataclass(frozen=True)
class Actor:
    """A Telegram user as the domain sees them: a staff member, a guardian, both or neither."""

    telegram_user_id: int
    staff: StaffRole | None = None
    guardian: GuardianRole | None = None
    language: str | None = None

    @property
    def is_linked(self) -> bool:
        return self.staff is not None or self.guardian is not None


async def resolve_actor(telegram_user_id: int) -> Actor:
    """Load who this Telegram user is (two queries whatever their role)."""
    staff = (
        await Staff.filter(telegram_user_id=telegram_user_id, left_at=None)
        .prefetch_related("classes")
        .first()
    )
    guardian = await Guardian.filter(telegram_user_id=telegram_user_id, left_at=None).first()
    staff_role = None
    if staff is not None:
        staff_role = StaffRole(
            staff_id=staff.id,
            school_id=staff.school_id,
            role=Role(staff.role),
            class_ids=frozenset(c.id for c in staff.classes),
        )
    guardian_role = None
    if guardian is not None:
        guardian_role = GuardianRole(
            guardian_id=guardian.id,
            school_id=guardian.school_id,
        )
    language = (guardian.language if guardian else None) or (staff.language if staff else None)
    return Actor(telegram_user_id, staff_role, guardian_role, language)


def visible_pupils(actor: Actor) -> QuerySet[Pupil]:
    """Pupils this actor may see: own children, own classes, or the whole school."""
    allowed: list[Q] = []
    if actor.staff is not None:
        if actor.staff.role is Role.ADMIN:
            allowed.append(Q(school_id=actor.staff.school_id))
        else:
            allowed.append(
                Q(school_id=actor.staff.school_id, school_class_id__in=list(actor.staff.class_ids))
            )
    if actor.guardian is not None:
        allowed.append(
            Q(
                guardian_links__guardian_id=actor.guardian.guardian_id,
                guardian_links__receives_reports=True,
            )
        )
    if not allowed:
        return Pupil.filter(id__in=[])
    return Pupil.filter(Q(*allowed, join_type=Q.OR), left_at=None).distinct()


def staff_may(actor: Actor, permission: Permission) -> bool:
    return actor.staff is not None and permission in _STAFF_PERMISSIONS[actor.staff.role]


async def require_pupil(actor: Actor, pupil_id: int, permission: Permission) -> Pupil:
    """The pupil, if this actor may do `permission` to them; otherwise NotAllowed.

    A missing pupil and a forbidden one look the same, so probing reveals nothing.
    """
    if permission is Permission.VIEW_PUPIL:
        pupil = await visible_pupils(actor).filter(id=pupil_id).first()
        if pupil is not None:
            return pupil
        raise NotAllowed()
    if not staff_may(actor, permission):
        raise NotAllowed()
    pupil = await visible_pupils(_staff_only(actor)).filter(id=pupil_id).first()
    if pupil is None:
        raise NotAllowed()
    return pupil


def acting_staff_id(actor: Actor) -> int:
    """The staff id behind a staff action; NotAllowed for anyone who is not staff."""
    if actor.staff is None:
        raise NotAllowed()
    return actor.staff.staff_id


def require_school_admin(actor: Actor) -> int:
    """The school id an admin manages; NotAllowed for anyone else."""
    if actor.staff is None or not staff_may(actor, Permission.MANAGE_SCHOOL):
        raise NotAllowed()
    return actor.staff.school_id


def _staff_only(actor: Actor) -> Actor:
    # A teacher who is also a parent changes records as staff, never through a child link.
    return Actor(actor.telegram_user_id, staff=actor.staff)
