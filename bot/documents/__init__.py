"""Pictures and documents rendered from plain domain data (no Telegram here)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


async def render_in_thread(render: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a CPU-bound renderer in a worker thread so the event loop keeps serving updates."""
    return await asyncio.to_thread(render, *args, **kwargs)
