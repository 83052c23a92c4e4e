"""A school with a term of records and a meeting today, for the PDF documents' tests."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from bot.documents.fonts import NASKH, NASTALIQ, NOTO_SANS
from models import (
    Booking,
    GuardianLink,
    MentoringRound,
    Pupil,
    School,
    SchoolClass,
    Slot,
    Target,
)
from models.assessment.assessing import add_note, record_assessment
from models.assessment.expecting import set_expectation
from models.calendar.schools import academic_year_for
from models.common.enums import Area, BookingStatus, Role, SupportKind, TargetStatus, YearGroup
from models.meetings.booking import record_meeting
from models.people.access import resolve_actor
from models.targets.targeting import acknowledge_target, record_support, review_target, set_target
from tests.factories import make_class, make_guardian, make_school, make_staff

ZONE = ZoneInfo("Europe/London")
HEAD, AMIRA, BEN, ASSISTANT = 100, 103, 104, 105
EWA, PIOTR, BILAL, OLENA, RESTRICTED, ADAM = 301, 302, 303, 304, 306, 307
STAFF_NOTE = "Referral to the school nurse"
NOTES = "Settled and happy in class; reading at home has made a real difference."
CHILD_VOICE = "I like reading to my cat. Maths is hard but fun."
CAPITALS = "Uses capital letters and full stops in every sentence"
FOURS = "Counts in fours to 48"
READS_ALOUD = "Reads aloud for ten minutes every day"
AT_HOME = "Ask her about her book at bedtime"
PHONICS = "Phonics group three times a week"
HELPER = "Mrs Patel (TA)"


@dataclass(frozen=True)
class DocumentWorld:
    school: int
    c3: int
    c4: int
    maja: int  # 3B: Ewa (Polish) and Piotr share her meetings; Adam books separately
    zara: int  # 3B: Bilal writes in Urdu
    jan: int  # 4H: Olena writes in Ukrainian
    maja_booking: int  # started a few minutes ago, today
    zara_booking: int  # tomorrow
    round_id: int


def school_today() -> datetime:
    return datetime.now(ZONE)


async def _pupil(
    school: School, school_class: SchoolClass, code: str, first: str, last: str
) -> Pupil:
    return await Pupil.create(
        school=school,
        external_id=code,
        first_name=first,
        last_name=last,
        year_group=YearGroup.Y3 if school_class.name == "3B" else YearGroup.Y4,
        school_class=school_class,
    )


async def _booking(round_id: int, staff_id: int, pupil_id: int, starts: datetime) -> int:
    slot = await Slot.create(
        round_id=round_id,
        staff_id=staff_id,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=10),
    )
    booking = await Booking.create(
        slot=slot,
        holds_slot=slot.id,
        holds_family=f"{round_id}:{pupil_id}",
        pupil_id=pupil_id,
        status=BookingStatus.CONFIRMED,
    )
    return booking.id


async def build_world() -> DocumentWorld:
    """Oakfield: a head, two teachers, an assistant; Maja with a term of judgements and targets."""
    school = await make_school()
    c3, c4 = await make_class(school, "3B"), await make_class(school, "4H")
    await make_staff(school, "H", Role.ADMIN, first_name="Helen", telegram_user_id=HEAD)
    amira = await make_staff(school, "T3", Role.TEACHER, (c3,), telegram_user_id=AMIRA)
    await make_staff(school, "T4", Role.TEACHER, (c4,), "Ben", telegram_user_id=BEN)
    await make_staff(school, "A3", Role.ASSISTANT, (c3,), "Sam", telegram_user_id=ASSISTANT)
    maja = await _pupil(school, c3, "P1", "Maja", "Nowak")
    zara = await _pupil(school, c3, "P2", "Zara", "Hussain")
    jan = await _pupil(school, c4, "P3", "Jan", "Kowalenko")
    await make_guardian(school, "G1", (maja,), "pl", telegram_user_id=EWA)
    await make_guardian(school, "G2", (maja,), "en", telegram_user_id=PIOTR, first_name="Piotr")
    await make_guardian(school, "G3", (zara,), "ur", telegram_user_id=BILAL, first_name="Bilal")
    await make_guardian(school, "G4", (jan,), "uk", telegram_user_id=OLENA, first_name="Olena")
    await make_guardian(
        school,
        "G5",
        (maja,),
        receives_reports=False,
        telegram_user_id=RESTRICTED,
        first_name="Kasia",
    )
    adam = await make_guardian(school, "G6", (maja,), telegram_user_id=ADAM, first_name="Adam")
    await GuardianLink.filter(guardian_id=adam.id).update(separate=True)
    now = datetime.now(UTC)
    await _history(maja.id, now)
    midnight = datetime.combine(school_today().date(), time(), ZONE).astimezone(UTC)
    started = max(now - timedelta(minutes=5), midnight).replace(second=0, microsecond=0)
    today = school_today().date()
    mentoring_round = await MentoringRound.create(
        school=school,
        academic_year=academic_year_for(today),
        number=1,
        name="Autumn meetings",
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=7),
    )
    return DocumentWorld(
        school=school.id,
        c3=c3.id,
        c4=c4.id,
        maja=maja.id,
        zara=zara.id,
        jan=jan.id,
        maja_booking=await _booking(mentoring_round.id, amira.id, maja.id, started),
        zara_booking=await _booking(mentoring_round.id, amira.id, zara.id, now + timedelta(days=1)),
        round_id=mentoring_round.id,
    )


async def _history(maja: int, now: datetime) -> None:
    """A term of Maja's records, written through the domain as staff and family would."""
    amira, head, ewa = [await resolve_actor(u) for u in (AMIRA, HEAD, EWA)]
    year = academic_year_for(school_today().date())
    earlier = now - timedelta(days=40)
    for area, band, own in (
        (Area.READING, "expected", "greater_depth"),
        (Area.WRITING, "towards", "expected"),
        (Area.MATHS, "greater_depth", None),
        (Area.ORGANISATION, "mixed", "good"),
        (Area.BEHAVIOUR, "excellent", None),
    ):
        first = "below" if area.is_attainment else "concern"
        await record_assessment(amira, maja, area, first, now=earlier)
        await record_assessment(amira, maja, area, band, now=now - timedelta(days=3))
        if own:
            await record_assessment(
                amira, maja, area, own, now=now - timedelta(days=3), by_pupil=True
            )
    noted = await record_assessment(
        amira, maja, Area.ATTENDANCE, "good", now=now - timedelta(days=2)
    )
    await add_note(amira, noted.id, "Late twice after the dentist")
    for area, band in (
        (Area.READING, "expected"),
        (Area.WRITING, "expected"),
        (Area.MATHS, "expected"),
    ):
        await set_expectation(head, maja, area, band, academic_year=year)
    await set_expectation(head, maja, Area.BEHAVIOUR, "good", academic_year=year)
    capitals = await set_target(
        amira, maja, Area.WRITING, CAPITALS, "Read her story back together", now=earlier
    )
    await set_target(amira, maja, Area.MATHS, FOURS, "", now=earlier)
    await acknowledge_target(ewa, capitals.id)
    await record_support(
        amira,
        maja,
        SupportKind.GROUP,
        PHONICS,
        HELPER,
        starts_on=earlier.date(),
        review_on=(now + timedelta(days=30)).date(),
    )


