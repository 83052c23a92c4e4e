"""One-time invite codes; only their hash is stored."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.calendar.school import School
from models.common.enums import InviteKind
from models.people.tables import Guardian, Staff


class Invite(Model):
    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="invites", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(InviteKind, max_length=16)
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="invites", null=True, on_delete=fields.CASCADE
    )
    guardian: fields.ForeignKeyNullableRelation[Guardian] = fields.ForeignKeyField(
        "models.Guardian", related_name="invites", null=True, on_delete=fields.CASCADE
    )
    code_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    school_id: int
    staff_id: int | None
    guardian_id: int | None

    class Meta:
        table = "invites"
