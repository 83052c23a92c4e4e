from tortoise import migrations
from tortoise.migrations import operations as ops


async def times_in_utc(apps, schema_editor) -> None:
    """SQLite keeps times as text: rewrite any stored with a local offset into UTC.

    Until now a moment built in a school's summer time was stored as "…+01:00", and SQLite's
    text comparison put it an hour out. PostgreSQL stores instants and needs nothing.
    """
    client = schema_editor.client
    if client.capabilities.dialect != "sqlite":
        return
    _, tables = await client.execute_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for table in (row["name"] for row in tables):
        _, columns = await client.execute_query(f'PRAGMA table_info("{table}")')
        for column in (row["name"] for row in columns if row["type"] == "TIMESTAMP"):
            await client.execute_script(
                f'UPDATE "{table}" SET "{column}" = '
                f"strftime('%Y-%m-%d %H:%M:%f', \"{column}\") || '+00:00' "
                f'WHERE "{column}" IS NOT NULL AND "{column}" NOT LIKE \'%+00:00\''
            )


class Migration(migrations.Migration):
    dependencies = [('models', '0004_messages_and_announcements')]

    initial = False

    operations = [
        ops.RunPython(times_in_utc, ops.RunPython.noop),
    ]
