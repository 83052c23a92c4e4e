"""/start: link with an invite code, or say hello."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import Application, CommandHandler

from bot.i18n import _, choose_locale, current_locale, format_list, set_locale, strip_isolates
from handlers.common.context import MentorContext
from handlers.common.help import help_text
from handlers.common.menu import apply_chat_menu
from handlers.common.texts import not_linked_text, role_label
from models.common import clock
from models.common.enums import InviteKind
from models.common.errors import DomainError
from models.people.access import resolve_actor
from models.people.invitations import LinkedPerson, redeem_invite
from models.people.invite_codes import canonical_code


async def start(update: Update, context: MentorContext) -> None:
    """Redeem the code in `/start <code>`, or greet."""
    message = update.effective_message
    chat = update.effective_chat
    user = update.effective_user
    if message is None or chat is None or user is None:
        return
    if context.args:
        # Printed letters space the code out in groups; a code never holds a space.
        await link_with_code(update, context, "".join(context.args))
        return
    if context.actor is not None and context.actor.is_linked:
        await message.reply_text(
            _("Welcome back!") + "\n\n" + help_text(context.actor), parse_mode=ParseMode.HTML
        )
    else:
        await message.reply_text(
            _("Hello! I help your school keep families and teachers in touch about learning.")
            + "\n\n"
            + not_linked_text()
        )


async def link_with_code(update: Update, context: MentorContext, typed: str) -> None:
    """Redeem an invite code (from the link, after /start, or typed on its own) and welcome."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    try:
        linked = await redeem_invite(
            strip_isolates(typed),
            user.id,
            private_chat=chat.type == ChatType.PRIVATE,
            now=clock.now(),
            attempts=context.services.failed_invites,
        )
    except DomainError as error:
        await message.reply_text(_(error.message).format(**error.params))
        return
    context.actor = await resolve_actor(user.id)
    # Speak the linked person's language from the first message, unless they chose one.
    set_locale(choose_locale(linked.language, current_locale()))
    await message.reply_text(welcome_text(linked), parse_mode=ParseMode.HTML)
    await apply_chat_menu(context.bot, chat.id, context.actor)


def looks_like_a_code(text: str) -> bool:
    """Typed text that can only be an invite code (a parent copying it from a letter)."""
    return canonical_code(strip_isolates(text)) is not None


def welcome_text(linked: LinkedPerson) -> str:
    """The first message after linking: who they are to the school, and what next."""
    name = escape(linked.first_name)
    if linked.kind is InviteKind.STAFF and linked.role is not None:
        text = _("Welcome, {name}! You are now linked as a {role}.").format(
            name=name, role=role_label(linked.role)
        )
    elif linked.children:
        text = _("Welcome, {name}! You are now linked as a parent or carer of {children}.").format(
            name=name, children=escape(format_list(linked.children))
        )
    else:
        text = _(
            "Welcome, {name}! You are now linked. The school will let you know when "
            "there is news about your child."
        ).format(name=name)
    return text + "\n\n" + escape(_("Send /help at any time to see what I can do for you."))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start))
