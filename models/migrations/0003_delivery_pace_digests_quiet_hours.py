from tortoise import migrations
from tortoise.migrations import operations as ops
from models.common.enums import UpdateFrequency
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_booking_family_key')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DeliveryPace',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('next_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'delivery_pace', 'app': 'models', 'pk_attr': 'name', 'table_description': 'The next free moment to send, shared by every process delivering for one bot.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Notification',
            name='claimed_until',
            field=fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='Notification',
            name='sent_at',
            field=fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Notification',
            name='digest',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='School',
            name='quiet_ends',
            field=fields.CharField(default='07:30', db_default='07:30', max_length=5),
        ),
        ops.AddField(
            model_name='School',
            name='quiet_starts',
            field=fields.CharField(default='20:00', db_default='20:00', max_length=5),
        ),
        ops.AddField(
            model_name='UserPreference',
            name='updates',
            field=fields.CharEnumField(default=UpdateFrequency.INSTANT, db_default=UpdateFrequency.INSTANT, description='INSTANT: instant\nDAILY: daily\nWEEKLY: weekly', enum_type=UpdateFrequency, max_length=8),
        ),
    ]
