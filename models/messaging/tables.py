"""Messages between a family and the school about one child, and who is covering for whom."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.calendar.school import School
from models.common.enums import MessageDirection
from models.people.tables import Guardian, Pupil, Staff


class MessageThread(Model):
    """One guardian's conversation with the school about one child."""

    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="message_threads", on_delete=fields.CASCADE
    )
    guardian: fields.ForeignKeyRelation[Guardian] = fields.ForeignKeyField(
        "models.Guardian", related_name="message_threads", on_delete=fields.CASCADE
    )
    pupil: fields.ForeignKeyRelation[Pupil] = fields.ForeignKeyField(
        "models.Pupil", related_name="message_threads", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    last_message_at = fields.DatetimeField(null=True)
    school_id: int
    guardian_id: int
    pupil_id: int

    class Meta:
        table = "message_threads"
        unique_together = (("guardian", "pupil"),)


class ThreadMessage(Model):
    """One message in a thread: typed text and/or a photo or document, and when it was read."""

    id = fields.BigIntField(primary_key=True)
    thread: fields.ForeignKeyRelation[MessageThread] = fields.ForeignKeyField(
        "models.MessageThread", related_name="messages", on_delete=fields.CASCADE
    )
    direction = fields.CharEnumField(MessageDirection, max_length=16)
    # The staff member who wrote it (to the family), or whom it was for (from the family).
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="thread_messages", null=True, on_delete=fields.SET_NULL
    )
    text = fields.TextField(default="")
    attachment_kind = fields.CharField(max_length=16, default="")
    attachment_file_id = fields.CharField(max_length=255, default="")
    attachment_name = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    # Outside office hours a family's message waits for the next morning's digest.
    deliver_after = fields.DatetimeField(db_index=True)
    read_at = fields.DatetimeField(null=True)
    read_by: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="messages_read", null=True, on_delete=fields.SET_NULL
    )
    thread_id: int
    staff_id: int | None

    class Meta:
        table = "thread_messages"


class MessageCopy(Model):
    """A Telegram message that carries a thread message, so a reply to it finds the thread.

    Kept in the database, not in memory, so reply links survive restarts and reach any replica.
    """

    id = fields.BigIntField(primary_key=True)
    message: fields.ForeignKeyRelation[ThreadMessage] = fields.ForeignKeyField(
        "models.ThreadMessage", related_name="copies", on_delete=fields.CASCADE
    )
    chat_id = fields.BigIntField()
    telegram_message_id = fields.BigIntField()
    message_id: int

    class Meta:
        table = "message_copies"
        unique_together = (("chat_id", "telegram_message_id"),)


class StaffAbsence(Model):
    """A staff member away: families' messages go to the cover (a colleague, or the office)."""

    id = fields.IntField(primary_key=True)
    staff: fields.ForeignKeyRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="absences", on_delete=fields.CASCADE
    )
    # None: the office (the school's senior leaders) covers.
    cover: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="covering", null=True, on_delete=fields.SET_NULL
    )
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField(null=True)
    staff_id: int
    cover_id: int | None

    class Meta:
        table = "staff_absences"
