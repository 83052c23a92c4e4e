"""Mentoring rounds, bookable slots, bookings and what was said in the meeting."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.calendar.school import School
from models.common.enums import BookingStatus
from models.people.tables import Guardian, Pupil, Staff
from models.targets.tables import Target


class MentoringRound(Model):
    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="rounds", on_delete=fields.CASCADE
    )
    academic_year = fields.CharField(max_length=9)
    number = fields.SmallIntField()
    name = fields.CharField(max_length=100)
    opens_on = fields.DateField()
    closes_on = fields.DateField()
    slot_minutes = fields.SmallIntField(default=10)
    school_id: int

    class Meta:
        table = "mentoring_rounds"
        unique_together = (("school", "academic_year", "number"),)


class Slot(Model):
    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[MentoringRound] = fields.ForeignKeyField(
        "models.MentoringRound", related_name="slots", on_delete=fields.CASCADE
    )
    staff: fields.ForeignKeyRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="slots", on_delete=fields.CASCADE
    )
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    blocked = fields.BooleanField(default=False)
    round_id: int
    staff_id: int

    class Meta:
        table = "slots"
        unique_together = (("staff", "starts_at"),)


class Booking(Model):
    id = fields.IntField(primary_key=True)
    slot: fields.ForeignKeyRelation[Slot] = fields.ForeignKeyField(
        "models.Slot", related_name="bookings", on_delete=fields.CASCADE
    )
    # Equals slot_id while the booking holds the slot, NULL once it lets go: the unique
    # index then allows one live booking per slot while history stays.
    holds_slot = fields.IntField(null=True, unique=True)
    # "<round>:<pupil>" (or "<round>:<pupil>:g<guardian>" for a separate guardian) while live,
    # NULL once released: one live booking per family and round, enforced by the database.
    holds_family = fields.CharField(max_length=64, null=True, unique=True)
    pupil: fields.ForeignKeyRelation[Pupil] = fields.ForeignKeyField(
        "models.Pupil", related_name="bookings", on_delete=fields.CASCADE
    )
    guardian: fields.ForeignKeyNullableRelation[Guardian] = fields.ForeignKeyField(
        "models.Guardian", related_name="bookings", null=True, on_delete=fields.SET_NULL
    )
    booked_by_staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="bookings_made", null=True, on_delete=fields.SET_NULL
    )
    status = fields.CharEnumField(BookingStatus, max_length=16, default=BookingStatus.BOOKED)
    confirmed_by: fields.ForeignKeyNullableRelation[Guardian] = fields.ForeignKeyField(
        "models.Guardian", related_name="bookings_confirmed", null=True, on_delete=fields.SET_NULL
    )
    confirmed_at = fields.DatetimeField(null=True)
    decline_reason = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    slot_id: int
    pupil_id: int
    guardian_id: int | None
    booked_by_staff_id: int | None

    class Meta:
        table = "bookings"


class WaitingListEntry(Model):
    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[MentoringRound] = fields.ForeignKeyField(
        "models.MentoringRound", related_name="waiting_list", on_delete=fields.CASCADE
    )
    pupil: fields.ForeignKeyRelation[Pupil] = fields.ForeignKeyField(
        "models.Pupil", related_name="waiting", on_delete=fields.CASCADE
    )
    guardian: fields.ForeignKeyRelation[Guardian] = fields.ForeignKeyField(
        "models.Guardian", related_name="waiting", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    round_id: int
    pupil_id: int
    guardian_id: int

    class Meta:
        table = "waiting_list"
        unique_together = (("round", "pupil"),)


class MeetingRecord(Model):
    id = fields.IntField(primary_key=True)
    booking: fields.OneToOneNullableRelation[Booking] = fields.OneToOneField(
        "models.Booking", related_name="record", null=True, on_delete=fields.SET_NULL
    )
    pupil: fields.ForeignKeyRelation[Pupil] = fields.ForeignKeyField(
        "models.Pupil", related_name="meeting_records", on_delete=fields.CASCADE
    )
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="meeting_records", null=True, on_delete=fields.SET_NULL
    )
    held_at = fields.DatetimeField()
    parent_attended = fields.BooleanField(default=False)
    notes = fields.TextField(default="")
    child_voice = fields.TextField(default="")
    # Never shown to guardians.
    staff_notes = fields.TextField(default="")
    targets_reviewed: fields.ManyToManyRelation[Target] = fields.ManyToManyField(
        "models.Target", related_name="reviewed_in", through="meeting_targets_reviewed"
    )
    targets_set: fields.ManyToManyRelation[Target] = fields.ManyToManyField(
        "models.Target", related_name="set_in", through="meeting_targets_set"
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    pupil_id: int
    staff_id: int | None

    class Meta:
        table = "meeting_records"
