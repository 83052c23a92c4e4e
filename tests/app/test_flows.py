"""Chat flows as the domain hands them out: frozen views, moved on by returning the next one."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from models import ChatFlow
from models.common.flows import (
    FLOW_TTL,
    Flow,
    advance_flow,
    current_flow,
    end_flow,
    save_flow_data,
    start_flow,
    take_flow,
)

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
CHAT = 501


async def test_a_flow_is_a_frozen_view_with_its_own_data(db: str) -> None:
    done = [[0, 11]]
    data = {"pupil": 7, "done": done}
    await start_flow(CHAT, "sweep", "tap", data, now=NOW)
    done.append([1, 12])  # what the caller still holds is not what was stored

    flow = await current_flow(CHAT, now=NOW)

    assert flow == Flow(CHAT, "sweep", "tap", {"pupil": 7, "done": [[0, 11]]}, NOW + FLOW_TTL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        flow.step = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        flow.data["pupil"] = 8  # type: ignore[index]


async def test_advancing_returns_the_next_step_and_leaves_the_old_view_alone(db: str) -> None:
    started = await start_flow(CHAT, "target", "text", {"pupil": 7}, now=NOW)
    later = NOW + timedelta(minutes=10)

    moved = await advance_flow(started, "home", {**started.data, "text": "Read daily"}, now=later)

    assert (moved.kind, moved.step, dict(moved.data)) == (
        "target",
        "home",
        {"pupil": 7, "text": "Read daily"},
    )
    assert moved.expires_at == later + FLOW_TTL
    assert (started.step, dict(started.data)) == ("text", {"pupil": 7})  # unchanged
    assert await current_flow(CHAT, now=later, kind="target") == moved

    saved = await save_flow_data(moved, {**moved.data, "text": "Read twice"})

    assert (saved.step, saved.data["text"], saved.expires_at) == (
        "home",
        "Read twice",
        later + FLOW_TTL,
    )
    assert moved.data["text"] == "Read daily"
    assert await current_flow(CHAT, now=later) == saved


async def test_an_expired_flow_is_gone_and_another_kind_is_not_seen(db: str) -> None:
    await start_flow(CHAT, "rounds", "name", {}, now=NOW)

    assert await current_flow(CHAT, now=NOW, kind="terms") is None
    assert await current_flow(CHAT, now=NOW + FLOW_TTL - timedelta(seconds=1)) is not None
    assert await current_flow(CHAT, now=NOW + FLOW_TTL) is None
    assert await ChatFlow.filter(chat_id=CHAT).count() == 0  # forgotten, not just hidden


async def test_take_flow_claims_a_flow_once(db: str) -> None:
    await start_flow(CHAT, "announce", "ready", {"text": "Trip on Friday"}, now=NOW)

    assert not await take_flow(CHAT, "announce", "text")  # another step: left as it was
    assert await current_flow(CHAT, now=NOW) is not None

    claims = await asyncio.gather(*(take_flow(CHAT, "announce", "ready") for _ in range(2)))

    assert sorted(claims) == [False, True]
    assert await current_flow(CHAT, now=NOW) is None


async def test_ending_forgets_the_flow(db: str) -> None:
    await start_flow(CHAT, "hours", "span", {"kind": "office"}, now=NOW)
    await end_flow(CHAT)

    assert await current_flow(CHAT, now=NOW) is None
