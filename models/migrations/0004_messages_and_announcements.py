from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.common.enums import AudienceKind, MessageDirection
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0003_delivery_pace_digests_quiet_hours')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Announcement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('school', fields.ForeignKeyField('models.School', source_field='school_id', db_constraint=True, to_field='id', related_name='announcements', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.Staff', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='announcements', on_delete=OnDelete.SET_NULL)),
                ('audience_kind', fields.CharEnumField(description='CLASS: class\nYEAR: year\nSCHOOL: school', enum_type=AudienceKind, max_length=8)),
                ('audience_ref', fields.CharField(default='', max_length=16)),
                ('text', fields.TextField(unique=False)),
                ('translations', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('needs_ack', fields.BooleanField(default=False)),
                ('critical', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('reminded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'announcements', 'app': 'models', 'pk_attr': 'id', 'table_description': 'What was announced, to whom, and whether families are asked to press "👍 Seen".'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AnnouncementRecipient',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('announcement', fields.ForeignKeyField('models.Announcement', source_field='announcement_id', db_constraint=True, to_field='id', related_name='recipients', on_delete=OnDelete.CASCADE)),
                ('guardian', fields.ForeignKeyField('models.Guardian', source_field='guardian_id', db_constraint=True, to_field='id', related_name='announcements_received', on_delete=OnDelete.CASCADE)),
                ('seen_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'announcement_recipients', 'app': 'models', 'unique_together': (('announcement', 'guardian'),), 'pk_attr': 'id', 'table_description': 'One guardian an announcement was for, and when they pressed "👍 Seen".'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AnnouncementTemplate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('school', fields.ForeignKeyField('models.School', source_field='school_id', db_constraint=True, to_field='id', related_name='announcement_templates', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=64)),
                ('text', fields.TextField(unique=False)),
                ('translations', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'announcement_templates', 'app': 'models', 'unique_together': (('school', 'key'),), 'pk_attr': 'id', 'table_description': 'A common announcement the school keeps ready, with its translations ({locale: text}).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MessageThread',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('school', fields.ForeignKeyField('models.School', source_field='school_id', db_constraint=True, to_field='id', related_name='message_threads', on_delete=OnDelete.CASCADE)),
                ('guardian', fields.ForeignKeyField('models.Guardian', source_field='guardian_id', db_constraint=True, to_field='id', related_name='message_threads', on_delete=OnDelete.CASCADE)),
                ('pupil', fields.ForeignKeyField('models.Pupil', source_field='pupil_id', db_constraint=True, to_field='id', related_name='message_threads', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_message_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'message_threads', 'app': 'models', 'unique_together': (('guardian', 'pupil'),), 'pk_attr': 'id', 'table_description': "One guardian's conversation with the school about one child."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StaffAbsence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('staff', fields.ForeignKeyField('models.Staff', source_field='staff_id', db_constraint=True, to_field='id', related_name='absences', on_delete=OnDelete.CASCADE)),
                ('cover', fields.ForeignKeyField('models.Staff', source_field='cover_id', null=True, db_constraint=True, to_field='id', related_name='covering', on_delete=OnDelete.SET_NULL)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'staff_absences', 'app': 'models', 'pk_attr': 'id', 'table_description': "A staff member away: families' messages go to the cover (a colleague, or the office)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ThreadMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('thread', fields.ForeignKeyField('models.MessageThread', source_field='thread_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('direction', fields.CharEnumField(description='FROM_GUARDIAN: from_guardian\nFROM_STAFF: from_staff', enum_type=MessageDirection, max_length=16)),
                ('staff', fields.ForeignKeyField('models.Staff', source_field='staff_id', null=True, db_constraint=True, to_field='id', related_name='thread_messages', on_delete=OnDelete.SET_NULL)),
                ('text', fields.TextField(default='', unique=False)),
                ('attachment_kind', fields.CharField(default='', max_length=16)),
                ('attachment_file_id', fields.CharField(default='', max_length=255)),
                ('attachment_name', fields.CharField(default='', max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('deliver_after', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('read_by', fields.ForeignKeyField('models.Staff', source_field='read_by_id', null=True, db_constraint=True, to_field='id', related_name='messages_read', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'thread_messages', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One message in a thread: typed text and/or a photo or document, and when it was read.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MessageCopy',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('message', fields.ForeignKeyField('models.ThreadMessage', source_field='message_id', db_constraint=True, to_field='id', related_name='copies', on_delete=OnDelete.CASCADE)),
                ('chat_id', fields.BigIntField()),
                ('telegram_message_id', fields.BigIntField()),
            ],
            options={'table': 'message_copies', 'app': 'models', 'unique_together': (('chat_id', 'telegram_message_id'),), 'pk_attr': 'id', 'table_description': 'A Telegram message that carries a thread message, so a reply to it finds the thread.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='School',
            name='office_closes',
            field=fields.CharField(default='17:00', db_default='17:00', max_length=5),
        ),
        ops.AddField(
            model_name='School',
            name='office_opens',
            field=fields.CharField(default='08:00', db_default='08:00', max_length=5),
        ),
        ops.AddField(
            model_name='UserPreference',
            name='mute_routine',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
