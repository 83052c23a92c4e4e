"""Everything held about one pupil, for a senior leader answering a subject access request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from models.assessment.tables import Assessment, Expectation
from models.common.audit import AuditEntry
from models.common.enums import Area, BookingStatus, SupportKind, TargetStatus
from models.common.errors import NotAllowed
from models.meetings.tables import Booking, MeetingRecord
from models.messaging.conversations import MessageEntry, pupil_messages
from models.people.access import Actor, acting_staff_id, require_school_admin
from models.people.tables import Guardian, GuardianLink, Pupil, Staff
from models.targets.tables import Support, Target, TargetAcknowledgement

EXPORTED = "pupil_file_exported"


@dataclass(frozen=True)
class GuardianEntry:
    # Names and relationship only: a guardian's phone and email are their own data, and a
    # separated parent asking for the child's file must not receive the other's contacts.
    name: str
    relationship: str
    receives_reports: bool
    separate: bool
    language: str | None


@dataclass(frozen=True)
class AssessmentEntry:
    at: datetime
    area: Area
    band: str
    by_pupil: bool
    recorded_by: str
    note: str  # staff-only


@dataclass(frozen=True)
class ExpectationEntry:
    academic_year: str
    area: Area
    band: str
    set_by: str
    updated_at: datetime


@dataclass(frozen=True)
class TargetEvent:
    on: date
    status: TargetStatus
    by: str


@dataclass(frozen=True)
class Acknowledgement:
    guardian: str
    seen_at: datetime


@dataclass(frozen=True)
class TargetEntry:
    area: Area
    text: str
    home_support: str
    status: TargetStatus
    review_on: date | None
    events: tuple[TargetEvent, ...]
    seen_by: tuple[Acknowledgement, ...]


@dataclass(frozen=True)
class SupportEntry:
    kind: SupportKind
    description: str
    responsible: str
    starts_on: date
    ends_on: date | None
    review_on: date | None
    recorded_by: str


@dataclass(frozen=True)
class BookingEntry:
    round_name: str
    starts_at: datetime
    teacher: str
    status: BookingStatus
    booked_by_school: bool
    confirmed_by: str
    decline_reason: str


@dataclass(frozen=True)
class MeetingEntry:
    held_at: datetime
    teacher: str
    parent_attended: bool
    notes: str
    child_voice: str
    staff_notes: str
    reviewed: tuple[tuple[str, TargetStatus], ...]
    set_targets: tuple[str, ...]


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str
    action: str
    subject: str
    details: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PupilExport:
    """One pupil's whole record, oldest first within each part."""

    school_name: str
    timezone: str
    generated_at: datetime
    exported_by: str
    pupil_name: str
    external_id: str
    year_group: str
    class_name: str | None
    left_at: datetime | None
    guardians: tuple[GuardianEntry, ...]
    assessments: tuple[AssessmentEntry, ...]
    expectations: tuple[ExpectationEntry, ...]
    targets: tuple[TargetEntry, ...]
    support: tuple[SupportEntry, ...]
    bookings: tuple[BookingEntry, ...]
    meetings: tuple[MeetingEntry, ...]
    # Every message between the family and the school about the pupil, with who read it.
    messages: tuple[MessageEntry, ...]
    audit: tuple[AuditLine, ...]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


async def export_pupil_file(actor: Actor, pupil_id: int, *, now: datetime) -> PupilExport:
    """A senior leader's export of one pupil's record (pupils who left too); audited by id."""
    school_id = require_school_admin(actor)
    staff_id = acting_staff_id(actor)
    pupil = await Pupil.get_or_none(id=pupil_id, school_id=school_id).select_related(
        "school", "school_class"
    )
    if pupil is None:
        raise NotAllowed()
    links = await GuardianLink.filter(pupil_id=pupil.id).select_related("guardian").order_by("id")
    assessments = await Assessment.filter(pupil_id=pupil.id).order_by("recorded_at", "id")
    expectations = await Expectation.filter(pupil_id=pupil.id).order_by("academic_year", "area")
    targets = await Target.filter(pupil_id=pupil.id).order_by("set_on", "id")
    seen = (
        await TargetAcknowledgement.filter(target__pupil_id=pupil.id)
        .select_related("guardian")
        .order_by("seen_at", "id")
    )
    support = await Support.filter(pupil_id=pupil.id).order_by("starts_on", "id")
    bookings = (
        await Booking.filter(pupil_id=pupil.id)
        .select_related("slot__staff", "slot__round", "confirmed_by")
        .order_by("slot__starts_at", "id")
    )
    meetings = (
        await MeetingRecord.filter(pupil_id=pupil.id)
        .select_related("staff")
        .prefetch_related("targets_reviewed", "targets_set")
        .order_by("held_at", "id")
    )
    messages = await pupil_messages(pupil.id)
    audit = await AuditEntry.filter(pupil_id=pupil.id).order_by("at", "id")
    names = await _names(assessments, expectations, targets, support, audit, staff_id)
    export = PupilExport(
        school_name=pupil.school.name,
        timezone=pupil.school.timezone,
        generated_at=now,
        exported_by=names.staff.get(staff_id, ""),
        pupil_name=pupil.full_name,
        external_id=pupil.external_id,
        year_group=str(pupil.year_group),
        class_name=pupil.school_class.name if pupil.school_class else None,
        left_at=pupil.left_at,
        guardians=tuple(_guardian(link) for link in links),
        assessments=tuple(
            AssessmentEntry(
                a.recorded_at,
                Area(a.area),
                a.band,
                a.by_pupil,
                names.staff.get(a.recorded_by_id or 0, ""),
                a.note,
            )
            for a in assessments
        ),
        expectations=tuple(
            ExpectationEntry(
                e.academic_year,
                Area(e.area),
                e.band,
                names.staff.get(_staff_id(e, "set_by_id"), ""),
                e.updated_at,
            )
            for e in expectations
        ),
        targets=tuple(_target(t, seen, audit, names) for t in targets),
        support=tuple(
            SupportEntry(
                SupportKind(s.kind),
                s.description,
                s.responsible,
                s.starts_on,
                s.ends_on,
                s.review_on,
                names.staff.get(_staff_id(s, "created_by_id"), ""),
            )
            for s in support
        ),
        bookings=tuple(_booking(b) for b in bookings),
        meetings=tuple(_meeting(m) for m in meetings),
        messages=tuple(messages),
        audit=tuple(_audit_line(entry, names) for entry in audit),
    )
    async with in_transaction():
        await AuditEntry.create(
            school_id=school_id,
            actor_kind="staff",
            actor_id=staff_id,
            action=EXPORTED,
            subject_kind="pupil",
            subject_id=pupil.id,
            pupil_id=pupil.id,
        )
    return export


