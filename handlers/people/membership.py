"""Notice when someone blocks or unblocks the bot in their private chat."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import Application, ChatMemberHandler

from handlers.common.context import MentorContext
from models.common import clock
from models.people.preferences import set_reachable


async def membership_changed(update: Update, context: MentorContext) -> None:
    """Blocked: queue nothing more for them. Unblocked: they can be reached again."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    blocked = change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT)
    await set_reachable(change.from_user.id, reachable=not blocked, now=clock.now())


def register(app: Application) -> None:
    app.add_handler(ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
