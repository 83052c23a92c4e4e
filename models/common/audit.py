"""Who did what to whose record, and when; never the content itself."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.calendar.school import School


class AuditEntry(Model):
    id = fields.BigIntField(primary_key=True)
    school: fields.ForeignKeyNullableRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="audit_entries", null=True, on_delete=fields.CASCADE
    )
    actor_kind = fields.CharField(max_length=16)
    actor_id = fields.IntField(null=True)
    action = fields.CharField(max_length=64)
    subject_kind = fields.CharField(max_length=32)
    subject_id = fields.IntField(null=True)
    pupil_id = fields.IntField(null=True, db_index=True)
    # Names of what changed and earlier values of corrected judgements, never free text
    # typed by a parent.
    details: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_entries"
