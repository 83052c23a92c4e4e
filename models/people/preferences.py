"""A person's own choices: the language the bot writes in, how often routine news comes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from models.calendar.school import School
from models.common.enums import BookingNews, NotificationState, UpdateFrequency
from models.common.errors import NotAllowed
from models.common.languages import SHIPPED_LOCALES
from models.delivery.outbox import Notification
from models.delivery.policy import next_digest
from models.meetings.notices import TeacherBookingNotice
from models.people.access import Actor
from models.people.tables import Guardian, UserPreference


async def choose_language(telegram_user_id: int, code: str) -> str | None:
    """Store a /language choice; None (and no change) for a language we do not ship."""
    if code not in SHIPPED_LOCALES:
        return None
    await UserPreference.update_or_create(
        defaults={"language": code}, telegram_user_id=telegram_user_id
    )
    return code


async def chosen_language(telegram_user_id: int) -> str | None:
    """The language this person chose with /language, if they did."""
    preference = await UserPreference.get_or_none(telegram_user_id=telegram_user_id)
    return preference.language if preference else None


async def set_reachable(telegram_user_id: int, *, reachable: bool, now: datetime) -> None:
    """A guardian blocked or unblocked the bot: stop or resume queuing messages for them."""
    await Guardian.filter(telegram_user_id=telegram_user_id).update(
        unreachable_at=None if reachable else now
    )


async def choose_updates(actor: Actor, frequency: UpdateFrequency, *, now: datetime) -> None:
    """A guardian's choice of instant, daily or weekly routine updates.

    News already held for a digest goes out at the next tick when they choose instant, and
    at the new digest time otherwise (as one digest either way).
    """
    if actor.guardian is None:
        raise NotAllowed()
    async with in_transaction():
        await UserPreference.update_or_create(
            defaults={"updates": frequency}, telegram_user_id=actor.telegram_user_id
        )
        school = await School.get(id=actor.guardian.school_id)
        due_at = now
        if frequency is not UpdateFrequency.INSTANT:
            due_at = next_digest(now, ZoneInfo(school.timezone), frequency)
        await Notification.filter(
            chat_id=actor.telegram_user_id, digest=True, state=NotificationState.PENDING
        ).update(due_at=due_at)


async def choose_booking_news(actor: Actor, choice: BookingNews, *, now: datetime) -> None:
    """A staff member's choice: booking news as it happens, or one summary at closing time.

    A summary already waiting goes at the next tick when they choose "as it happens".
    """
    if actor.staff is None:
        raise NotAllowed()
    async with in_transaction():
        await UserPreference.update_or_create(
            defaults={"booking_news": choice}, telegram_user_id=actor.telegram_user_id
        )
        if choice is BookingNews.AT_ONCE:
            await Notification.filter(
                staff_id=actor.staff.staff_id,
                kind=TeacherBookingNotice.TEACHER_BOOKING_SUMMARY,
                state=NotificationState.PENDING,
            ).update(due_at=now)


async def booking_news_choice(telegram_user_id: int) -> BookingNews:
    """How this staff member hears of bookings (as it happens unless they chose otherwise)."""
    preference = await UserPreference.get_or_none(telegram_user_id=telegram_user_id)
    return preference.booking_news if preference else BookingNews.AT_ONCE


async def office_closes_of(actor: Actor) -> str:
    """When the staff member's school office closes ("HH:MM")."""
    if actor.staff is None:
        raise NotAllowed()
    school = await School.get(id=actor.staff.school_id)
    return school.office_closes


async def update_frequency(telegram_user_id: int) -> UpdateFrequency:
    """How often this person gets routine updates (instant unless they chose otherwise)."""
    preference = await UserPreference.get_or_none(telegram_user_id=telegram_user_id)
    return preference.updates if preference else UpdateFrequency.INSTANT


async def mute_routine(actor: Actor, *, muted: bool) -> None:
    """A guardian mutes or unmutes routine announcements; safeguarding-critical ones still come."""
    if actor.guardian is None:
        raise NotAllowed()
    await UserPreference.update_or_create(
        defaults={"mute_routine": muted}, telegram_user_id=actor.telegram_user_id
    )


async def routine_muted(telegram_user_id: int) -> bool:
    """Whether this person muted routine announcements."""
    preference = await UserPreference.get_or_none(telegram_user_id=telegram_user_id)
    return preference.mute_routine if preference else False


async def quiet_hours_of(actor: Actor) -> tuple[str, str]:
    """The quiet hours ("HH:MM", "HH:MM") of the person's school."""
    school_id = (
        actor.guardian.school_id
        if actor.guardian
        else actor.staff.school_id
        if actor.staff
        else None
    )
    if school_id is None:
        raise NotAllowed()
    school = await School.get(id=school_id)
    return school.quiet_starts, school.quiet_ends
