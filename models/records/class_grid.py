"""What the class grid picture shows: every pupil's latest band per area, and who is behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.assessment.bands import Progress, progress
from models.assessment.tables import Assessment, Expectation
from models.calendar.schools import academic_year_for
from models.calendar.year_calendar import HalfTermSpan, half_term_index, half_terms, year_bounds
from models.common.enums import Area, Role
from models.common.errors import NotAllowed
from models.people.access import Actor, visible_pupils
from models.people.tables import SchoolClass


@dataclass(frozen=True)
class GridCell:
    band: str | None  # the latest judgement this half-term; None shows as empty
    expected: str | None
    behind: bool  # the latest judgement this year is below the expectation


@dataclass(frozen=True)
class GridRow:
    pupil_id: int
    name: str
    cells: tuple[GridCell, ...]  # one per area, in `Area` order

    @property
    def behind(self) -> bool:
        return any(cell.behind for cell in self.cells)


@dataclass(frozen=True)
class ClassGrid:
    class_id: int
    class_name: str
    school_name: str
    today: date  # in the school's timezone
    half_term: HalfTermSpan
    areas: tuple[Area, ...]
    rows: tuple[GridRow, ...]


async def class_grid(actor: Actor, class_id: int, *, now: datetime) -> ClassGrid:
    """A class's grid for its teachers and senior leaders (five queries, any class size)."""
    if actor.staff is None:
        raise NotAllowed()
    if actor.staff.role is not Role.ADMIN and class_id not in actor.staff.class_ids:
        raise NotAllowed()
    school_class = (
        await SchoolClass.filter(id=class_id, school_id=actor.staff.school_id)
        .select_related("school")
        .first()
    )
    if school_class is None:
        raise NotAllowed()
    school = school_class.school
    zone = ZoneInfo(school.timezone)
    today = now.astimezone(zone).date()
    year = academic_year_for(today)
    spans = await half_terms(school.id, year)
    current = half_term_index(spans, today)
    staff_only = Actor(actor.telegram_user_id, staff=actor.staff)
    pupils = await (
        visible_pupils(staff_only)
        .filter(school_class_id=class_id)
        .order_by("last_name", "first_name", "id")
    )
    ids = [pupil.id for pupil in pupils]
    starts, ends = year_bounds(year, school.timezone)
    assessments = await Assessment.filter(
        pupil_id__in=ids, by_pupil=False, recorded_at__gte=starts, recorded_at__lt=ends
    ).order_by("recorded_at", "id")
    expected = {
        (pupil_id, Area(area)): band
        for pupil_id, area, band in await Expectation.filter(
            pupil_id__in=ids, academic_year=year
        ).values_list("pupil_id", "area", "band")
    }
    latest: dict[tuple[int, Area], str] = {}
    this_half_term: dict[tuple[int, Area], str] = {}
    for assessment in assessments:  # in time order, so the last one wins
        key = (assessment.pupil_id, Area(assessment.area))
        latest[key] = assessment.band
        if half_term_index(spans, assessment.recorded_at.astimezone(zone).date()) == current:
            this_half_term[key] = assessment.band
    rows = tuple(
        GridRow(
            pupil.id,
            pupil.full_name,
            tuple(_cell(area, (pupil.id, area), latest, this_half_term, expected) for area in Area),
        )
        for pupil in pupils
    )
    return ClassGrid(
        class_id=school_class.id,
        class_name=school_class.name,
        school_name=school.name,
        today=today,
        half_term=spans[current],
        areas=tuple(Area),
        rows=rows,
    )


def _cell(
    area: Area,
    key: tuple[int, Area],
    latest: dict[tuple[int, Area], str],
    this_half_term: dict[tuple[int, Area], str],
    expected: dict[tuple[int, Area], str],
) -> GridCell:
    behind = progress(area, latest.get(key), expected.get(key)) is Progress.BEHIND
    return GridCell(band=this_half_term.get(key), expected=expected.get(key), behind=behind)
