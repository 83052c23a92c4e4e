"""Colour-coded judgements and the end-of-year expectations they are compared with."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.common.enums import Area
from models.people.tables import Pupil, Staff


class Assessment(Model):
    id = fields.IntField(primary_key=True)
    pupil: fields.ForeignKeyRelation[Pupil] = fields.ForeignKeyField(
        "models.Pupil", related_name="assessments", on_delete=fields.CASCADE
    )
    area = fields.CharEnumField(Area, max_length=16)
    band = fields.CharField(max_length=32)
    note = fields.CharField(max_length=500, default="")
    by_pupil = fields.BooleanField(default=False)
    recorded_by: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="assessments", null=True, on_delete=fields.SET_NULL
    )
    recorded_at = fields.DatetimeField(db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    pupil_id: int
    recorded_by_id: int | None

    class Meta:
        table = "assessments"
        indexes = (("pupil_id", "area", "recorded_at"),)


class Expectation(Model):
    """The band a pupil is aimed at by the end of the year in one area."""

    id = fields.IntField(primary_key=True)
    pupil: fields.ForeignKeyRelation[Pupil] = fields.ForeignKeyField(
        "models.Pupil", related_name="expectations", on_delete=fields.CASCADE
    )
    area = fields.CharEnumField(Area, max_length=16)
    academic_year = fields.CharField(max_length=9)
    band = fields.CharField(max_length=32)
    set_by: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="expectations_set", null=True, on_delete=fields.SET_NULL
    )
    updated_at = fields.DatetimeField(auto_now=True)
    pupil_id: int

    class Meta:
        table = "expectations"
        unique_together = (("pupil", "area", "academic_year"),)
