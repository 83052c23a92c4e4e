"""The demo school, Oakfield Primary, built through the domain as a real school would be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.i18n import RTL_LOCALES
from models.assessment.assessing import record_assessment
from models.assessment.expecting import set_expectation
from models.calendar.school import School
from models.calendar.schools import academic_year_for, ensure_school
from models.calendar.terms_import import import_terms
from models.common.enums import ATTAINMENT_AREAS, Area, Role, YearGroup, bands_for, scale_for
from models.meetings.availability import AvailabilityRequest, open_availability
from models.meetings.rounds import create_round
from models.people.access import Actor, StaffRole, resolve_actor
from models.people.invitations import FailedAttempts, issue_invite, redeem_invite
from models.people.roster import import_roster
from models.people.tables import Guardian, Pupil, Staff
from models.targets.content import bank_targets, home_ideas
from models.targets.targeting import acknowledge_target, set_target

ROSTER = Path(__file__).resolve().parents[2] / "examples" / "roster"
SCHOOL_NAME = "Oakfield Primary"
TIMEZONE = "Europe/London"
BOT_USERNAME = "oakfield_mentor_bot"
JUDGED_AREAS = (Area.READING, Area.WRITING, Area.MATHS, Area.ATTITUDE, Area.BEHAVIOUR)
JUDGED_DAYS_AGO = (38, 24, 9)  # about a half-term, oldest first
BOOKING_DAYS = 3


@dataclass(frozen=True)
class DemoPerson:
    """One phone on the page: who it belongs to and what to try on it."""

    user_id: int
    external_id: str  # staff_id in staff.csv or contact_id in contacts.csv
    first_name: str
    last_name: str
    role: str
    language: str
    hint: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def rtl(self) -> bool:
        return self.language in RTL_LOCALES

    @property
    def is_staff(self) -> bool:
        return self.external_id.startswith("ST")


# Display order: head, teacher A, teacher B, then guardians of children in teacher A's class.
PEOPLE = (
    DemoPerson(9001, "ST01", "Helen", "Whitaker", "Head teacher", "en",
               "Try /school for the school at a glance, or /expect to set expectations."),
    DemoPerson(9002, "ST02", "Amira", "Khan", "Teacher, class 3B", "en",
               "Try /target maja: set Maja a target, then watch her mum's phone."),
    DemoPerson(9003, "ST03", "Tom", "Bennett", "Teacher, class 4H", "en",
               "Try /sweep to judge class 4H in one message, or /availability."),
    DemoPerson(9004, "C001", "Ewa", "Nowak", "Mum of Maja (3B) and Kacper (Reception)", "pl",
               "Polish. Book a meeting from the invitation, then try /profile."),
    DemoPerson(9005, "C003", "Imran", "Hussain", "Dad of Zainab (3B)", "ur",
               "Urdu, right to left. Try /targets, or press a time in the invitation."),
    DemoPerson(9006, "C006", "Sarah", "Carter", "Mum of Lily (3B)", "en",
               "Try /profile, or /language to read the bot in another language."),
)  # fmt: skip


@dataclass(frozen=True)
class DemoSchool:
    """What was built, for the runner's log and the tests."""

    school_id: int
    round_id: int
    slots: int
    booking_days: tuple[date, ...]


async def build_demo_school(now: datetime) -> DemoSchool:
    """Import the example roster, then add a half-term of records and an open meeting round."""
    zone = ZoneInfo(TIMEZONE)
    today = now.astimezone(zone).date()
    school = await ensure_school(SCHOOL_NAME, TIMEZONE, "en", today)
    # The demo is tried at any hour: quiet hours would hold its messages until the morning.
    await School.filter(id=school.id).update(quiet_starts="00:00", quiet_ends="00:00")
    files = {name: ROSTER / f"{name}.csv" for name in ("staff", "pupils", "contacts")}
    await import_roster(school, **files, now=now - timedelta(days=45))
    head, amira, tom, grace = [await _staff_actor(f"ST0{n}") for n in (1, 2, 3, 4)]
    class_teacher = {c: t for t in (amira, tom, grace) if t.staff for c in t.staff.class_ids}
    year = academic_year_for(today)
    terms = ROSTER.parent / f"terms-{year}.csv"  # the example calendar, when it is this year's
    if terms.exists():
        await import_terms(school, terms)
    pupils = await Pupil.filter(school_id=school.id).order_by("external_id")
    for number, pupil in enumerate(pupils):
        judge = class_teacher.get(pupil.school_class_id or 0, head)
        await _judge(judge, pupil, number, now)
        for area in sorted(ATTAINMENT_AREAS):
            band = "greater_depth" if number % 4 == 0 else "expected"
            await set_expectation(head, pupil.id, area, band, academic_year=year)
    by_code = {pupil.external_id: pupil for pupil in pupils}
    # Set before the families are linked: these were delivered long before the demo began.
    zainab = await _target(amira, by_code["P004"], Area.READING, now - timedelta(days=20), 1)
    await _target(amira, by_code["P007"], Area.MATHS, now - timedelta(days=10), 0)
    await _target(tom, by_code["P003"], Area.WRITING, now - timedelta(days=15), 2)
    for person in PEOPLE:
        await _link(person, now)
    imran = next(p for p in PEOPLE if p.external_id == "C003")
    await acknowledge_target(await resolve_actor(imran.user_id), zainab)
    return await _open_round(head, amira, today, now)


