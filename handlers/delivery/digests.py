"""Daily and weekly digests: a guardian's routine news gathered into one message.

A row held for a digest (`Notification.digest`) takes the chat's other due digest rows with
it; each routine kind says what it is in one paragraph (its `digest` in
`handlers.delivery.kinds.notice`). One "👍 Seen" button
marks every new target in the digest as read.
"""

from __future__ import annotations

from html import escape

from telegram import Bot, Update
from telegram.ext import Application

from bot.i18n import _
from handlers.common import callback_data
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.delivery.kinds import Reader, digest_line_for, send_html, stale
from handlers.targets.notices import seen_keyboard
from models.common import clock
from models.common.errors import DomainError
from models.delivery.outbox import Notification, notice_view
from models.targets.notices import TargetNotice
from models.targets.targeting import acknowledge_digest
from scheduler.delivery import DeliveryError, Undeliverable
from scheduler.outbox import (
    claim_digest_companions,
    mark_dead,
    mark_sent_together,
    release_claims,
)

KIND = "seend"
MAX_MESSAGE = 4096
# An HTML paragraph cut short must not break a tag: leave room below the limit.
MARKUP_ROOM = 96


async def send_digest(bot: Bot, row: Notification, reader: Reader) -> int | None:
    """Send `row` and the chat's other due digest rows as one message.

    What does not fit in Telegram's 4096 characters is let go again and follows in the next
    digest message a second later: one message per row sent, so a failure repeats nothing.
    """
    now = clock.now()
    companions = await claim_digest_companions(row, now=now)
    text = "📬 <b>" + escape(_("News from school")) + "</b>"
    included: list[Notification] = []
    left_over: list[int] = []
    for item in [row, *companions]:
        line = digest_line_for(item.kind)
        try:
            if line is None:
                raise Undeliverable("unknown_kind")
            paragraph = await line(notice_view(item), reader)
        except (DeliveryError, DomainError) as error:
            reason = error.reason if isinstance(error, DeliveryError) else "stale"
            if item is not row:
                await mark_dead(item, error=reason)
            continue
        if len(text) + 2 + len(paragraph) > MAX_MESSAGE - MARKUP_ROOM:
            if included:
                left_over.append(item.id)
                continue
            paragraph = paragraph[: MAX_MESSAGE - MARKUP_ROOM - len(text) - 3] + "…"
        text += "\n\n" + paragraph
        included.append(item)
    if row not in included:
        await release_claims(left_over)
        raise stale()
    new_target = any(item.kind == TargetNotice.TARGET_SET for item in included)
    markup = seen_keyboard(row.id, kind=KIND) if new_target else None
    try:
        message_id = await send_html(bot, row.chat_id, text, markup)
    finally:
        await release_claims(left_over)
    others = [item.id for item in included if item is not row]
    await mark_sent_together(others, message_id=message_id, now=now)
    return message_id


async def seen_digest(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str:
    """ "👍 Seen" on a digest: every new target in it is marked as read, once."""
    first_id = callback_data.one_id(args, below=callback_data.BIG_SERIAL_ID)
    try:
        new = None if first_id is None else await acknowledge_digest(acting(context), first_id)
    except DomainError:
        new = None
    if first_id is None or new is None:
        return _("This button is no longer active.")
    if not new:
        return _("Already marked as seen.")
    if update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(
            seen_keyboard(first_id, done=True, kind=KIND)
        )
    return _("Thank you! Your child's teacher can see that you have read it.")


def register(app: Application) -> None:
    register_buttons(app, seen_digest, KIND)
