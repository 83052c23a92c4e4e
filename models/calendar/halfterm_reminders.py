"""Half-termly reminders, planned from the term calendar into the outbox.

Two windows per half-term, in the school's timezone:
- teachers: from 08:00 seven days before the half-term's last day until that day ends. Each
  class teacher (linked, not left, with pupils on roll) gets one `halfterm_teacher` row.
- families: from 15:30 on the half-term's last day until the next half-term starts (at most
  ten weeks, longer than any school holiday). Each guardian who receives reports gets one
  `halfterm_summary` row per child.

Planning runs every tick on the leading process and at start-up. A window is planned once:
its rows and an audit entry saying so are written in one transaction, so a restart finds the
entry and adds nothing, while a window that opened while no process ran is planned on the
next tick, as long as it is still open. Idempotency keys (`ht-teacher-<half-term>-s<staff>`,
`ht-summary-<half-term>-p<pupil>-g<guardian>`) make a second planner's rows collide rather
than repeat. When nothing is due this costs one query; when every open window is planned, two.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from tortoise.expressions import Subquery
from tortoise.transactions import in_transaction

from models.calendar.notices import HalfTermNotice
from models.calendar.school import HalfTerm, School
from models.calendar.term_calendar import HalfTermView, year_range
from models.common.audit import AuditEntry
from models.common.enums import Role
from models.delivery.outbox import Notification
from models.delivery.policy import parse_clock, quiet_ends_after
from models.people.tables import GuardianLink, Pupil, Staff

TEACHER_KIND = HalfTermNotice.HALFTERM_TEACHER
SUMMARY_KIND = HalfTermNotice.HALFTERM_SUMMARY
TEACHER_DAYS_BEFORE = 7
TEACHER_FROM = time(8, 0)
SUMMARY_FROM = time(15, 30)
MAX_HOLIDAY = timedelta(weeks=10)
# Candidate half-terms: ended within the longest summary window, or ending within a teacher
# window; a day either way covers every timezone. Their successors fall in the same range.
_BEHIND = MAX_HOLIDAY + timedelta(days=1)
_AHEAD = MAX_HOLIDAY + timedelta(days=TEACHER_DAYS_BEFORE + 2)
_BATCH = 1000


class Audience(StrEnum):
    TEACHERS = "halfterm_teachers_planned"
    FAMILIES = "halfterm_summaries_planned"


@dataclass(frozen=True)
class DueWindow:
    half_term: HalfTerm
    school: School
    audience: Audience


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone)


def teacher_window(half_term: HalfTerm | HalfTermView, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """08:00 a week before the last day, until the half-term ends (midnight after it)."""
    last = half_term.ends_on
    return (
        _at(last - timedelta(days=TEACHER_DAYS_BEFORE), TEACHER_FROM, zone),
        _at(last + timedelta(days=1), time.min, zone),
    )


def summary_window(
    half_term: HalfTerm | HalfTermView, next_starts_on: date | None, zone: ZoneInfo
) -> tuple[datetime, datetime]:
    """15:30 on the last day, until the next half-term starts (at most MAX_HOLIDAY later)."""
    closes_on = half_term.ends_on + MAX_HOLIDAY
    bounds = year_range(half_term.academic_year)
    if next_starts_on is not None:
        closes_on = min(closes_on, next_starts_on)
    elif bounds is not None:  # no next half-term stored: the new school year begins
        closes_on = min(closes_on, bounds[1] + timedelta(days=1))
    return _at(half_term.ends_on, SUMMARY_FROM, zone), _at(closes_on, time.min, zone)


def teacher_key(half_term_id: int, staff_id: int) -> str:
    return f"ht-teacher-{half_term_id}-s{staff_id}"


def summary_key(half_term_id: int, pupil_id: int, guardian_id: int) -> str:
    return f"ht-summary-{half_term_id}-p{pupil_id}-g{guardian_id}"


async def plan_halfterm_reminders(*, now: datetime) -> int:
    """Queue every half-termly reminder due at `now` and not yet planned; returns rows queued."""
    due = await _open_windows(now)
    if not due:
        return 0
    planned = set(
        await AuditEntry.filter(
            action__in=[a.value for a in Audience],
            subject_kind="half_term",
            subject_id__in=sorted({d.half_term.id for d in due}),
        ).values_list("action", "subject_id")
    )
    todo = [d for d in due if (d.audience.value, d.half_term.id) not in planned]
    if not todo:
        return 0
    schools = {d.school.id for d in todo if d.audience is Audience.TEACHERS}
    teachers = await _teachers(schools) if schools else {}
    schools = {d.school.id for d in todo if d.audience is Audience.FAMILIES}
    families = await _families(schools) if schools else {}
    queued = 0
    for window in todo:
        if window.audience is Audience.TEACHERS:
            rows = _teacher_rows(window, teachers.get(window.school.id, []), now)
        else:
            rows = _summary_rows(window, families.get(window.school.id, []), now)
        queued += await _queue(window, rows)
    return queued


async def _open_windows(now: datetime) -> list[DueWindow]:
    """The half-terms with a window open at `now` (one query)."""
    today = now.date()
    rows = (
        await HalfTerm.filter(ends_on__gte=today - _BEHIND, starts_on__lte=today + _AHEAD)
        .select_related("school")
        .order_by("school_id", "starts_on")
    )
    due: list[DueWindow] = []
    for index, row in enumerate(rows):
        school: School = row.school
        zone = ZoneInfo(school.timezone)
        opens, closes = teacher_window(row, zone)
        if opens <= now < closes:
            due.append(DueWindow(row, school, Audience.TEACHERS))
        later = (r for r in rows[index + 1 :] if r.school.id == school.id)
        following = next((r for r in later if r.starts_on > row.ends_on), None)
        opens, closes = summary_window(row, following.starts_on if following else None, zone)
        if opens <= now < closes:
            due.append(DueWindow(row, school, Audience.FAMILIES))
    return due


async def _teachers(school_ids: set[int]) -> dict[int, list[dict[str, int]]]:
    """Linked class teachers (and leaders with a class) whose classes have pupils on roll."""
    classes_on_roll = Pupil.filter(
        school_id__in=sorted(school_ids), left_at=None, school_class_id__not_isnull=True
    ).values("school_class_id")
    found = (
        await Staff.filter(
            school_id__in=sorted(school_ids),
            role__in=[Role.TEACHER, Role.ADMIN],
            left_at=None,
            telegram_user_id__not_isnull=True,
            classes__id__in=Subquery(classes_on_roll),
        )
        .distinct()
        .order_by("id")
        .values("id", "school_id", "telegram_user_id")
    )
    by_school: dict[int, list[dict[str, int]]] = defaultdict(list)
    for staff in found:
        by_school[staff["school_id"]].append(staff)
    return by_school


async def _families(school_ids: set[int]) -> dict[int, list[dict[str, int]]]:
    """Every reachable guardian who receives reports, with each child on roll."""
    links = (
        await GuardianLink.filter(
            pupil__school_id__in=sorted(school_ids),
            pupil__left_at=None,
            receives_reports=True,
            guardian__telegram_user_id__not_isnull=True,
            guardian__left_at=None,
            guardian__unreachable_at=None,
        )
        .order_by("pupil_id", "guardian_id")
        .values("guardian_id", "pupil_id", "guardian__school_id", "guardian__telegram_user_id")
    )
    by_school: dict[int, list[dict[str, int]]] = defaultdict(list)
    for link in links:
        by_school[link["guardian__school_id"]].append(link)
    return by_school


def _teacher_rows(
    window: DueWindow, teachers: list[dict[str, int]], now: datetime
) -> list[Notification]:
    school, half_term_id = window.school, window.half_term.id
    zone = ZoneInfo(school.timezone)
    # Teachers' notes are not routine news for the delivery policy; keep them out of the night.
    morning = quiet_ends_after(
        now, zone, parse_clock(school.quiet_starts), parse_clock(school.quiet_ends)
    )
    return [
        Notification(
            school_id=school.id,
            staff_id=staff["id"],
            chat_id=staff["telegram_user_id"],
            kind=TEACHER_KIND,
            params={"half_term_id": half_term_id},
            due_at=morning or now,
            idempotency_key=teacher_key(half_term_id, staff["id"]),
        )
        for staff in teachers
    ]


def _summary_rows(
    window: DueWindow, links: list[dict[str, int]], now: datetime
) -> list[Notification]:
    half_term_id = window.half_term.id
    return [
        Notification(
            school_id=window.school.id,
            guardian_id=link["guardian_id"],
            chat_id=link["guardian__telegram_user_id"],
            kind=SUMMARY_KIND,
            params={"half_term_id": half_term_id, "pupil_id": link["pupil_id"]},
            due_at=now,
            idempotency_key=summary_key(half_term_id, link["pupil_id"], link["guardian_id"]),
        )
        for link in links
    ]


async def _queue(window: DueWindow, rows: list[Notification]) -> int:
    """The window's new rows and the entry that marks it planned, in one transaction."""
    prefix = "ht-teacher-" if window.audience is Audience.TEACHERS else "ht-summary-"
    async with in_transaction():
        existing = set(
            await Notification.filter(
                idempotency_key__startswith=f"{prefix}{window.half_term.id}-"
            ).values_list("idempotency_key", flat=True)
        )
        fresh = [row for row in rows if row.idempotency_key not in existing]
        if fresh:
            await Notification.bulk_create(fresh, batch_size=_BATCH)
        await AuditEntry.create(
            school_id=window.school.id,
            actor_kind="system",
            action=window.audience.value,
            subject_kind="half_term",
            subject_id=window.half_term.id,
            details={"queued": len(fresh)},
        )
    return len(fresh)
