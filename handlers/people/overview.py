"""/children, /classes and /school: each role's own summary."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_list, isolate, ngettext
from handlers.common.context import MentorContext
from handlers.common.texts import not_linked_text
from models.common.errors import DomainError
from models.people.overview import children_of, classes_of, school_overview


async def _reply(update: Update, text: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML)


async def show_children(update: Update, context: MentorContext) -> None:
    """A guardian's children, their classes and teachers."""
    try:
        children = await children_of(context.actor) if context.actor else None
    except DomainError:
        children = None
    if children is None:
        await _reply(update, escape(not_linked_text()))
        return
    if not children:
        await _reply(update, escape(_("The school has not shared any updates with you yet.")))
        return
    lines = [escape(_("Your children:"))]
    for child in children:
        line = f"• <b>{escape(isolate(child.name))}</b>"
        if child.class_name:
            line += " — " + escape(_("class {name}").format(name=child.class_name))
        if child.teachers:
            line += " (" + escape(format_list(child.teachers)) + ")"
        lines.append(line)
    await _reply(update, "\n".join(lines))


async def show_classes(update: Update, context: MentorContext) -> None:
    """A staff member's classes with how many families are linked."""
    try:
        classes = await classes_of(context.actor) if context.actor else None
    except DomainError:
        classes = None
    if classes is None:
        await _reply(update, escape(_("This command is for school staff.")))
        return
    if not classes:
        await _reply(update, escape(_("You have no classes yet. Please ask the school office.")))
        return
    lines = [escape(_("Your classes:"))]
    for summary in classes:
        pupils = ngettext("{n} pupil", "{n} pupils", summary.pupils).format(n=summary.pupils)
        linked = _("{linked} with a parent linked").format(
            linked=summary.pupils_with_linked_guardian
        )
        lines.append(
            f"• <b>{escape(isolate(summary.name))}</b>: {escape(pupils)}, {escape(linked)}"
        )
    await _reply(update, "\n".join(lines))


async def show_school(update: Update, context: MentorContext) -> None:
    """The whole school at a glance, for senior leaders."""
    try:
        summary = await school_overview(context.actor) if context.actor else None
    except DomainError:
        summary = None
    if summary is None:
        await _reply(update, escape(_("This command is for senior leaders.")))
        return
    lines = [
        f"<b>{escape(isolate(summary.name))}</b>",
        escape(ngettext("{n} pupil", "{n} pupils", summary.pupils).format(n=summary.pupils)),
        escape(ngettext("{n} class", "{n} classes", summary.classes).format(n=summary.classes)),
        escape(
            _("Staff linked: {linked} of {total}").format(
                linked=summary.staff_linked, total=summary.staff
            )
        ),
        escape(
            _("Parents and carers linked: {linked} of {total}").format(
                linked=summary.guardians_linked, total=summary.guardians
            )
        ),
    ]
    await _reply(update, "\n".join(lines))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("children", show_children))
    app.add_handler(CommandHandler("classes", show_classes))
    app.add_handler(CommandHandler("school", show_school))
