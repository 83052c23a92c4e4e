"""Daily and weekly digests: a guardian's routine news gathered into one message.

A row held for a digest (`Notification.digest`) takes the chat's other due digest rows with
it; each routine kind says what it is in one paragraph (`@digest_line`). One "👍 Seen" button
marks every new target in the digest as read.
"""

from __future__ import annotations

from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.i18n import _, format_date
from handlers.common import callback_data
from handlers.common.context import MentorContext, acting
from handlers.common.labels import area_label, shown_text
from handlers.delivery.files import follow_with_file
from handlers.delivery.kinds import (
    Reader,
    digest_line,
    digest_line_for,
    int_param,
    send_html,
    stale,
)
from handlers.meetings.sheet import SHEET_FILE
from handlers.meetings.texts import local_day
from models.common import clock
from models.common.enums import Area, NotificationState, TargetStatus
from models.common.errors import DomainError
from models.delivery.outbox import Notification
from models.meetings.tables import MeetingRecord
from models.people.access import visible_pupils
from models.targets.tables import Target
from models.targets.targeting import acknowledge_target
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
MAX_NOTE = 300
_MAX_ID = 2**63


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
            paragraph = await line(item, reader)
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
    markup = _seen(row.id) if any(item.kind == "target_set" for item in included) else None
    try:
        message_id = await send_html(bot, row.chat_id, text, markup)
    finally:
        await release_claims(left_over)
    others = [item.id for item in included if item is not row]
    await mark_sent_together(others, message_id=message_id, now=now)
    return message_id


def _seen(row_id: int, *, done: bool = False) -> InlineKeyboardMarkup:
    label = ("✅ " if done else "👍 ") + _("Seen")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=callback_data.encode(KIND, row_id))]]
    )


@digest_line("target_set", "target_achieved")
async def target_paragraph(row: Notification, reader: Reader) -> str:
    """A new target with its home idea, or an achieved one."""
    target = await Target.get_or_none(id=int_param(row, "target_id"))
    pupil = await visible_pupils(reader.actor).filter(id=int_param(row, "pupil_id")).first()
    if target is None or pupil is None or target.pupil_id != pupil.id:
        raise stale()
    name, area = escape(pupil.first_name), escape(area_label(Area(target.area)))
    if row.kind == "target_achieved":
        heading = _("{name} has achieved a target in {area}:").format(name=name, area=area)
        return f"🌟 {heading}\n{shown_text(target.text)}"
    if target.status is TargetStatus.DROPPED:
        raise stale()
    heading = _("<b>New target for {name}</b> ({area})").format(name=name, area=area)
    text = f"🎯 {heading}\n{shown_text(target.text)}"
    if target.home_support:
        text += "\n🏠 " + shown_text(target.home_support)
    return text


@digest_line("meeting_summary")
async def meeting_paragraph(row: Notification, reader: Reader) -> str:
    """That a meeting's summary is here, its notes in short; the printable sheet follows."""
    record = await MeetingRecord.get_or_none(id=int_param(row, "record_id"))
    pupil = None
    if record is not None:
        pupil = await visible_pupils(reader.actor).filter(id=record.pupil_id).first()
    if record is None or pupil is None:
        raise stale()
    day = format_date(local_day(record.held_at, reader.timezone), "long")
    heading = _("Summary of {name}'s mentoring meeting on {day}").format(
        name=escape(pupil.first_name), day=day
    )
    notes = record.notes.strip()
    if len(notes) > MAX_NOTE:
        notes = notes[: MAX_NOTE - 1] + "…"
    await follow_with_file(row, SHEET_FILE, record_id=record.id)
    return f"📝 <b>{heading}</b>" + (f"\n{escape(notes)}" if notes else "")


async def seen_digest(update: Update, context: MentorContext) -> None:
    """ "👍 Seen" on a digest: every new target in it is marked as read, once."""
    query = update.callback_query
    if query is None:
        return
    parsed = callback_data.decode(query.data)
    arg = parsed.args[0] if parsed and len(parsed.args) == 1 else ""
    if not arg.isdigit() or not 0 < int(arg) < _MAX_ID:
        await query.answer(_("This button is no longer active."))
        return
    actor = acting(context)
    first = await Notification.get_or_none(id=int(arg), chat_id=actor.telegram_user_id)
    if first is None or first.telegram_message_id is None:
        await query.answer(_("This button is no longer active."))
        return
    rows = await Notification.filter(
        chat_id=actor.telegram_user_id,
        telegram_message_id=first.telegram_message_id,
        state=NotificationState.SENT,
        kind="target_set",
    )
    new = 0
    try:
        for item in rows:
            new += await acknowledge_target(actor, int_param(item, "target_id"))
    except (DomainError, DeliveryError):
        await query.answer(_("This button is no longer active."))
        return
    if not new:
        await query.answer(_("Already marked as seen."))
        return
    await query.answer(_("Thank you! Your child's teacher can see that you have read it."))
    await query.edit_message_reply_markup(_seen(first.id, done=True))


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(seen_digest, pattern=callback_data.pattern(KIND)))
