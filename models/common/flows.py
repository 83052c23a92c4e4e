"""Multi-step chat flows keep their state here, so any bot replica can take the next step.

Callers get a `Flow`: a frozen view of the stored row, never the row itself. Moving a flow on
returns the new view; the one a caller holds keeps saying what it said when it was read.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from models.common.runtime import ChatFlow

FLOW_TTL = timedelta(minutes=30)


@dataclass(frozen=True)
class Flow:
    """One chat's flow at one step, as read: `data` is read-only and the view's own copy."""

    chat_id: int
    kind: str
    step: str
    data: Mapping[str, Any]
    expires_at: datetime


def _view(
    chat_id: int, kind: str, step: str, data: Mapping[str, Any], expires_at: datetime
) -> Flow:
    # A deep copy: nothing the caller (or the ORM) still holds can change the view afterwards.
    return Flow(chat_id, kind, step, MappingProxyType(deepcopy(dict(data))), expires_at)


def _stored(data: Mapping[str, Any]) -> dict[str, Any]:
    """A plain dict for the JSON column (a view's data is a read-only mapping)."""
    return deepcopy(dict(data))


async def start_flow(
    chat_id: int, kind: str, step: str, data: Mapping[str, Any], *, now: datetime
) -> Flow:
    """Begin (or replace) this chat's flow."""
    expires_at = now + FLOW_TTL
    await ChatFlow.update_or_create(
        defaults={"kind": kind, "step": step, "data": _stored(data), "expires_at": expires_at},
        chat_id=chat_id,
    )
    return _view(chat_id, kind, step, data, expires_at)


async def current_flow(chat_id: int, *, now: datetime, kind: str | None = None) -> Flow | None:
    """This chat's live flow (of `kind`, if given); an expired one is forgotten."""
    row = await ChatFlow.get_or_none(chat_id=chat_id)
    if row is None:
        return None
    if row.expires_at <= now:
        await row.delete()
        return None
    if kind is not None and row.kind != kind:
        return None
    return _view(row.chat_id, row.kind, row.step, row.data, row.expires_at)


async def advance_flow(flow: Flow, step: str, data: Mapping[str, Any], *, now: datetime) -> Flow:
    """Move a flow to its next step, keeping it alive for another while: the new view."""
    expires_at = now + FLOW_TTL
    await ChatFlow.filter(chat_id=flow.chat_id).update(
        step=step, data=_stored(data), expires_at=expires_at
    )
    return _view(flow.chat_id, flow.kind, step, data, expires_at)


async def save_flow_data(flow: Flow, data: Mapping[str, Any]) -> Flow:
    """Keep a flow's data after a step that stays on the same step (a sweep's tap): the new view."""
    await ChatFlow.filter(chat_id=flow.chat_id).update(data=_stored(data))
    return replace(flow, data=MappingProxyType(_stored(data)))


async def end_flow(chat_id: int) -> None:
    """Forget this chat's flow, whatever it was."""
    await ChatFlow.filter(chat_id=chat_id).delete()


async def take_flow(chat_id: int, kind: str, step: str) -> bool:
    """End this chat's flow if it is at `step` of `kind`; False when it was not (or is gone).

    Deleting is the claim: of two presses at once, only one finds the flow to take.
    """
    return bool(await ChatFlow.filter(chat_id=chat_id, kind=kind, step=step).delete())
