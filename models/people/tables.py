"""Staff, classes, pupils, guardians and the links between them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.calendar.school import School
from models.common.enums import BookingNews, Role, UpdateFrequency, YearGroup


class SchoolClass(Model):
    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="classes", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=64)
    staff: fields.ManyToManyRelation[Staff]

    class Meta:
        table = "school_classes"
        unique_together = (("school", "name"),)


class Staff(Model):
    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="staff", on_delete=fields.CASCADE
    )
    external_id = fields.CharField(max_length=64)
    first_name = fields.CharField(max_length=100)
    last_name = fields.CharField(max_length=100)
    email = fields.CharField(max_length=254, default="")
    role = fields.CharEnumField(Role, max_length=16)
    language = fields.CharField(max_length=16, null=True)
    telegram_user_id = fields.BigIntField(null=True, unique=True)
    linked_at = fields.DatetimeField(null=True)
    left_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    school_id: int
    classes: fields.ManyToManyRelation[SchoolClass] = fields.ManyToManyField(
        "models.SchoolClass", related_name="staff", through="staff_classes"
    )

    class Meta:
        table = "staff"
        unique_together = (("school", "external_id"),)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Pupil(Model):
    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="pupils", on_delete=fields.CASCADE
    )
    external_id = fields.CharField(max_length=64)
    first_name = fields.CharField(max_length=100)
    last_name = fields.CharField(max_length=100)
    year_group = fields.CharEnumField(YearGroup, max_length=2)
    school_class: fields.ForeignKeyNullableRelation[SchoolClass] = fields.ForeignKeyField(
        "models.SchoolClass", related_name="pupils", null=True, on_delete=fields.SET_NULL
    )
    left_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    school_id: int
    school_class_id: int | None

    class Meta:
        table = "pupils"
        unique_together = (("school", "external_id"),)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Guardian(Model):
    id = fields.IntField(primary_key=True)
    school: fields.ForeignKeyRelation[School] = fields.ForeignKeyField(
        "models.School", related_name="guardians", on_delete=fields.CASCADE
    )
    external_id = fields.CharField(max_length=64)
    first_name = fields.CharField(max_length=100)
    last_name = fields.CharField(max_length=100)
    email = fields.CharField(max_length=254, default="")
    phone = fields.CharField(max_length=32, default="")
    language = fields.CharField(max_length=16, null=True)
    telegram_user_id = fields.BigIntField(null=True, unique=True)
    linked_at = fields.DatetimeField(null=True)
    unreachable_at = fields.DatetimeField(null=True)
    left_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    school_id: int

    class Meta:
        table = "guardians"
        unique_together = (("school", "external_id"),)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class GuardianLink(Model):
    """Links a guardian to one pupil (with receives_reports off it carries nothing)."""

    id = fields.IntField(primary_key=True)
    guardian: fields.ForeignKeyRelation[Guardian] = fields.ForeignKeyField(
        "models.Guardian", related_name="links", on_delete=fields.CASCADE
    )
    pupil: fields.ForeignKeyRelation[Pupil] = fields.ForeignKeyField(
        "models.Pupil", related_name="guardian_links", on_delete=fields.CASCADE
    )
    relationship = fields.CharField(max_length=64, default="")
    receives_reports = fields.BooleanField(default=True)
    # Separated parents: this guardian books and is written to on their own.
    separate = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    guardian_id: int
    pupil_id: int

    class Meta:
        table = "guardian_links"
        unique_together = (("guardian", "pupil"),)


class UserPreference(Model):
    """What a Telegram user chose for themselves, linked or not (their /language)."""

    telegram_user_id = fields.BigIntField(primary_key=True, generated=False)
    language = fields.CharField(max_length=16, null=True)
    updates = fields.CharEnumField(
        UpdateFrequency,
        max_length=8,
        default=UpdateFrequency.INSTANT,
        db_default=UpdateFrequency.INSTANT,
    )
    # Routine announcements muted; safeguarding-critical ones still come.
    mute_routine = fields.BooleanField(default=False, db_default=False)
    # Staff: booking news from families at once, or one summary when the office closes.
    booking_news = fields.CharEnumField(
        BookingNews, max_length=12, default=BookingNews.AT_ONCE, db_default=BookingNews.AT_ONCE
    )
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "user_preferences"
