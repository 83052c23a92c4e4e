"""/letters: a senior leader prints invite letters for a class or the whole school.

Issuing cancels the codes on any earlier letters to the same families, so the count is shown
and confirmed first. Families already linked get no letter and keep their link.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.documents import render_in_thread
from bot.documents.invite_letters import FILENAME, render_invite_letters
from bot.i18n import _, ngettext
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import is_staff_chat, reply, show
from models.common import clock
from models.common.errors import N_, DomainError
from models.people.access import Permission, staff_may
from models.people.invite_letters import issue_letters, letters_to_issue
from models.people.overview import class_list

PICK = "lt"  # v1:lt:<class id, 0 for the whole school>
ISSUE = "lti"  # v1:lti:<class id, 0 for the whole school>
WHOLE_SCHOOL = 0
STALE = N_("This button is no longer active.")


async def letters(update: Update, context: MentorContext) -> None:
    """`/letters`: which class (or the whole school) to print letters for."""
    if not is_staff_chat(update, context) or not staff_may(
        acting(context), Permission.MANAGE_SCHOOL
    ):
        await reply(update, escape(_("This command is for senior leaders.")))
        return
    classes = await class_list(acting(context))
    buttons = [button(c.name, PICK, c.class_id) for c in classes]
    keyboard = [*rows(buttons, 3), [button("🏫 " + _("Whole school"), PICK, WHOLE_SCHOOL)]]
    text = _("Invite letters for families not linked yet: which class?")
    await reply(update, "✉️ " + escape(text), InlineKeyboardMarkup(keyboard))


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    chosen = int_arg(args[0]) if len(args) == 1 else None
    if chosen is None:
        raise DomainError(STALE)
    actor = acting(context)
    class_id = None if chosen == WHOLE_SCHOOL else chosen
    if kind == PICK:
        count = await letters_to_issue(actor, class_id)  # the domain checks who may
        if count == 0:
            text = _("Every family there is already linked: there are no letters to print.")
            await show(update, "✅ " + escape(text), None, edit=True)
            return None
        text = ngettext(
            "{n} family is not linked yet and will get a letter with a new code.",
            "{n} families are not linked yet and will get a letter with a new code.",
            count,
        ).format(n=count)
        warning = _("Codes on letters printed for them before will stop working.")
        go = button("🖨 " + _("Make the letters"), ISSUE, chosen)
        await show(
            update,
            escape(text) + "\n" + escape(warning),
            InlineKeyboardMarkup([[go]]),
            edit=True,
        )
        return None
    if kind == ISSUE:
        await _issue(update, context, class_id)
        return None
    raise DomainError(STALE)


async def _issue(update: Update, context: MentorContext, class_id: int | None) -> None:
    message = update.effective_message
    settings = context.services.settings
    if message is None:
        return
    await show(update, "⏳ " + escape(_("Making the letters…")), None, edit=True)
    batch = await issue_letters(
        acting(context),
        class_id,
        now=clock.now(),
        ttl=timedelta(days=settings.invite_ttl_days),
        bot_username=context.bot.username,
    )
    pdf = await render_in_thread(render_invite_letters, batch)
    count = len(batch.letters)
    caption = ngettext(
        "{n} letter, each in the family's language. Print them and send them home.",
        "{n} letters, each in the family's language. Print them and send them home.",
        count,
    ).format(n=count)
    await message.reply_document(document=pdf, filename=FILENAME, caption=caption)
    await show(update, "✅ " + escape(_("The letters are ready.")), None, edit=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("letters", letters))
    register_buttons(app, _dispatch, PICK, ISSUE)
