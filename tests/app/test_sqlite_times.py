"""On SQLite, times are stored in UTC, so comparing the stored text compares the moments."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from models import ChatFlow

LONDON = ZoneInfo("Europe/London")


async def test_a_summer_time_moment_is_stored_in_utc_and_compares_as_a_moment(
    sqlite_db: str,
) -> None:
    evening = datetime(2027, 6, 1, 18, 0, tzinfo=LONDON)  # 17:00 UTC
    await ChatFlow.create(chat_id=1, kind="k", step="s", data={}, expires_at=evening)
    path = sqlite_db.removeprefix("sqlite://")
    with sqlite3.connect(path) as raw:
        (stored,) = raw.execute("SELECT expires_at FROM chat_flows").fetchone()
    assert stored == "2027-06-01 17:00:00+00:00"
    half_past_five_utc = datetime(2027, 6, 1, 17, 30, tzinfo=UTC)
    assert await ChatFlow.filter(expires_at__lte=half_past_five_utc).count() == 1
    assert await ChatFlow.filter(expires_at__gt=evening - timedelta(minutes=1)).count() == 1
    assert (await ChatFlow.get(chat_id=1)).expires_at == evening
