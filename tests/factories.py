"""Small builders for a realistic school, written straight to the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models import Guardian, GuardianLink, Pupil, School, SchoolClass, Staff
from models.common.enums import Role, YearGroup
from models.people.invitations import issue_invite

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


async def make_school(name: str = "Oakfield Primary", *, quiet_hours: bool = False) -> School:
    """A school; without quiet hours unless asked, since tests deliver at any time of day."""
    quiet = {} if quiet_hours else {"quiet_starts": "00:00", "quiet_ends": "00:00"}
    return await School.create(name=name, academic_year="2026-27", **quiet)


async def make_class(school: School, name: str = "3B") -> SchoolClass:
    return await SchoolClass.create(school=school, name=name)


async def make_staff(
    school: School,
    external_id: str,
    role: Role = Role.TEACHER,
    classes: tuple[SchoolClass, ...] = (),
    first_name: str = "Amira",
    telegram_user_id: int | None = None,
) -> Staff:
    staff = await Staff.create(
        school=school,
        external_id=external_id,
        first_name=first_name,
        last_name="Khan",
        role=role,
        telegram_user_id=telegram_user_id,
    )
    if classes:
        await staff.classes.add(*classes)
    return staff


async def make_pupil(
    school: School, school_class: SchoolClass, external_id: str, first_name: str = "Maja"
) -> Pupil:
    return await Pupil.create(
        school=school,
        external_id=external_id,
        first_name=first_name,
        last_name="Nowak",
        year_group=YearGroup.Y3,
        school_class=school_class,
    )


async def make_guardian(
    school: School,
    external_id: str,
    children: tuple[Pupil, ...] = (),
    language: str | None = "en",
    receives_reports: bool = True,
    telegram_user_id: int | None = None,
    first_name: str = "Ewa",
) -> Guardian:
    guardian = await Guardian.create(
        school=school,
        external_id=external_id,
        first_name=first_name,
        last_name="Nowak",
        language=language,
        telegram_user_id=telegram_user_id,
    )
    for child in children:
        await GuardianLink.create(
            guardian=guardian, pupil=child, relationship="mother", receives_reports=receives_reports
        )
    return guardian


async def invite_code(person: Staff | Guardian, now: datetime = NOW) -> str:
    return await issue_invite(person, now=now, ttl=timedelta(days=30))