async def _staff_actor(external_id: str) -> Actor:
    """A staff member as the domain sees them, whether or not they use Telegram."""
    staff = await Staff.get(external_id=external_id).prefetch_related("classes")
    role = StaffRole(
        staff.id, staff.school_id, Role(staff.role), frozenset(c.id for c in staff.classes)
    )
    return Actor(staff.telegram_user_id or 0, staff=role)


async def _judge(actor: Actor, pupil: Pupil, number: int, now: datetime) -> None:
    """Three rounds of judgements in five areas, and the child's own view at the end."""
    for when, days_ago in enumerate(JUDGED_DAYS_AGO):
        moment = _school_day(now - timedelta(days=days_ago))
        for shift, area in enumerate(JUDGED_AREAS):
            bands = bands_for(scale_for(area))
            start = (number + shift) % 3
            rising = when == len(JUDGED_DAYS_AGO) - 1 and (number + shift) % 2 == 0
            await record_assessment(
                actor, pupil.id, area, bands[min(start + rising, 3)], now=moment
            )
    if pupil.year_group is not YearGroup.RECEPTION:
        latest = _school_day(now - timedelta(days=JUDGED_DAYS_AGO[-1]))
        for area in (Area.READING, Area.ATTITUDE):
            band = bands_for(scale_for(area))[2 + number % 2]
            await record_assessment(actor, pupil.id, area, band, now=latest, by_pupil=True)


def _school_day(moment: datetime) -> datetime:
    """The same moment moved back to Friday when it falls on a weekend."""
    weekday = moment.weekday()
    return moment - timedelta(days=weekday - 4) if weekday > 4 else moment


async def _target(actor: Actor, pupil: Pupil, area: Area, when: datetime, pick: int) -> int:
    """A target from the bank with a home idea from the library; returns its id."""
    year = YearGroup(pupil.year_group)
    text, idea = bank_targets(area, year)[pick], home_ideas(area, year)[pick]
    target = await set_target(actor, pupil.id, area, text, idea, now=when)
    return target.id


async def _link(person: DemoPerson, now: datetime) -> None:
    """Issue the person's invite and redeem it as their Telegram account would."""
    model = Staff if person.is_staff else Guardian
    record = await model.get(external_id=person.external_id)
    code = await issue_invite(record, now, timedelta(days=30))
    attempts = FailedAttempts()
    await redeem_invite(code, person.user_id, private_chat=True, now=now, attempts=attempts)


async def _open_round(head: Actor, teacher: Actor, today: date, now: datetime) -> DemoSchool:
    """A round open today, and the teacher's evenings over the next school days."""
    year = academic_year_for(today)
    first_day, last_day = date(int(year[:4]), 9, 1), date(int(year[:4]) + 1, 8, 31)
    opens_on = max(today - timedelta(days=7), first_day)
    closes_on = min(today + timedelta(days=21), last_day)
    number = 1 + ((today.month - 9) % 12) // 2  # Sep-Oct is 1, ... Jul-Aug is 6
    season = "Autumn" if today.month >= 9 else "Spring" if today.month <= 4 else "Summer"
    mentoring_round = await create_round(
        head, number=number, name=f"{season} mentoring meetings", opens_on=opens_on,
        closes_on=closes_on, slot_minutes=10, academic_year=year,
    )  # fmt: skip
    days = booking_days(today, closes_on)
    slots = 0
    for day in days:
        request = AvailabilityRequest(day, time(15, 30), time(17, 0))
        slots += len(await open_availability(teacher, mentoring_round.id, request, now=now))
    return DemoSchool(mentoring_round.school_id, mentoring_round.id, slots, days)


def booking_days(today: date, closes_on: date, count: int = BOOKING_DAYS) -> tuple[date, ...]:
    """The next `count` weekdays after today, up to the round's last day."""
    days: list[date] = []
    day = today
    while len(days) < count and day < closes_on:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return tuple(days)
