"""Staff choose how booking news from families reaches them: user_preferences.booking_news."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from models.common.enums import BookingNews
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_polling_inbox')]

    initial = False

    operations = [
        ops.AddField(
            model_name='UserPreference',
            name='booking_news',
            field=fields.CharEnumField(default=BookingNews.AT_ONCE, description='AT_ONCE: at_once\nEND_OF_DAY: end_of_day', db_default=BookingNews.AT_ONCE, enum_type=BookingNews, max_length=12),
        ),
    ]
