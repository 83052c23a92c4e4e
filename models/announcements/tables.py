"""School announcements to a class, a year group or the whole school, and who has seen them."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.calendar.school import School
from models.common.enums import AudienceKind
from models.people.tables import Guardian, Staff


class AnnouncementTemplate(Model):
    """A common announcement the school keeps ready, with its translations ({locale: text})."""

    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="announcement_templates", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=64)
    text = fields.TextField()
    translations: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)
    school_id: int

    class Meta:
        table = "announcement_templates"
        unique_together = (("school", "key"),)


class Announcement(Model):
    """What was announced, to whom, and whether families are asked to press "👍 Seen"."""

    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="announcements", on_delete=fields.CASCADE
    )
    author: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="announcements", null=True, on_delete=fields.SET_NULL
    )
    audience_kind = fields.CharEnumField(AudienceKind, max_length=8)
    # A class id, a year group code, or "" for the whole school.
    audience_ref = fields.CharField(max_length=16, default="")
    text = fields.TextField()
    # {locale: {"text": str, "machine": bool}}, copied when sent so later edits change nothing.
    translations: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    needs_ack = fields.BooleanField(default=False)
    # Safeguarding-critical: goes through mutes and quiet hours.
    critical = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    reminded_at = fields.DatetimeField(null=True)
    school_id: int
    author_id: int | None

    class Meta:
        table = "announcements"


class AnnouncementRecipient(Model):
    """One guardian an announcement was for, and when they pressed "👍 Seen"."""

    id = fields.BigIntField(primary_key=True)
    announcement: fields.ForeignKeyRelation[Announcement] = fields.ForeignKeyField(
        "models.Announcement", related_name="recipients", on_delete=fields.CASCADE
    )
    guardian: fields.ForeignKeyRelation[Guardian] = fields.ForeignKeyField(
        "models.Guardian", related_name="announcements_received", on_delete=fields.CASCADE
    )
    seen_at = fields.DatetimeField(null=True)
    announcement_id: int
    guardian_id: int

    class Meta:
        table = "announcement_recipients"
        unique_together = (("announcement", "guardian"),)