async def hold_meeting(world: DocumentWorld) -> int:
    """Maja's meeting: capitals achieved, fours carried over, a new reading target; the record."""
    amira = await resolve_actor(AMIRA)
    now = datetime.now(UTC)
    active = await Target.filter(pupil_id=world.maja, status=TargetStatus.ACTIVE)
    targets = {t.text: t.id for t in active}
    await review_target(amira, targets[CAPITALS], TargetStatus.ACHIEVED, now=now)
    await review_target(amira, targets[FOURS], TargetStatus.CARRIED_OVER, now=now)
    await set_target(amira, world.maja, Area.READING, READS_ALOUD, AT_HOME, now=now)
    record = await record_meeting(
        amira,
        world.maja_booking,
        notes=NOTES,
        child_voice=CHILD_VOICE,
        parent_attended=True,
        staff_notes=STAFF_NOTE,
        now=now,
    )
    return record.id


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, page after page."""
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@cache
def _covered() -> frozenset[int]:
    codes: set[int] = set()
    for family in (NOTO_SANS, NASKH, NASTALIQ):
        font = TTFont(family.regular, lazy=True)
        try:
            codes |= set(font.getBestCmap())
        finally:
            font.close()
    return frozenset(codes)


def uncovered(text: str) -> set[str]:
    """Printable characters of the text no shipped font has: they would print as empty boxes.

    (Nastaliq's stacked glyphs come back from the PDF with control characters among them.)
    """
    printable = (ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zs"))
    return {ch for ch in printable if not ch.isspace() and ord(ch) not in _covered()}