@dataclass(frozen=True)
class _Names:
    staff: dict[int, str]
    guardians: dict[int, str]


async def _names(
    assessments: list[Assessment],
    expectations: list[Expectation],
    targets: list[Target],
    support: list[Support],
    audit: list[AuditEntry],
    exporter: int,
) -> _Names:
    """Everyone named anywhere in the record, in two queries."""
    staff_ids = {exporter}
    staff_ids |= {a.recorded_by_id for a in assessments if a.recorded_by_id}
    staff_ids |= {_staff_id(e, "set_by_id") for e in expectations}
    staff_ids |= {t.set_by_id for t in targets if t.set_by_id}
    staff_ids |= {_staff_id(s, "created_by_id") for s in support}
    staff_ids |= {e.actor_id for e in audit if e.actor_kind == "staff" and e.actor_id}
    guardian_ids = {e.actor_id for e in audit if e.actor_kind == "guardian" and e.actor_id}
    staff = {s.id: s.full_name for s in await Staff.filter(id__in=list(staff_ids))}
    guardians = {g.id: g.full_name for g in await Guardian.filter(id__in=list(guardian_ids))}
    return _Names(staff, guardians)


def _staff_id(row: Expectation | Support, field: str) -> int:
    # Tortoise adds these foreign-key id attributes at runtime; 0 stands for nobody.
    value = getattr(row, field)
    return int(value) if value else 0


def _guardian(link: GuardianLink) -> GuardianEntry:
    guardian: Guardian = link.guardian
    return GuardianEntry(
        guardian.full_name,
        link.relationship,
        link.receives_reports,
        link.separate,
        guardian.language,
    )


def _target(
    target: Target, seen: list[TargetAcknowledgement], audit: list[AuditEntry], names: _Names
) -> TargetEntry:
    events = [
        TargetEvent(target.set_on, TargetStatus.ACTIVE, names.staff.get(target.set_by_id or 0, ""))
    ]
    status = TargetStatus(target.status)
    if target.closed_on is not None and status is not TargetStatus.ACTIVE:
        closer = next(
            (
                e.actor_id
                for e in audit
                if e.subject_kind == "target"
                and e.subject_id == target.id
                and e.action == f"target_{status.value}"
            ),
            None,
        )
        events.append(TargetEvent(target.closed_on, status, names.staff.get(closer or 0, "")))
    return TargetEntry(
        area=Area(target.area),
        text=target.text,
        home_support=target.home_support,
        status=status,
        review_on=target.review_on,
        events=tuple(events),
        seen_by=tuple(
            Acknowledgement(a.guardian.full_name, a.seen_at)
            for a in seen
            if a.target_id == target.id
        ),
    )


def _booking(booking: Booking) -> BookingEntry:
    confirmed_by: Guardian | None = booking.confirmed_by
    return BookingEntry(
        round_name=booking.slot.round.name,
        starts_at=booking.slot.starts_at,
        teacher=booking.slot.staff.full_name,
        status=BookingStatus(booking.status),
        booked_by_school=booking.booked_by_staff_id is not None,
        confirmed_by=confirmed_by.full_name if confirmed_by else "",
        decline_reason=booking.decline_reason,
    )


def _meeting(record: MeetingRecord) -> MeetingEntry:
    staff: Staff | None = record.staff
    return MeetingEntry(
        held_at=record.held_at,
        teacher=staff.full_name if staff else "",
        parent_attended=record.parent_attended,
        notes=record.notes,
        child_voice=record.child_voice,
        staff_notes=record.staff_notes,
        reviewed=tuple((t.text, TargetStatus(t.status)) for t in record.targets_reviewed),
        set_targets=tuple(t.text for t in record.targets_set),
    )


def _audit_line(entry: AuditEntry, names: _Names) -> AuditLine:
    people = names.staff if entry.actor_kind == "staff" else names.guardians
    actor = people.get(entry.actor_id or 0, "") if entry.actor_kind in ("staff", "guardian") else ""
    details: dict[str, Any] = entry.details or {}
    return AuditLine(
        at=entry.at,
        actor=actor or entry.actor_kind,
        action=entry.action,
        subject=f"{entry.subject_kind} #{entry.subject_id}"
        if entry.subject_id
        else entry.subject_kind,
        details=tuple((str(k), str(v)) for k, v in sorted(details.items())),
    )
