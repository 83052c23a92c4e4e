"""The school, its calendar and its colour scale."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.common.enums import Scale


class School(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    timezone = fields.CharField(max_length=64, default="Europe/London")
    default_locale = fields.CharField(max_length=16, default="en")
    academic_year = fields.CharField(max_length=9, description="e.g. 2026-27")
    meeting_rounds_per_year = fields.SmallIntField(default=4)
    # Routine messages wait for the morning; local "HH:MM" in the school's timezone.
    quiet_starts = fields.CharField(max_length=5, default="20:00", db_default="20:00")
    quiet_ends = fields.CharField(max_length=5, default="07:30", db_default="07:30")
    # Families' messages reach staff in office hours on school days; local "HH:MM".
    office_opens = fields.CharField(max_length=5, default="08:00", db_default="08:00")
    office_closes = fields.CharField(max_length=5, default="17:00", db_default="17:00")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "schools"


class HalfTerm(Model):
    """One of the six half-terms of an academic year."""

    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="half_terms", on_delete=fields.CASCADE
    )
    academic_year = fields.CharField(max_length=9)
    number = fields.SmallIntField()
    starts_on = fields.DateField()
    ends_on = fields.DateField()

    class Meta:
        table = "half_terms"
        unique_together = (("school", "academic_year", "number"),)


class BandLabel(Model):
    """The name a school gives a band (the code stays stable)."""

    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="band_labels", on_delete=fields.CASCADE
    )
    scale = fields.CharEnumField(Scale, max_length=16)
    code = fields.CharField(max_length=32)
    label = fields.CharField(max_length=64)

    class Meta:
        table = "band_labels"
        unique_together = (("school", "scale", "code"),)
