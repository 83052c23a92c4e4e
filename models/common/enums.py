"""The domain's fixed vocabularies (codes are stable; labels are translated elsewhere)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    TEACHER = "teacher"
    ASSISTANT = "assistant"


class YearGroup(StrEnum):
    RECEPTION = "R"
    Y1 = "1"
    Y2 = "2"
    Y3 = "3"
    Y4 = "4"
    Y5 = "5"
    Y6 = "6"


class Area(StrEnum):
    READING = "reading"
    WRITING = "writing"
    MATHS = "maths"
    ATTENDANCE = "attendance"
    ORGANISATION = "organisation"
    ATTITUDE = "attitude"
    BEHAVIOUR = "behaviour"

    @property
    def is_attainment(self) -> bool:
        return self in ATTAINMENT_AREAS


ATTAINMENT_AREAS = frozenset({Area.READING, Area.WRITING, Area.MATHS})


class Scale(StrEnum):
    ATTAINMENT = "attainment"
    ATTITUDE = "attitude"


# Bands in order, lowest first; the order is what progress colours compare.
ATTAINMENT_BANDS = ("below", "towards", "expected", "greater_depth")
ATTITUDE_BANDS = ("concern", "mixed", "good", "excellent")
BAND_COLOURS = ("🔴", "🟠", "🟢", "🔵")


def scale_for(area: Area) -> Scale:
    """Attainment areas use the attainment scale, personal areas the attitude scale."""
    return Scale.ATTAINMENT if area.is_attainment else Scale.ATTITUDE


def bands_for(scale: Scale) -> tuple[str, ...]:
    return ATTAINMENT_BANDS if scale is Scale.ATTAINMENT else ATTITUDE_BANDS


class TargetStatus(StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    CARRIED_OVER = "carried_over"
    DROPPED = "dropped"


class SupportKind(StrEnum):
    IN_CLASS = "in_class"
    GROUP = "group"
    ONE_TO_ONE = "one_to_one"
    EXTERNAL = "external"


class BookingStatus(StrEnum):
    OFFERED = "offered"
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    ATTENDED = "attended"
    MISSED = "missed"
    CANCELLED = "cancelled"


class NotificationState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


class UpdateFrequency(StrEnum):
    """How often a guardian wants routine updates: each as it happens, or gathered in a digest."""

    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"


class BookingNews(StrEnum):
    """How a teacher hears that families booked, moved or declined: each at once, or a summary."""

    AT_ONCE = "at_once"
    END_OF_DAY = "end_of_day"


class MessageDirection(StrEnum):
    FROM_GUARDIAN = "from_guardian"
    FROM_STAFF = "from_staff"


class AudienceKind(StrEnum):
    CLASS = "class"
    YEAR = "year"
    SCHOOL = "school"


class InviteKind(StrEnum):
    STAFF = "staff"
    GUARDIAN = "guardian"
