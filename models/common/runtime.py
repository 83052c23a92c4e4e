"""Small tables the running bot needs: per-chat flow state, kept and processed updates."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class ChatFlow(Model):
    """State of a multi-step flow, readable by any replica (never in process memory)."""

    chat_id = fields.BigIntField(primary_key=True, generated=False)
    kind = fields.CharField(max_length=32)
    step = fields.CharField(max_length=32)
    data: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "chat_flows"


class ProcessedUpdate(Model):
    """Telegram update ids already applied, so a redelivery cannot apply a change twice."""

    update_id = fields.BigIntField(primary_key=True, generated=False)
    processed_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "processed_updates"


class InboxUpdate(Model):
    """An update fetched by long polling and kept before Telegram is told it arrived.

    The mirror of the outbox: a row leaves when a process takes its update (see
    `models.common.processed_updates.take_update`), so a restart handles whatever is left.
    """

    update_id = fields.BigIntField(primary_key=True, generated=False)
    chat_id = fields.BigIntField(null=True)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField()
    received_at = fields.DatetimeField()

    class Meta:
        table = "inbox_updates"
