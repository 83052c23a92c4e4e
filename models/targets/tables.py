"""Targets with their home-support suggestions, and the support agreed for a pupil."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.common.enums import Area, SupportKind, TargetStatus
from models.people.tables import Guardian, Pupil, Staff


class Target(Model):
    id = fields.IntField(primary_key=True)
    pupil: fields.ForeignKeyRelation[Pupil] = fields.ForeignKeyField(
        "models.Pupil", related_name="targets", on_delete=fields.CASCADE
    )
    area = fields.CharEnumField(Area, max_length=16)
    text = fields.CharField(max_length=500)
    home_support = fields.CharField(max_length=500, default="")
    status = fields.CharEnumField(TargetStatus, max_length=16, default=TargetStatus.ACTIVE)
    set_by: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="targets_set", null=True, on_delete=fields.SET_NULL
    )
    set_on = fields.DateField()
    review_on = fields.DateField(null=True)
    closed_on = fields.DateField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)
    pupil_id: int
    set_by_id: int | None

    class Meta:
        table = "targets"
        indexes = (("pupil_id", "status"),)


class TargetAcknowledgement(Model):
    """A guardian pressed "Seen" on a target."""

    id = fields.IntField(primary_key=True)
    target: fields.ForeignKeyRelation[Target] = fields.ForeignKeyField(
        "models.Target", related_name="acknowledgements", on_delete=fields.CASCADE
    )
    guardian: fields.ForeignKeyRelation[Guardian] = fields.ForeignKeyField(
        "models.Guardian", related_name="acknowledgements", on_delete=fields.CASCADE
    )
    seen_at = fields.DatetimeField(auto_now_add=True)
    target_id: int
    guardian_id: int

    class Meta:
        table = "target_acknowledgements"
        unique_together = (("target", "guardian"),)


class Support(Model):
    id = fields.IntField(primary_key=True)
    pupil: fields.ForeignKeyRelation[Pupil] = fields.ForeignKeyField(
        "models.Pupil", related_name="support", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(SupportKind, max_length=16)
    description = fields.CharField(max_length=500)
    responsible = fields.CharField(max_length=200, default="")
    responsible_staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="support_delivered", null=True, on_delete=fields.SET_NULL
    )
    starts_on = fields.DateField()
    ends_on = fields.DateField(null=True)
    review_on = fields.DateField(null=True)
    created_by: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="support_recorded", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    pupil_id: int

    class Meta:
        table = "support"
