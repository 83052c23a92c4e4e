"""/ask, or just writing: a parent's message to their child's class teacher.

With several children the parent chooses which child it is about (what they wrote waits in
the chat's flow meanwhile, for any replica). Each message is confirmed with a note of where it
went; that confirmation is remembered, so "✓✓ Read by …" can be written onto it later.
"""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import Application, CommandHandler

from bot.i18n import _
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import reply, show
from handlers.common.texts import not_linked_text
from handlers.messaging.texts import confirmation_text, held_note, sent_lines
from models.common import clock
from models.common.errors import N_, DomainError
from models.common.flows import Flow, current_flow, end_flow, start_flow
from models.messaging.conversations import (
    ChildChoice,
    Draft,
    FamilyMessageSent,
    family_children,
    remember_copy,
    send_family_message,
)

FLOW = "ask"
WRITE, CHOOSE = "write", "choose"
PICK, CANCEL = "ask", "askx"  # v1:ask:<pupil id>, v1:askx
# What waits for the choice of child; the flood limit stops more being sent at once anyway.
MAX_DRAFTS = 10
STALE = N_("This button is no longer active.")


async def ask_command(update: Update, context: MentorContext) -> None:
    """`/ask`: which child (if several), then the message."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    actor = context.actor
    if actor is None or not actor.is_linked:
        await reply(update, escape(not_linked_text()))
        return
    if actor.guardian is None:
        await reply(update, escape(_("This command is for parents and carers.")))
        return
    children = await family_children(actor)
    now = clock.now()
    if not children:
        await reply(update, escape(_("The school has not shared any updates with you yet.")))
    elif len(children) == 1:
        await start_flow(chat.id, FLOW, WRITE, {"pupil": children[0].pupil_id}, now=now)
        await reply(update, _write_prompt(children[0]), _cancel_markup())
    else:
        await start_flow(chat.id, FLOW, CHOOSE, {"drafts": []}, now=now)
        await reply(
            update, escape(_("Which child is this message about?")), _children_markup(children)
        )


async def free_message(update: Update, context: MentorContext, draft: Draft) -> None:
    """A parent wrote (or sent a photo or document) with no flow waiting: pass it on."""
    children = await family_children(acting(context))
    if not children:
        await reply(update, escape(_("The school has not shared any updates with you yet.")))
    elif len(children) == 1:
        await send_drafts(update, context, children[0].pupil_id, [draft])
    else:
        await _hold_for_choice(update, context, [], draft, children)


async def continue_flow(update: Update, context: MentorContext, flow: Flow, draft: Draft) -> None:
    """The next message of an /ask: send it for the chosen child, or wait for the choice."""
    pupil_id = flow.data.get("pupil")
    if flow.step == WRITE and isinstance(pupil_id, int):
        await end_flow(chat_id(update))
        await send_drafts(update, context, pupil_id, [draft])
        return
    waiting = [d for d in map(Draft.from_data, flow.data.get("drafts", [])) if d is not None]
    children = await family_children(acting(context))
    await _hold_for_choice(update, context, waiting, draft, children)


@on_text(FLOW)
async def text_typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """Typed text while an /ask waits."""
    await continue_flow(update, context, flow, Draft(text))


async def _hold_for_choice(
    update: Update,
    context: MentorContext,
    waiting: list[Draft],
    draft: Draft,
    children: list[ChildChoice],
) -> None:
    drafts = [*waiting, draft][-MAX_DRAFTS:]
    data = {"drafts": [d.to_data() for d in drafts]}
    await start_flow(chat_id(update), FLOW, CHOOSE, data, now=clock.now())
    await reply(update, escape(_("Which child is this message about?")), _children_markup(children))


async def send_drafts(
    update: Update, context: MentorContext, pupil_id: int, drafts: list[Draft]
) -> None:
    """Send each message, confirm each (remembering the confirmation), note office hours."""
    actor, chat, now = acting(context), chat_id(update), clock.now()
    held: FamilyMessageSent | None = None
    for draft in drafts:
        try:
            sent = await send_family_message(actor, pupil_id, draft, now=now)
        except DomainError as error:
            await _say(context, chat, "⚠️ " + escape(_(error.message).format(**error.params)))
            return
        text = confirmation_text(sent.view, sent_lines(sent.view, sent.routing))
        confirmation = await context.bot.send_message(chat, text, parse_mode=ParseMode.HTML)
        await remember_copy(sent.view.message_id, chat, confirmation.message_id)
        held = sent if sent.held else held
    if held is not None:
        await _say(context, chat, held_note(held.deliver_after, held.zone))


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    chat, now = chat_id(update), clock.now()
    flow = await current_flow(chat, now=now, kind=FLOW)
    if kind == CANCEL:
        await end_flow(chat)
        await show(update, escape(_("Nothing was sent.")), None, edit=True)
        return None
    pupil_id = int_arg(args[0]) if len(args) == 1 else None
    children = await family_children(acting(context))
    child = next((c for c in children if c.pupil_id == pupil_id), None)
    if child is None:
        raise DomainError(STALE)
    waiting = flow.data.get("drafts", []) if flow is not None and flow.step == CHOOSE else []
    drafts = [d for d in map(Draft.from_data, waiting) if d is not None]
    if not drafts:
        await start_flow(chat, FLOW, WRITE, {"pupil": child.pupil_id}, now=now)
        await show(update, _write_prompt(child), _cancel_markup(), edit=True)
        return None
    await end_flow(chat)
    about = _("About {name}:").format(name=child.first_name)
    await show(update, "✉️ " + escape(about), None, edit=True)
    await send_drafts(update, context, child.pupil_id, drafts)
    return None


async def _say(context: MentorContext, chat: int, html: str) -> None:
    await context.bot.send_message(chat, html, parse_mode=ParseMode.HTML)


def _write_prompt(child: ChildChoice) -> str:
    text = _(
        "Write your message to {name}'s teacher. You can also send a photo or a document, "
        "such as a doctor's letter."
    ).format(name=child.first_name)
    return "✉️ " + escape(text)


def _children_markup(children: list[ChildChoice]) -> InlineKeyboardMarkup:
    buttons = [
        button(f"{c.name} ({c.class_name})" if c.class_name else c.name, PICK, c.pupil_id)
        for c in children
    ]
    return InlineKeyboardMarkup([*rows(buttons, 1), *_cancel_markup().inline_keyboard])


def _cancel_markup() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button("✖️ " + _("Cancel"), CANCEL)]])


def register(app: Application) -> None:
    app.add_handler(CommandHandler("ask", ask_command))
    register_buttons(app, _dispatch, PICK, CANCEL)
