"""A school a third of the way through its year, with enough history to draw in colour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from PIL import Image

from models import HalfTerm, Pupil, School, SchoolClass
from models.assessment.assessing import record_assessment
from models.assessment.expecting import set_expectation
from models.common.enums import Area, Role, TargetStatus, YearGroup
from models.people.access import resolve_actor
from models.targets.targeting import review_target, set_target
from tests.factories import make_class, make_guardian, make_school, make_staff

YEAR = "2026-27"
NOW = datetime(2027, 1, 20, 10, 0, tzinfo=UTC)  # half-term 3 (spring 1)
HEAD, AMIRA, TOM, ASSISTANT = 100, 103, 104, 105
EWA, IMRAN, RESTRICTED, OLGA = 301, 302, 303, 304
# The school's real 2026-27 dates, holidays between them.
HALF_TERMS = (
    (date(2026, 9, 2), date(2026, 10, 23)),
    (date(2026, 11, 2), date(2026, 12, 18)),
    (date(2027, 1, 5), date(2027, 2, 12)),
    (date(2027, 2, 22), date(2027, 3, 26)),
    (date(2027, 4, 12), date(2027, 5, 28)),
    (date(2027, 6, 7), date(2027, 7, 21)),
)


@dataclass(frozen=True)
class PictureWorld:
    school: int
    c3: int
    c4: int
    maja: int  # 3B, Polish family: a full history
    zainab: int  # 3B, Urdu family
    lily: int  # 3B, judged only last half-term
    jan: int  # 4H


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def pupil(school: School, school_class: SchoolClass, code: str, first: str, last: str) -> int:
    created = await Pupil.create(
        school=school,
        external_id=code,
        first_name=first,
        last_name=last,
        year_group=YearGroup.Y3,
        school_class=school_class,
    )
    return created.id


async def build_world(*, half_terms: bool = True) -> PictureWorld:
    """Oakfield Primary: 3B (Ms Khan and an assistant), 4H (Mr Bennett), a head, families."""
    school = await make_school()
    if half_terms:
        for number, (starts, ends) in enumerate(HALF_TERMS, 1):
            await HalfTerm.create(
                school=school, academic_year=YEAR, number=number, starts_on=starts, ends_on=ends
            )
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    maja = await pupil(school, c3, "P1", "Maja", "Kowalska")
    zainab = await pupil(school, c3, "P2", "Zainab", "Hussain")
    lily = await pupil(school, c3, "P3", "Lily", "Carter")
    jan = await pupil(school, c4, "P4", "Jan", "Nowak")
    await make_staff(school, "H", Role.ADMIN, first_name="Helen", telegram_user_id=HEAD)
    await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=AMIRA)
    await make_staff(school, "T4", Role.TEACHER, (c4,), first_name="Tom", telegram_user_id=TOM)
    await make_staff(
        school, "A3", Role.ASSISTANT, (c3,), first_name="Ana", telegram_user_id=ASSISTANT
    )
    maja_pupil, zainab_pupil = await Pupil.get(id=maja), await Pupil.get(id=zainab)
    await make_guardian(school, "G1", (maja_pupil,), language="pl", telegram_user_id=EWA)
    await make_guardian(
        school, "G2", (zainab_pupil,), language="ur", telegram_user_id=IMRAN, first_name="Imran"
    )
    await make_guardian(
        school, "G3", (maja_pupil,), receives_reports=False, telegram_user_id=RESTRICTED
    )
    await make_guardian(
        school, "G4", (await Pupil.get(id=jan),), telegram_user_id=OLGA, first_name="Olga"
    )
    await _history(maja, zainab, lily, jan)
    return PictureWorld(school.id, c3.id, c4.id, maja, zainab, lily, jan)


async def _history(maja: int, zainab: int, lily: int, jan: int) -> None:
    amira, tom, head = [await resolve_actor(u) for u in (AMIRA, TOM, HEAD)]
    judgements = [
        (maja, Area.READING, "below", date(2026, 9, 15)),
        (maja, Area.READING, "towards", date(2026, 10, 27)),  # the October holiday: half-term 1
        (maja, Area.READING, "towards", date(2026, 11, 20)),
        (maja, Area.READING, "expected", date(2027, 1, 12)),
        (maja, Area.WRITING, "towards", date(2026, 9, 20)),
        (maja, Area.WRITING, "towards", date(2027, 1, 14)),
        (maja, Area.MATHS, "expected", date(2026, 10, 1)),
        (maja, Area.MATHS, "greater_depth", date(2026, 12, 1)),
        (maja, Area.ATTITUDE, "good", date(2026, 9, 10)),
        (maja, Area.BEHAVIOUR, "concern", date(2026, 7, 1)),  # last school year
        (maja, Area.BEHAVIOUR, "mixed", date(2026, 11, 5)),
        (maja, Area.BEHAVIOUR, "good", date(2027, 1, 18)),
        (zainab, Area.READING, "greater_depth", date(2027, 1, 11)),
        (zainab, Area.MATHS, "below", date(2027, 1, 11)),
        (zainab, Area.ORGANISATION, "excellent", date(2027, 1, 11)),
        (lily, Area.READING, "below", date(2026, 12, 2)),  # nothing this half-term
        (jan, Area.MATHS, "expected", date(2027, 1, 13)),
    ]
    for pupil_id, area, band, day in judgements:
        actor = tom if pupil_id == jan else amira
        await record_assessment(actor, pupil_id, area, band, now=at(day))
    # The child's own view is not the teacher's judgement: it stays off the pictures.
    await record_assessment(
        amira, maja, Area.ATTITUDE, "excellent", now=at(date(2027, 1, 15)), by_pupil=True
    )
    for pupil_id, area, band in (
        (maja, Area.READING, "expected"),
        (maja, Area.WRITING, "expected"),
        (maja, Area.MATHS, "greater_depth"),
        (zainab, Area.MATHS, "expected"),
        (lily, Area.READING, "expected"),
    ):
        await set_expectation(head, pupil_id, area, band, academic_year=YEAR)
    await set_expectation(head, maja, Area.ATTENDANCE, "excellent", academic_year="2025-26")
    await set_target(
        amira,
        maja,
        Area.READING,
        "Reads aloud with expression, pausing at full stops",
        "Read a page together and take turns",
        now=at(date(2026, 11, 20)),
    )
    await set_target(
        amira, maja, Area.WRITING, "Uses capital letters in every sentence", "", now=NOW
    )
    done = await set_target(
        amira, maja, Area.MATHS, "Knows the 3 times table", "", now=at(date(2026, 10, 1))
    )
    await review_target(amira, done.id, TargetStatus.ACHIEVED, now=at(date(2026, 12, 1)))


def pixel(image: Image.Image, box: tuple[float, float, float, float]) -> tuple[int, int, int]:
    """A cell's colour, read inside its lower corner (away from its dots and marks)."""
    left, _, _, bottom = box
    value = image.getpixel((round(left) + 12, round(bottom) - 12))
    assert isinstance(value, tuple)
    return (value[0], value[1], value[2])
