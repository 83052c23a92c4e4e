"""The morning digest: families' messages written outside office hours, passed on at opening.

A planning step (`scheduler.planning`), on the leading process. A held message has a
`deliver_after` (the next opening) and no `staff` yet. Once that moment has come and the
school's office is open, the step works out who receives each message *then* (so an
absence or cover set first thing counts), gives the message its `staff` and queues one
`message_digest` row per recipient, at most DIGEST_SIZE messages each, in one transaction.
Keys (`md-s<staff>-m<first message>`) make a second run add nothing; a bot that was down
overnight plans at its first tick in office hours, never at night.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from models.calendar.school import School
from models.common.enums import MessageDirection
from models.delivery.outbox import Notification
from models.messaging.conversations.common import MESSAGE_DIGEST
from models.messaging.conversations.recipients import Routing, routings
from models.messaging.office_hours import office_hours
from models.messaging.tables import ThreadMessage

# Held messages older than this are not looked at again (they were planned long ago).
LOOKBACK = timedelta(days=45)
DIGEST_SIZE = 10


async def plan_message_digests(*, now: datetime) -> int:
    """Queue the digests due at `now`; returns rows queued. One query when nothing waits."""
    held = (
        await ThreadMessage.filter(
            direction=MessageDirection.FROM_GUARDIAN,
            staff_id=None,
            deliver_after__lte=now,
            deliver_after__gt=now - LOOKBACK,
        )
        .select_related("thread__pupil__school")
        .order_by("id")
    )
    by_school: dict[int, list[ThreadMessage]] = defaultdict(list)
    schools: dict[int, School] = {}
    for message in held:
        school = message.thread.pupil.school
        schools[school.id] = school
        by_school[school.id].append(message)
    queued = 0
    for school_id, messages in by_school.items():
        hours = await office_hours(schools[school_id], now=now)
        if hours.is_open(now):
            queued += await _plan_school(school_id, messages, now)
    return queued


async def retime_held_messages(school: School, *, now: datetime) -> int:
    """Give the school's held messages the next opening of its (new) office hours.

    A message is held with the opening worked out when it was sent; when the hours change,
    it waits for the new opening instead (at once when the office is now open or always open).
    Returns how many were re-timed.
    """
    opening = (await office_hours(school, now=now)).next_opening(now)
    held: list[int] = await ThreadMessage.filter(  # type: ignore[assignment]
        thread__school_id=school.id,
        direction=MessageDirection.FROM_GUARDIAN,
        staff_id=None,
        deliver_after__gt=now - LOOKBACK,
    ).values_list("id", flat=True)
    if held:
        await ThreadMessage.filter(id__in=held).update(deliver_after=opening)
    return len(held)


async def _plan_school(school_id: int, messages: list[ThreadMessage], now: datetime) -> int:
    classes = {m.thread.pupil.school_class_id for m in messages}
    routes = await routings(school_id, classes, now=now)
    for_staff: dict[int | None, list[int]] = defaultdict(list)
    batches: dict[int, tuple[int, list[int], set[int]]] = {}
    for message in messages:
        routing: Routing = routes[message.thread.pupil.school_class_id]
        if not routing.recipients:
            continue  # nobody linked to receive it yet: it waits for someone
        for_staff[routing.for_staff_id].append(message.id)
        for recipient in routing.recipients:
            _chat, ids, covering = batches.setdefault(
                recipient.staff_id, (recipient.chat_id, [], set())
            )
            ids.append(message.id)
            covering.update(recipient.covering)
    rows = [
        Notification(
            school_id=school_id,
            staff_id=staff_id,
            chat_id=chat,
            kind=MESSAGE_DIGEST,
            params={"message_ids": chunk, "covering": sorted(covering)},
            due_at=now,
            idempotency_key=f"md-s{staff_id}-m{chunk[0]}",
        )
        for staff_id, (chat, ids, covering) in batches.items()
        for chunk in (ids[i : i + DIGEST_SIZE] for i in range(0, len(ids), DIGEST_SIZE))
    ]
    async with in_transaction():
        existing = set(
            await Notification.filter(
                idempotency_key__in=[r.idempotency_key for r in rows]
            ).values_list("idempotency_key", flat=True)
        )
        fresh = [r for r in rows if r.idempotency_key not in existing]
        if fresh:
            await Notification.bulk_create(fresh)
        for staff_id, ids in for_staff.items():
            await ThreadMessage.filter(id__in=ids, staff_id=None).update(staff_id=staff_id)
    return len(fresh)
