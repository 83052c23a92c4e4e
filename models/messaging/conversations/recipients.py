"""Who a family's message about a child reaches, and who may answer it.

It is for the child's class teachers (linked to the bot, not left); a class without one
writes to the office, the school's senior leaders. A teacher who is away (`StaffAbsence`)
passes their messages to their cover, or to the office when no colleague covers (or the
colleague is away too). Answering is for the class teachers, whoever covers for one of them
right now, and senior leaders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.expressions import Q

from models.common.enums import Role
from models.messaging.tables import StaffAbsence
from models.people.access import StaffRole
from models.people.tables import Pupil, SchoolClass, Staff


@dataclass(frozen=True)
class Person:
    staff_id: int
    name: str


@dataclass(frozen=True)
class Recipient:
    """Someone who gets the message now; `covering` names the away teachers it was for."""

    staff_id: int
    chat_id: int
    name: str
    covering: tuple[int, ...] = ()


@dataclass(frozen=True)
class Away:
    """A class teacher who is away, and who covers (None: the office)."""

    person: Person
    cover: Person | None


@dataclass(frozen=True)
class Routing:
    addressees: tuple[Person, ...]  # the class teachers (none: the office)
    recipients: tuple[Recipient, ...]
    away: tuple[Away, ...] = field(default=())

    @property
    def for_staff_id(self) -> int | None:
        """Whom the message is for: the first class teacher, else the first leader."""
        if self.addressees:
            return self.addressees[0].staff_id
        return self.recipients[0].staff_id if self.recipients else None


def active_absence(now: datetime) -> Q:
    """Absences under way at `now`."""
    return Q(starts_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def _reachable(staff: Staff | None, school_id: int) -> bool:
    return (
        staff is not None
        and staff.school_id == school_id
        and staff.left_at is None
        and staff.telegram_user_id is not None
    )


async def routings(
    school_id: int, class_ids: Iterable[int | None], *, now: datetime
) -> dict[int | None, Routing]:
    """The routing of a message for each class (None: a pupil without a class); four queries."""
    wanted = set(class_ids)
    classes = await SchoolClass.filter(
        school_id=school_id, id__in=sorted(c for c in wanted if c is not None)
    ).prefetch_related("staff")
    absences = {
        a.staff_id: a
        for a in await StaffAbsence.filter(active_absence(now), staff__school_id=school_id)
        .select_related("cover")
        .order_by("id")
    }
    leaders = [
        s
        for s in await Staff.filter(school_id=school_id, role=Role.ADMIN).order_by("id")
        if _reachable(s, school_id)
    ]
    teachers: dict[int | None, list[Staff]] = {c: [] for c in wanted}
    for school_class in classes:
        teachers[school_class.id] = sorted(
            (s for s in school_class.staff if s.role == Role.TEACHER and _reachable(s, school_id)),
            key=lambda s: s.id,
        )
    return {c: _route(teachers[c], absences, leaders, school_id) for c in wanted}


def _route(
    teachers: list[Staff],
    absences: dict[int, StaffAbsence],
    leaders: list[Staff],
    school_id: int,
) -> Routing:
    chosen: dict[int, tuple[Staff, list[int]]] = {}
    away: list[Away] = []
    office_for: list[int] = []
    for teacher in teachers:
        absence = absences.get(teacher.id)
        if absence is None:
            chosen.setdefault(teacher.id, (teacher, []))
            continue
        cover: Staff | None = absence.cover
        if cover is not None and _reachable(cover, school_id) and cover.id not in absences:
            chosen.setdefault(cover.id, (cover, []))[1].append(teacher.id)
            away.append(Away(_person(teacher), _person(cover)))
        else:
            office_for.append(teacher.id)
            away.append(Away(_person(teacher), None))
    if not teachers or office_for:
        present = [s for s in leaders if s.id not in absences]
        # Everyone in the office away: they still get it, rather than nobody.
        for leader in present or leaders:
            chosen.setdefault(leader.id, (leader, []))[1].extend(office_for)
    recipients = tuple(
        Recipient(s.id, int(s.telegram_user_id or 0), s.full_name, tuple(covering))
        for s, covering in chosen.values()
    )
    return Routing(tuple(_person(t) for t in teachers), recipients, tuple(away))


def _person(staff: Staff) -> Person:
    return Person(staff.id, staff.full_name)


async def answerable_classes(staff: StaffRole, *, now: datetime) -> frozenset[int] | None:
    """The classes whose families this staff member may answer; None: the whole school.

    Class teachers answer their own classes, senior leaders every class, and anyone covering
    for an away class teacher that teacher's classes, while the absence lasts (two queries).
    """
    if staff.role is Role.ADMIN:
        return None
    own = staff.class_ids if staff.role is Role.TEACHER else frozenset()
    covered: list[int] = await StaffAbsence.filter(  # type: ignore[assignment]
        active_absence(now),
        cover_id=staff.staff_id,
        staff__role=Role.TEACHER,
        staff__left_at=None,
        staff__school_id=staff.school_id,
    ).values_list("staff_id", flat=True)
    if not covered:
        return frozenset(own)
    theirs: list[int] = await SchoolClass.filter(  # type: ignore[assignment]
        staff__id__in=covered
    ).values_list("id", flat=True)
    return frozenset(own) | frozenset(theirs)


async def may_answer(staff: StaffRole, pupil: Pupil, *, now: datetime) -> bool:
    """Whether this staff member may answer (or mark read) a family's message about `pupil`."""
    if staff.school_id != pupil.school_id:
        return False
    classes = await answerable_classes(staff, now=now)
    return classes is None or (
        pupil.school_class_id is not None and pupil.school_class_id in classes
    )


async def staff_names(staff_ids: list[int]) -> list[str]:
    """Staff members' names, in the order given (one query)."""
    if not staff_ids:
        return []
    names = {s.id: s.full_name for s in await Staff.filter(id__in=sorted(set(staff_ids)))}
    return [names[i] for i in staff_ids if i in names]
