"""Messages between families and staff as outbox notices: sent, remembered, read.

Each Telegram message that carries a thread message is remembered (`remember_copy`) as soon
as it is sent, so a reply to it finds its thread after a restart. A photo or document goes
with its message as a caption when the text fits one; otherwise it follows as its own row
(`message_file`), reusing Telegram's file id, never downloaded.
"""

from __future__ import annotations

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.i18n import format_datetime
from handlers.delivery.kinds import (
    Reader,
    StaffReader,
    classify,
    int_param,
    notice,
    send_html,
    stale,
)
from handlers.messaging import texts
from models.common import clock
from models.delivery.notify import queue_follow_up
from models.delivery.outbox import NoticeView
from models.messaging.conversations import (
    COVER_STARTED,
    FAMILY_MESSAGE,
    MESSAGE_DIGEST,
    MESSAGE_FILE,
    MESSAGE_READ,
    PHOTO,
    STAFF_ANSWER,
    Attachment,
    MessageView,
    absence_for_cover,
    copy_in_chat,
    message_for_guardian,
    message_for_staff,
    messages_for_staff,
    remember_copy,
    staff_names,
)

# Telegram's caption limit, counted on the HTML (longer than what Telegram counts).
MAX_CAPTION = 1024


async def send_carrying(
    bot: Bot,
    chat_id: int,
    html: str,
    attachment: Attachment | None,
    markup: InlineKeyboardMarkup | None = None,
) -> tuple[int, bool]:
    """Send a message, with its photo or document when the text fits a caption.

    Returns the message id and whether the attachment went with it.
    """
    if attachment is None or len(html) > MAX_CAPTION:
        return await send_html(bot, chat_id, html, markup), False
    return (await send_attachment(bot, chat_id, attachment, html, markup)).message_id, True


async def send_attachment(
    bot: Bot,
    chat_id: int,
    attachment: Attachment,
    caption: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    """A photo or document by its Telegram file id, with an HTML caption."""
    try:
        if attachment.kind == PHOTO:
            return await bot.send_photo(
                chat_id,
                attachment.file_id,
                caption=caption,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        return await bot.send_document(
            chat_id,
            attachment.file_id,
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
        )
    except TelegramError as error:
        raise classify(error) from error


async def _follow_with_file(row: NoticeView, view: MessageView) -> None:
    await queue_follow_up(
        row,
        MESSAGE_FILE,
        {"message_id": view.message_id, "pupil_id": view.pupil_id},
        now=clock.now(),
        suffix=f"file-{view.message_id}",
    )


def _ids(row: NoticeView, name: str) -> list[int]:
    values = row.params.get(name, [])
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        raise stale()
    return values


async def family_message(bot: Bot, row: NoticeView, reader: StaffReader) -> int:
    """A family's message for a class teacher (or their cover, or the office)."""
    now = clock.now()
    view = await message_for_staff(reader.actor, int_param(row, "message_id"), now=now)
    covering = await staff_names(_ids(row, "covering"))
    return await _staff_copy(bot, row, view, covering=covering)


async def _staff_copy(
    bot: Bot, row: NoticeView, view: MessageView, *, covering: list[str], written: str = ""
) -> int:
    text = texts.staff_copy_text(view, covering=covering, written_when=written)
    markup = texts.staff_markup(view.message_id)
    if view.attachment is not None and len(text) > MAX_CAPTION:
        text = texts.staff_copy_text(view, covering=covering, written_when=written, follows=True)
        message_id = await send_html(bot, row.chat_id, text, markup)
        await _follow_with_file(row, view)
    else:
        message_id, _carried = await send_carrying(bot, row.chat_id, text, view.attachment, markup)
    await remember_copy(view.message_id, row.chat_id, message_id)
    return message_id


async def message_digest(bot: Bot, row: NoticeView, reader: StaffReader) -> int:
    """The morning digest: the messages written while the office was closed, in one message."""
    views = await messages_for_staff(reader.actor, _ids(row, "message_ids"), now=clock.now())
    if not views:
        raise stale()
    covering = await staff_names(_ids(row, "covering"))
    if len(views) == 1:
        (view,) = views
        written = format_datetime(view.created_at, reader.timezone, texts.WHEN)
        return await _staff_copy(bot, row, view, covering=covering, written=written)
    text = texts.digest_text(views, reader.timezone, covering=covering)
    message_id = await send_html(bot, row.chat_id, text, texts.digest_markup(views))
    for view in views:
        if view.attachment is not None:
            await _follow_with_file(row, view)
    return message_id


async def staff_file(bot: Bot, row: NoticeView, reader: StaffReader) -> int:
    """A family's photo or document, after its message; a reply to it answers the family."""
    now = clock.now()
    view = await message_for_staff(reader.actor, int_param(row, "message_id"), now=now)
    if view.attachment is None:
        raise stale()
    message = await send_attachment(
        bot,
        row.chat_id,
        view.attachment,
        texts.staff_caption(view),
        texts.staff_markup(view.message_id),
    )
    await remember_copy(view.message_id, row.chat_id, message.message_id)
    return message.message_id


async def cover_started(bot: Bot, row: NoticeView, reader: StaffReader) -> int:
    """A colleague is told they now receive an away teacher's families' messages."""
    name, classes = await absence_for_cover(
        reader.actor, int_param(row, "absence_id"), now=clock.now()
    )
    return await send_html(bot, row.chat_id, texts.cover_text(name, classes))


async def staff_answer(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """Staff's answer, to the one guardian whose thread it is."""
    view = await message_for_guardian(reader.actor, int_param(row, "message_id"))
    if view.from_family:
        raise stale()
    message_id, carried = await send_carrying(
        bot, row.chat_id, texts.answer_text(view), view.attachment
    )
    if view.attachment is not None and not carried:
        await _follow_with_file(row, view)
    await remember_copy(view.message_id, row.chat_id, message_id)
    return message_id


async def family_file(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """A photo or document from staff, after their answer."""
    view = await message_for_guardian(reader.actor, int_param(row, "message_id"))
    if view.from_family or view.attachment is None:
        raise stale()
    message = await send_attachment(bot, row.chat_id, view.attachment, texts.answer_caption(view))
    await remember_copy(view.message_id, row.chat_id, message.message_id)
    return message.message_id


async def message_read(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """ "✓✓ Read by …" on the family's own confirmation; a short note if that is not possible."""
    view = await message_for_guardian(reader.actor, int_param(row, "message_id"))
    if not view.from_family or view.read_at is None:
        raise stale()
    confirmation = await copy_in_chat(view.message_id, row.chat_id)
    if confirmation is not None:
        text = texts.confirmation_text(view, [texts.read_line(view, reader.timezone)])
        try:
            await bot.edit_message_text(
                text, chat_id=row.chat_id, message_id=confirmation, parse_mode=ParseMode.HTML
            )
        except BadRequest:
            pass  # deleted, or too old to edit: the note below says it instead
        except TelegramError as error:
            raise classify(error) from error
        else:
            return confirmation
    return await send_html(bot, row.chat_id, texts.read_notice(view))


notice(FAMILY_MESSAGE, render_for_staff=family_message)
notice(MESSAGE_DIGEST, render_for_staff=message_digest)
notice(COVER_STARTED, render_for_staff=cover_started)
notice(STAFF_ANSWER, render=staff_answer)
notice(MESSAGE_READ, render=message_read)
notice(MESSAGE_FILE, render=family_file, render_for_staff=staff_file)
