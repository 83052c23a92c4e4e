"""What went out together: the rows a digest message carried, for the buttons under it."""

from __future__ import annotations

from models.common.enums import NotificationState
from models.delivery.kinds import NoticeKind
from models.delivery.outbox import NoticeView, Notification, notice_view


async def sent_with(
    row_id: int, *, chat_id: int, kind: NoticeKind
) -> tuple[NoticeView, ...] | None:
    """The rows of `kind` sent to `chat_id` in the same message as row `row_id` (a digest).

    None when that row is not this chat's or has not been sent.
    """
    first = await Notification.get_or_none(id=row_id, chat_id=chat_id)
    if first is None or first.telegram_message_id is None:
        return None
    rows = await Notification.filter(
        chat_id=chat_id,
        telegram_message_id=first.telegram_message_id,
        state=NotificationState.SENT,
        kind=kind,
    )
    return tuple(notice_view(row) for row in rows)
