"""How a mentoring round is going: booked, confirmed and attended per class, and who to chase."""

from __future__ import annotations

from dataclasses import dataclass

from models.common.enums import BookingStatus, Role
from models.common.errors import N_, NotAllowed
from models.meetings.tables import Booking, MentoringRound
from models.people.access import Actor
from models.people.tables import Pupil, SchoolClass

# The label of the whole-school line; handlers translate it like any msgid.
ALL_CLASSES = N_("All classes")
BOOKED = (
    BookingStatus.BOOKED,
    BookingStatus.CONFIRMED,
    BookingStatus.ATTENDED,
    BookingStatus.MISSED,
)


@dataclass(frozen=True)
class ClassRoundStats:
    class_name: str
    pupils: int
    booked: int
    confirmed: int
    attended: int

    @property
    def booked_pct(self) -> int:
        return _pct(self.booked, self.pupils)

    @property
    def confirmed_pct(self) -> int:
        return _pct(self.confirmed, self.pupils)

    @property
    def attended_pct(self) -> int:
        return _pct(self.attended, self.pupils)


@dataclass(frozen=True)
class RoundOverview:
    round_name: str
    classes: list[ClassRoundStats]
    total: ClassRoundStats
    not_booked: list[tuple[str, str]]


async def round_overview(actor: Actor, round_id: int) -> RoundOverview:
    """Per class figures for a round (a teacher's classes, or all for a leader), in 4 queries."""
    if actor.staff is None:
        raise NotAllowed()
    school_id = actor.staff.school_id
    mentoring_round = await MentoringRound.get_or_none(id=round_id, school_id=school_id)
    if mentoring_round is None:
        raise NotAllowed()
    classes = SchoolClass.filter(school_id=school_id)
    if actor.staff.role is not Role.ADMIN:
        classes = classes.filter(id__in=list(actor.staff.class_ids))
    class_names = dict(await classes.order_by("name").values_list("id", "name"))
    pupils = await (
        Pupil.filter(school_id=school_id, school_class_id__in=list(class_names), left_at=None)
        .order_by("last_name", "first_name", "id")
        .values_list("id", "first_name", "last_name", "school_class_id")
    )
    bookings = await Booking.filter(
        slot__round_id=mentoring_round.id,
        pupil__school_class_id__in=list(class_names),
        pupil__left_at=None,
        status__in=list(BOOKED),
    ).values_list("pupil_id", "status", "confirmed_at")
    # A pupil counts once even when separated parents hold a booking each.
    booked = {pupil_id for pupil_id, _, _ in bookings}
    confirmed = {
        pupil_id
        for pupil_id, status, confirmed_at in bookings
        if status == BookingStatus.CONFIRMED
        or (status in (BookingStatus.ATTENDED, BookingStatus.MISSED) and confirmed_at is not None)
    }
    attended = {pupil_id for pupil_id, status, _ in bookings if status == BookingStatus.ATTENDED}
    per_class: dict[int, list[int]] = {class_id: [] for class_id in class_names}
    for pupil_id, _, _, class_id in pupils:
        per_class[class_id].append(pupil_id)
    stats = [
        _stats(name, per_class[class_id], booked, confirmed, attended)
        for class_id, name in class_names.items()
    ]
    everyone = [pupil_id for pupil_id, _, _, _ in pupils]
    not_booked = sorted(
        (
            (f"{first} {last}".strip(), class_names[class_id])
            for pupil_id, first, last, class_id in pupils
            if pupil_id not in booked
        ),
        key=lambda row: row[1],
    )
    return RoundOverview(
        round_name=mentoring_round.name,
        classes=stats,
        total=_stats(ALL_CLASSES, everyone, booked, confirmed, attended),
        not_booked=not_booked,
    )


def _stats(
    name: str, pupil_ids: list[int], booked: set[int], confirmed: set[int], attended: set[int]
) -> ClassRoundStats:
    return ClassRoundStats(
        class_name=name,
        pupils=len(pupil_ids),
        booked=sum(p in booked for p in pupil_ids),
        confirmed=sum(p in confirmed for p in pupil_ids),
        attended=sum(p in attended for p in pupil_ids),
    )


def _pct(part: int, whole: int) -> int:
    """A whole percentage, halves rounded up; 0 for an empty class."""
    return (200 * part + whole) // (2 * whole) if whole else 0
