"""The bot works in private chats only; this is the one place that decides what a group gets.

Every update from a group, supergroup or channel stops here, before any feature's handler:
- a button pressed there is answered with a short note and nothing else happens;
- a command, a mention of the bot or a reply to it gets the same note, once, as plain text;
- the bot being added to a group says the note once and leaves (see `added`);
- anything else is ignored.
Nothing about a pupil or a family, and no keyboard, is ever sent to a group (`bot.outgoing`
refuses it too, whatever asks).
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, ChatMember, ChatMemberUpdated, Message, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from handlers.common.context import MentorContext
from handlers.common.texts import private_chats_only_text

logger = logging.getLogger(__name__)

# After the middleware (-10), so the note is in the reader's language; before everything else.
GROUP = -5

_IN = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)


def from_private_chat(update: Update) -> bool:
    """A private chat's update, or one with no chat at all (which no feature handles)."""
    chat = update.effective_chat
    if update.callback_query is not None:
        # A press on an inline message has no chat; this bot posts none, so it is foreign too.
        return chat is not None and chat.type == ChatType.PRIVATE
    return chat is None or chat.type == ChatType.PRIVATE


async def outside_private_chats(update: Update, context: MentorContext) -> None:
    """Answer a group's update with the note at most, and let no other handler see it."""
    if from_private_chat(update):
        return
    try:
        if update.callback_query is not None:
            await _pressed(update.callback_query)
        elif update.my_chat_member is not None:
            await added(update.my_chat_member, context)
        elif update.message is not None and addressed_to_bot(update.message, context.bot.username):
            await update.message.reply_text(_note(context), do_quote=False)
    except Exception as error:  # whatever failed, the update must stop here: PTB would go on
        logger.warning("Could not answer in a group: %s", type(error).__name__)
    raise ApplicationHandlerStop


async def _pressed(query: CallbackQuery) -> None:
    await query.answer(private_chats_only_text(), show_alert=True)


async def added(change: ChatMemberUpdated, context: MentorContext) -> None:
    """Added to a group: say once that the bot works in private chats, then leave.

    A school's IT person expects a bot that holds pupils' records to stay out of groups
    altogether: staying would list it among the members as if it worked there, and keep it
    receiving what people say to it in front of everyone. Leaving with one plain note tells
    whoever added it why, with no data and no buttons. In a channel the note would be
    published to every subscriber, so the bot only leaves.
    """
    joined = change.new_chat_member.status in _IN and change.old_chat_member.status not in _IN
    if not joined:  # removed, or left on its own: nothing to say, and no longer possible
        return
    if change.chat.type != ChatType.CHANNEL:
        await context.bot.send_message(change.chat.id, _note(context))
    await context.bot.leave_chat(change.chat.id)


def addressed_to_bot(message: Message, username: str) -> bool:
    """A command (not another bot's), a mention of this bot, or a reply to one of its messages."""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
        return replied.from_user.username == username
    kinds: list[str | None] = [MessageEntityType.BOT_COMMAND, MessageEntityType.MENTION]
    found = message.parse_entities(kinds) or message.parse_caption_entities(kinds)
    for entity, part in found.items():
        if entity.type == MessageEntityType.BOT_COMMAND and entity.offset == 0:
            command, _, target = part.partition("@")
            return bool(command) and (not target or target.lower() == username.lower())
        if entity.type == MessageEntityType.MENTION and part[1:].lower() == username.lower():
            return True
    return False


def _note(context: MentorContext) -> str:
    return private_chats_only_text() + "\n@" + context.bot.username


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, outside_private_chats), group=GROUP)
