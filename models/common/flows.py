"""Multi-step chat flows keep their state here, so any bot replica can take the next step."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from models.common.runtime import ChatFlow

FLOW_TTL = timedelta(minutes=30)


async def start_flow(
    chat_id: int, kind: str, step: str, data: dict[str, Any], *, now: datetime
) -> None:
    """Begin (or replace) this chat's flow."""
    await ChatFlow.update_or_create(
        defaults={"kind": kind, "step": step, "data": data, "expires_at": now + FLOW_TTL},
        chat_id=chat_id,
    )


async def current_flow(chat_id: int, *, now: datetime, kind: str | None = None) -> ChatFlow | None:
    """This chat's live flow (of `kind`, if given); an expired one is forgotten."""
    flow = await ChatFlow.get_or_none(chat_id=chat_id)
    if flow is None:
        return None
    if flow.expires_at <= now:
        await flow.delete()
        return None
    if kind is not None and flow.kind != kind:
        return None
    return flow


async def advance_flow(flow: ChatFlow, step: str, data: dict[str, Any], *, now: datetime) -> None:
    """Move a flow to its next step, keeping it alive for another while."""
    flow.step, flow.data, flow.expires_at = step, data, now + FLOW_TTL
    await ChatFlow.filter(chat_id=flow.chat_id).update(
        step=step, data=data, expires_at=flow.expires_at
    )


async def save_flow_data(flow: ChatFlow, data: dict[str, Any]) -> None:
    """Keep a flow's data after a step that stays on the same step (a sweep's tap)."""
    flow.data = data
    await ChatFlow.filter(chat_id=flow.chat_id).update(data=data)


async def end_flow(chat_id: int) -> None:
    """Forget this chat's flow, whatever it was."""
    await ChatFlow.filter(chat_id=chat_id).delete()


async def take_flow(chat_id: int, kind: str, step: str) -> bool:
    """End this chat's flow if it is at `step` of `kind`; False when it was not (or is gone).

    Deleting is the claim: of two presses at once, only one finds the flow to take.
    """
    return bool(await ChatFlow.filter(chat_id=chat_id, kind=kind, step=step).delete())
