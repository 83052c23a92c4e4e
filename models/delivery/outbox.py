"""The notifications outbox: what must be sent is stored first and sent later, once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.calendar.school import School
from models.common.enums import NotificationState
from models.people.tables import Guardian, Staff


class Notification(Model):
    id = fields.BigIntField(primary_key=True)
    school: fields.ForeignKeyNullableRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    guardian: fields.ForeignKeyNullableRelation[Guardian] = fields.ForeignKeyField(
        "models.Guardian", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    chat_id = fields.BigIntField()
    kind = fields.CharField(max_length=64)
    params: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    due_at = fields.DatetimeField(db_index=True)
    state = fields.CharEnumField(
        NotificationState, max_length=16, default=NotificationState.PENDING, db_index=True
    )
    attempts = fields.SmallIntField(default=0)
    last_error = fields.CharField(max_length=200, default="")
    idempotency_key = fields.CharField(max_length=128, unique=True)
    claimed_until = fields.DatetimeField(null=True, db_index=True)
    # Held for the guardian's daily or weekly digest: sent together with its chat's others.
    digest = fields.BooleanField(default=False, db_default=False)
    telegram_message_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True, db_index=True)
    guardian_id: int | None
    staff_id: int | None
    school_id: int | None

    class Meta:
        table = "notifications"


@dataclass(frozen=True)
class NoticeView:
    """One outbox row, read-only: what a renderer, a digest line or a file builder needs."""

    id: int
    kind: str
    chat_id: int
    params: Mapping[str, Any]
    idempotency_key: str
    school_id: int | None
    guardian_id: int | None
    staff_id: int | None


def notice_view(row: Notification) -> NoticeView:
    return NoticeView(
        id=row.id,
        kind=row.kind,
        chat_id=row.chat_id,
        params=MappingProxyType(dict(row.params)),
        idempotency_key=row.idempotency_key,
        school_id=row.school_id,
        guardian_id=row.guardian_id,
        staff_id=row.staff_id,
    )


class DeliveryPace(Model):
    """The next free moment to send, shared by every process delivering for one bot."""

    name = fields.CharField(max_length=32, primary_key=True)
    next_at = fields.DatetimeField()

    class Meta:
        table = "delivery_pace"
