"""Which process plans timed work: the holder of a PostgreSQL advisory lock.

The lock is a session lock on a connection of its own, kept for as long as the process leads.
When the leader dies its connection closes, PostgreSQL releases the lock, and the next process
to try (every planning tick) takes over. SQLite runs one process, which always leads.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

# pg_try_advisory_lock key: "planner" folded into a bigint (the migration lock uses another).
PLANNER_LOCK = 0x706C616E6E6572


def _is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgres://", "asyncpg://"))


class Leadership:
    """Try to lead once per tick; `lead()` says whether this process plans now."""

    def __init__(self, database_url: str) -> None:
        self._database_url = database_url.replace("asyncpg://", "postgres://", 1)
        self._connection: Any = None

    @property
    def holds_lock(self) -> bool:
        return self._connection is not None

    async def lead(self) -> bool:
        """True while this process holds the planner lock (taking it if it is free)."""
        if not _is_postgres(self._database_url):
            return True
        if self._connection is not None:
            try:
                await self._connection.fetchval("SELECT 1")
                return True
            except Exception as error:  # the session is gone, and the lock with it
                logger.warning("Lost the planner lock: %s", type(error).__name__)
                await self.release()
        import asyncpg

        connection = await asyncpg.connect(self._database_url)
        try:
            taken = await connection.fetchval("SELECT pg_try_advisory_lock($1)", PLANNER_LOCK)
        except Exception:
            await connection.close()
            raise
        if not taken:
            await connection.close()
            return False
        logger.info("This process now plans timed work")
        self._connection = connection
        return True

    async def release(self) -> None:
        """Give up leading (closing the session releases the lock)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception as error:
                logger.warning("Closing the planner connection failed: %s", type(error).__name__)
