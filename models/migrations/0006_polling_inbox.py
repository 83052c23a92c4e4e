"""Long polling keeps each fetched update before confirming it: the inbox_updates table."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_sqlite_times_in_utc')]

    initial = False

    operations = [
        ops.CreateModel(
            name='InboxUpdate',
            fields=[
                ('update_id', fields.BigIntField(generated=False, primary_key=True, unique=True, db_index=True)),
                ('chat_id', fields.BigIntField(null=True)),
                ('payload', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'inbox_updates', 'app': 'models', 'pk_attr': 'update_id', 'table_description': 'An update fetched by long polling and kept before Telegram is told it arrived.'},
            bases=['Model'],
        ),
    ]
