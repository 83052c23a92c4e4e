"""What the "My Pupil Profile" picture shows: each area's band per half-term and the targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from models.assessment.tables import Assessment, Expectation
from models.calendar.schools import academic_year_for
from models.calendar.year_calendar import HalfTermSpan, half_term_index, half_terms, year_bounds
from models.common.enums import Area, TargetStatus
from models.common.errors import NotAllowed
from models.people.access import Actor, visible_pupils
from models.targets.tables import Target


@dataclass(frozen=True)
class AreaRow:
    area: Area
    bands: tuple[str | None, ...]  # the latest teacher judgement in each half-term
    expected: str | None  # the end-of-year expectation


@dataclass(frozen=True)
class ProfileTarget:
    area: Area
    text: str
    home_support: str


@dataclass(frozen=True)
class ProfilePicture:
    pupil_id: int
    name: str
    class_name: str | None
    school_name: str
    today: date  # in the school's timezone
    academic_year: str
    half_terms: tuple[HalfTermSpan, ...]
    current: int  # index of the half-term today falls in
    rows: tuple[AreaRow, ...]
    targets: tuple[ProfileTarget, ...]


async def profile_picture(actor: Actor, pupil_id: int, *, now: datetime) -> ProfilePicture:
    """One pupil's year at a glance, if this actor may see them (five queries, any data size)."""
    pupil = (
        await visible_pupils(actor)
        .filter(id=pupil_id)
        .select_related("school", "school_class")
        .first()
    )
    if pupil is None:  # missing and forbidden look the same
        raise NotAllowed()
    school = pupil.school
    today = now.astimezone(ZoneInfo(school.timezone)).date()
    year = academic_year_for(today)
    spans = await half_terms(school.id, year)
    starts, ends = year_bounds(year, school.timezone)
    assessments = await Assessment.filter(
        pupil_id=pupil.id, by_pupil=False, recorded_at__gte=starts, recorded_at__lt=ends
    ).order_by("recorded_at", "id")
    expected = dict(
        await Expectation.filter(pupil_id=pupil.id, academic_year=year).values_list("area", "band")
    )
    targets = await Target.filter(pupil_id=pupil.id, status=TargetStatus.ACTIVE).order_by(
        "set_on", "id"
    )
    return ProfilePicture(
        pupil_id=pupil.id,
        name=pupil.full_name,
        class_name=pupil.school_class.name if pupil.school_class else None,
        school_name=school.name,
        today=today,
        academic_year=year,
        half_terms=spans,
        current=half_term_index(spans, today),
        rows=band_rows(assessments, spans, ZoneInfo(school.timezone), expected),
        targets=tuple(ProfileTarget(Area(t.area), t.text, t.home_support) for t in targets),
    )


def band_rows(
    assessments: list[Assessment],
    spans: tuple[HalfTermSpan, ...],
    zone: ZoneInfo,
    expected: dict[str, str],
) -> tuple[AreaRow, ...]:
    """Each area's latest band per half-term, from judgements in time order."""
    grid: dict[Area, list[str | None]] = {area: [None] * len(spans) for area in Area}
    for assessment in assessments:  # in time order, so the last one in a half-term wins
        day = assessment.recorded_at.astimezone(zone).date()
        grid[Area(assessment.area)][half_term_index(spans, day)] = assessment.band
    return tuple(AreaRow(area, tuple(grid[area]), expected.get(area.value)) for area in Area)
