"""Count the SQL statements a block of code sends, to catch N+1 queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from tortoise import connections

METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many")


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0


@contextmanager
def count_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[QueryCounter]:
    """Wrap the default connection's execute methods while the block runs."""
    counter = QueryCounter()
    client = connections.get("default")
    cls = type(client)
    with monkeypatch.context() as patch:
        for name in METHODS:
            original = getattr(cls, name)

            async def counted(self: Any, *args: Any, _original: Any = original, **kw: Any) -> Any:
                counter.count += 1
                return await _original(self, *args, **kw)

            patch.setattr(cls, name, counted)
        yield counter
