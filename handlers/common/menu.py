"""The command menu each person sees, fitted to their role and language."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import SHIPPED_LOCALES, SOURCE_LOCALE, _, use_locale
from models.announcements.sending import may_announce
from models.messaging.conversations import receives_family_messages
from models.people.access import Actor, Permission, staff_may


def commands_for(actor: Actor | None) -> list[tuple[str, str]]:
    """(command, description) pairs for this person, in the current locale."""
    commands: list[tuple[str, str]] = []
    if actor is not None and actor.guardian is not None:
        commands.append(("profile", _("How your child is doing")))
        commands.append(("targets", _("Targets and how to help at home")))
        commands.append(("children", _("Your children and their teachers")))
        commands.append(("ask", _("Write to your child's teacher")))
        commands.append(("settings", _("How often I send you news")))
    if actor is not None and actor.staff is not None:
        commands.append(("assess", _("Record a judgement for a pupil")))
        commands.append(("sweep", _("Judge a whole class, one tap each")))
        commands.append(("pupil", _("Open a pupil's mentoring file")))
        commands.append(("grid", _("A class in colour: who is behind")))
        if staff_may(actor, Permission.MANAGE_TARGETS):
            commands.append(("target", _("Set a target")))
            commands.append(("review", _("Review targets")))
        if staff_may(actor, Permission.RECORD_SUPPORT):
            commands.append(("support", _("Record support agreed")))
        if staff_may(actor, Permission.MANAGE_TARGETS):
            commands.append(("today", _("Today's meetings")))
            commands.append(("availability", _("Open meeting times for a round")))
            commands.append(("overview", _("How the meeting round is going")))
        commands.append(("rounds", _("Mentoring rounds and their dates")))
        if staff_may(actor, Permission.SET_EXPECTATIONS):
            commands.append(("expect", _("Set end-of-year expectations")))
        commands.append(("classes", _("Your classes")))
        if receives_family_messages(actor):
            commands.append(("away", _("Away: families' messages go to a colleague")))
            commands.append(("back", _("Back: families' messages come to you again")))
        if may_announce(actor):
            commands.append(("announce", _("Send an announcement to families")))
            commands.append(("announcements", _("Announcements sent: delivered and seen")))
        if staff_may(actor, Permission.MANAGE_SCHOOL):
            commands.append(("school", _("The school at a glance")))
            commands.append(("terms", _("Term dates: the six half-terms")))
            commands.append(("hours", _("Office hours and quiet hours")))
            commands.append(("letters", _("Invite letters to print, with QR codes")))
            commands.append(("export", _("Everything held about a pupil, as a PDF")))
            commands.append(("delivery", _("Messages sent, waiting or failed")))
    if actor is None or not actor.is_linked:
        commands.append(("start", _("Link your account with your invite code")))
    commands.append(("help", _("What I can do for you")))
    commands.append(("language", _("Choose your language")))
    return commands


async def apply_chat_menu(bot: Bot, chat_id: int, actor: Actor | None) -> None:
    """Set this private chat's menu (Telegram shows it instead of the default one)."""
    commands = [BotCommand(name, text) for name, text in commands_for(actor)]
    await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))


async def set_default_menus(bot: Bot) -> None:
    """The menu for people not linked yet, in every shipped language."""
    for locale in SHIPPED_LOCALES:
        with use_locale(locale):
            commands = [BotCommand(name, text) for name, text in commands_for(None)]
        await bot.set_my_commands(
            commands,
            scope=BotCommandScopeDefault(),
            language_code=None if locale == SOURCE_LOCALE else locale,
        )
