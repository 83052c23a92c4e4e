"""Queue notifications in the outbox, inside the caller's transaction; delivery comes later."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from models.delivery.kinds import NoticeKind
from models.delivery.outbox import NoticeView, Notification
from models.people.tables import GuardianLink


async def notify_guardians(
    pupil_id: int, kind: NoticeKind, params: dict[str, Any], *, now: datetime, key: str
) -> int:
    """One outbox row per linked guardian of the pupil who receives reports.

    `key` makes the rows idempotent: queuing the same event twice adds nothing.
    """
    links = await GuardianLink.filter(
        pupil_id=pupil_id,
        receives_reports=True,
        guardian__telegram_user_id__not_isnull=True,
        guardian__left_at=None,
        guardian__unreachable_at=None,
    ).prefetch_related("guardian")
    keys = [f"{key}:g{link.guardian_id}" for link in links]
    existing = set(
        await Notification.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    rows = [
        Notification(
            school_id=link.guardian.school_id,
            guardian_id=link.guardian_id,
            chat_id=link.guardian.telegram_user_id,
            kind=kind,
            params={**params, "pupil_id": pupil_id},
            due_at=now,
            idempotency_key=row_key,
        )
        for link, row_key in zip(links, keys, strict=True)
        if row_key not in existing
    ]
    if rows:
        await Notification.bulk_create(rows)
    return len(rows)


FOLLOW_UP_GAP = timedelta(seconds=1)


async def queue_follow_up(
    row: NoticeView, kind: NoticeKind, params: dict[str, Any], *, now: datetime, suffix: str
) -> None:
    """Another message to the same reader, a second after `row` (Telegram's pace per chat).

    Keyed on the first row's key, so sending that row again after a crash adds nothing.
    """
    key = f"{row.idempotency_key}:{suffix}"
    if await Notification.filter(idempotency_key=key).exists():
        return
    await Notification.create(
        school_id=row.school_id,
        guardian_id=row.guardian_id,
        staff_id=row.staff_id,
        chat_id=row.chat_id,
        kind=kind,
        params=params,
        due_at=now + FOLLOW_UP_GAP,
        idempotency_key=key[:128],
    )
