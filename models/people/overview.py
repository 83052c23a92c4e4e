"""Read-only summaries for each role: a guardian's children, a teacher's classes, the school."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.functions import Count

from models.calendar.school import School
from models.common.enums import Role
from models.common.errors import NotAllowed
from models.people.access import Actor, require_school_admin, visible_pupils
from models.people.pupils import PupilView, pupil_view
from models.people.tables import Guardian, GuardianLink, Pupil, SchoolClass, Staff


@dataclass(frozen=True)
class ChildSummary:
    pupil_id: int
    name: str
    class_name: str | None
    teachers: tuple[str, ...]


@dataclass(frozen=True)
class ClassSummary:
    class_id: int
    name: str
    pupils: int
    pupils_with_linked_guardian: int


@dataclass(frozen=True)
class SchoolSummary:
    name: str
    pupils: int
    classes: int
    staff: int
    staff_linked: int
    guardians: int
    guardians_linked: int


async def children_of(actor: Actor) -> list[ChildSummary]:
    """A guardian's children who may be reported on, with their class and teachers."""
    if actor.guardian is None:
        raise NotAllowed()
    guardian_only = Actor(actor.telegram_user_id, guardian=actor.guardian)
    pupils = (
        await visible_pupils(guardian_only)
        .order_by("first_name", "last_name")
        .prefetch_related("school_class__staff")
    )
    return [
        ChildSummary(
            pupil_id=p.id,
            name=p.full_name,
            class_name=p.school_class.name if p.school_class else None,
            teachers=tuple(
                sorted(
                    s.full_name
                    for s in (p.school_class.staff if p.school_class else [])
                    if s.left_at is None
                )
            ),
        )
        for p in pupils
    ]


async def classes_of(actor: Actor) -> list[ClassSummary]:
    """The classes a staff member works with (all of them for a senior leader)."""
    if actor.staff is None:
        raise NotAllowed()
    staff_only = Actor(actor.telegram_user_id, staff=actor.staff)
    classes = SchoolClass.filter(school_id=actor.staff.school_id)
    if actor.staff.role is not Role.ADMIN:
        classes = classes.filter(id__in=list(actor.staff.class_ids))
    class_rows = await classes.order_by("name")
    pupil_counts = dict(
        await visible_pupils(staff_only)
        .filter(school_class_id__in=[c.id for c in class_rows])
        .annotate(n=Count("id", distinct=True))
        .group_by("school_class_id")
        .values_list("school_class_id", "n")
    )
    linked_counts = dict(
        await GuardianLink.filter(
            pupil__school_class_id__in=[c.id for c in class_rows],
            pupil__left_at=None,
            guardian__telegram_user_id__not_isnull=True,
        )
        .annotate(n=Count("pupil_id", distinct=True))
        .group_by("pupil__school_class_id")
        .values_list("pupil__school_class_id", "n")
    )
    return [
        ClassSummary(c.id, c.name, pupil_counts.get(c.id, 0), linked_counts.get(c.id, 0))
        for c in class_rows
    ]


@dataclass(frozen=True)
class ClassRef:
    class_id: int
    name: str


async def class_list(actor: Actor) -> list[ClassRef]:
    """The classes a staff member may pick from (every class for a senior leader)."""
    if actor.staff is None:
        raise NotAllowed()
    classes = SchoolClass.filter(school_id=actor.staff.school_id)
    if actor.staff.role is not Role.ADMIN:
        classes = classes.filter(id__in=list(actor.staff.class_ids))
    return [ClassRef(c.id, c.name) for c in await classes.order_by("name")]


async def class_pupils(actor: Actor, class_id: int) -> list[PupilView]:
    """A class's pupils in register order, if this staff member may see them."""
    if actor.staff is None:
        raise NotAllowed()
    staff_only = Actor(actor.telegram_user_id, staff=actor.staff)
    pupils = await (
        visible_pupils(staff_only)
        .filter(school_class_id=class_id)
        .order_by("last_name", "first_name", "id")
    )
    return [pupil_view(pupil) for pupil in pupils]


async def school_overview(actor: Actor) -> SchoolSummary:
    """The whole school at a glance, for senior leaders."""
    school_id = require_school_admin(actor)
    school = await School.get(id=school_id)
    staff = Staff.filter(school_id=school_id, left_at=None)
    guardians = Guardian.filter(school_id=school_id, left_at=None)
    return SchoolSummary(
        name=school.name,
        pupils=await Pupil.filter(school_id=school_id, left_at=None).count(),
        classes=await SchoolClass.filter(school_id=school_id).count(),
        staff=await staff.count(),
        staff_linked=await staff.filter(telegram_user_id__not_isnull=True).count(),
        guardians=await guardians.count(),
        guardians_linked=await guardians.filter(telegram_user_id__not_isnull=True).count(),
    )
