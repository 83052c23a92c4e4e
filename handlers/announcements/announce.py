"""/announce: a teacher or senior leader sends an announcement to families.

Audience → a ready-made announcement or typed English text → "ask for 👍 Seen" and (senior
leaders only) "safeguarding-critical" → a preview saying how many it reaches → Send. The
draft is kept as this chat's flow, so any replica takes the next step; the domain checks every
step again, so a forged button gets no further than a stale one.
"""

from __future__ import annotations

import logging
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_list, ngettext
from handlers.announcements.notices import audience_label, language_label
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.flow_text import on_text
from handlers.common.pickers import button, int_arg, rows
from handlers.common.pupil_choice import is_staff_chat, reply, show
from models.announcements.sending import (
    Audience,
    Draft,
    Reach,
    audience_choices,
    check_audience,
    class_name,
    clean_announcement,
    may_announce,
    may_mark_critical,
    reach,
    send_announcement,
    template_for,
    templates_for,
)
from models.common import clock
from models.common.enums import AudienceKind
from models.common.errors import N_, DomainError
from models.common.flows import (
    Flow,
    advance_flow,
    current_flow,
    end_flow,
    save_flow_data,
    start_flow,
    take_flow,
)
from models.common.translation import (
    SOURCE_LANGUAGE,
    MachineTranslator,
    TranslatorUnavailable,
    load_translator,
)
from models.people.access import Actor

logger = logging.getLogger(__name__)

FLOW = "announce"
AUDIENCE = "ana"  # v1:ana:c:<class id> | v1:ana:y:<year code> | v1:ana:s
TEMPLATE = "ant"  # v1:ant:<template id>
OPTION = "ano"  # v1:ano:ack | v1:ano:crit
SEND = "ans"  # v1:ans
CANCEL = "anx"  # v1:anx
KINDS = {"c": AudienceKind.CLASS, "y": AudienceKind.YEAR, "s": AudienceKind.SCHOOL}
SHOWN_TEMPLATES = 20
TEMPLATE_PREVIEW = 90
STALE = N_("This button is no longer active.")


async def announce(update: Update, context: MentorContext) -> None:
    """`/announce`: who the announcement is for."""
    if not is_staff_chat(update, context) or not may_announce(acting(context)):
        await reply(update, escape(_("Announcements are sent by teachers and senior leaders.")))
        return
    choices = await audience_choices(acting(context))
    if not choices.classes and not choices.whole_school:
        await reply(update, escape(_("You have no classes yet. Please ask the school office.")))
        return
    keyboard = rows([button(c.name, AUDIENCE, "c", c.class_id) for c in choices.classes], 3)
    years = [
        button(audience_label(AudienceKind.YEAR, year.value, None), AUDIENCE, "y", year.value)
        for year in choices.years
    ]
    keyboard += rows(years, 4)
    if choices.whole_school:
        keyboard.append([button("🏫 " + _("Whole school"), AUDIENCE, "s")])
    keyboard.append([button("✖️ " + _("Cancel"), CANCEL)])
    question = _("Who is the announcement for?")
    await reply(update, "📢 " + escape(question), InlineKeyboardMarkup(keyboard))


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    actor, chat, now = acting(context), chat_id(update), clock.now()
    if kind == AUDIENCE:
        audience = await _chosen_audience(actor, args)
        fresh: dict[str, Any] = {
            "kind": audience.kind.value,
            "ref": audience.ref,
            "text": "",
            "template": None,
            "languages": [],
            "ack": False,
            "critical": False,
        }
        await _ask_text(update, actor, audience)
        await start_flow(chat, FLOW, "text", fresh, now=now)
        return None
    flow = await current_flow(chat, now=now, kind=FLOW)
    if kind == CANCEL and not args:
        if flow is not None:
            await end_flow(chat)
        await show(update, "✖️ " + escape(_("Cancelled: nothing was sent.")), None, edit=True)
        return None
    if flow is None:
        raise DomainError(STALE)
    data: dict[str, Any] = dict(flow.data)
    if kind == TEMPLATE and len(args) == 1 and (template_id := int_arg(args[0])) is not None:
        template = await template_for(actor, template_id)
        languages = sorted(set(template.translations) - {SOURCE_LANGUAGE})
        data.update(text=template.text, template=template.id, languages=languages)
        await _preview(update, context, data, edit=True)
        await advance_flow(flow, "ready", data, now=now)
        return None
    if kind == OPTION and flow.step == "ready" and args in (("ack",), ("crit",)):
        key = "ack" if args == ("ack",) else "critical"
        data[key] = not data[key]
        await _preview(update, context, data, edit=True)  # refuses "critical" for a teacher
        await save_flow_data(flow, data)
        return None
    if kind == SEND and flow.step == "ready" and not args:
        await _send(update, context, data)
        return None
    raise DomainError(STALE)


async def _chosen_audience(actor: Actor, args: tuple[str, ...]) -> Audience:
    """The audience a button names, checked by the domain (a forged one is refused there)."""
    kind = KINDS.get(args[0]) if args else None
    if kind is None or len(args) > 2:
        raise DomainError(STALE)
    return await check_audience(actor, kind, args[1] if len(args) == 2 else "")


def _audience(data: dict[str, Any]) -> Audience:
    return Audience(AudienceKind(str(data["kind"])), str(data["ref"]))


async def _heading(audience: Audience) -> str:
    """The preview's heading: to a class, to a year group, or to the whole school."""
    if audience.kind is AudienceKind.SCHOOL:
        return _("Announcement to the whole school")
    where = audience_label(audience.kind, audience.ref, await class_name(audience))
    return _("Announcement to {audience}").format(audience=where)


async def _ask_text(update: Update, actor: Actor, audience: Audience) -> None:
    """Ask for the text, listing the school's ready-made announcements as numbered buttons."""
    templates = (await templates_for(actor))[:SHOWN_TEMPLATES]
    if templates:
        question = _("Type it in English, or pick a ready-made one:")
    else:
        question = _("Type it in English:")
    lines = [f"📢 <b>{escape(await _heading(audience))}</b>", escape(question)]
    numbers: list[InlineKeyboardButton] = []
    if templates:
        lines.append("")
    for number, template in enumerate(templates, 1):
        text = " ".join(template.text.split())
        if len(text) > TEMPLATE_PREVIEW:
            text = text[: TEMPLATE_PREVIEW - 1] + "…"
        lines.append(f"{number}. {escape(text)}")
        numbers.append(button(str(number), TEMPLATE, template.id))
    keyboard = [*rows(numbers, 5), [button("✖️ " + _("Cancel"), CANCEL)]]
    await show(update, "\n".join(lines), InlineKeyboardMarkup(keyboard), edit=True)


@on_text(FLOW)
async def typed(update: Update, context: MentorContext, flow: Flow, text: str) -> None:
    """The announcement typed in English (typing again at the preview replaces it)."""
    try:
        cleaned = clean_announcement(text)
        data = {**flow.data, "text": cleaned, "template": None, "languages": []}
        await _preview(update, context, data, edit=False)
    except DomainError as error:
        await reply(update, "⚠️ " + escape(_(error.message).format(**error.params)))
        return
    await advance_flow(flow, "ready", data, now=clock.now())


async def _preview(
    update: Update, context: MentorContext, data: dict[str, Any], *, edit: bool
) -> None:
    """The text, its translations, whom it reaches, the toggles and Send."""
    actor = acting(context)
    audience, critical = _audience(data), bool(data["critical"])
    result = await reach(actor, audience, critical=critical)
    heading = await _heading(audience)
    lines = [f"📢 <b>{escape(heading)}</b>", "", escape(str(data["text"])), ""]
    lines += _translation_lines(context, data, result)
    lines += _reach_lines(result)
    if critical:
        note = _(
            "Safeguarding-critical: it also reaches those who muted routine announcements, "
            "and does not wait for quiet hours."
        )
        lines.append("🚨 " + escape(note))
    lines.append(escape(_("To change the text, type it again.")))
    # Translators: a staff toggle: families are asked to press "👍 Seen" once they have read it.
    ack = ("✅ " if data["ack"] else "⬜ ") + _("Ask for 👍 Seen")
    keyboard = [[button(ack, OPTION, "ack")]]
    if may_mark_critical(actor):
        label = ("✅ " if critical else "⬜ ") + "🚨 " + _("Safeguarding-critical")
        keyboard.append([button(label, OPTION, "crit")])
    keyboard.append([button("📤 " + _("Send"), SEND), button("✖️ " + _("Cancel"), CANCEL)])
    await show(update, "\n".join(lines), InlineKeyboardMarkup(keyboard), edit=edit)


def _translation_lines(context: MentorContext, data: dict[str, Any], result: Reach) -> list[str]:
    if data["template"] is not None:
        stored = [language_label(code) for code in data["languages"]]
        if not stored:
            return []
        text = _("Ready-made translations: {languages}.").format(languages=format_list(stored))
        return ["🌐 " + escape(text)]
    wanted = sorted(result.languages - {SOURCE_LANGUAGE})
    if not wanted or not context.services.settings.machine_translator:
        return []
    names = format_list([language_label(code) for code in wanted])
    text = _("Machine translations will be added for: {languages}.").format(languages=names)
    return ["🤖 " + escape(text)]


def _reach_lines(result: Reach) -> list[str]:
    lines = [
        "👪 "
        + escape(
            ngettext(
                "It will reach {n} parent or carer.",
                "It will reach {n} parents and carers.",
                result.families,
            ).format(n=result.families)
        )
    ]
    if result.muted:
        text = ngettext(
            "{n} parent or carer has muted routine announcements.",
            "{n} parents and carers have muted routine announcements.",
            result.muted,
        )
        lines.append("🔕 " + escape(text.format(n=result.muted)))
    if result.unreachable:
        text = ngettext(
            "{n} parent or carer cannot be reached: they blocked the bot.",
            "{n} parents and carers cannot be reached: they blocked the bot.",
            result.unreachable,
        )
        lines.append("📵 " + escape(text.format(n=result.unreachable)))
    if result.not_in_telegram:
        text = ngettext(
            "{n} parent or carer is not in Telegram yet: please reach them another way.",
            "{n} parents and carers are not in Telegram yet: please reach them another way.",
            result.not_in_telegram,
        )
        lines.append("✉️ " + escape(text.format(n=result.not_in_telegram)))
    return lines


async def _send(update: Update, context: MentorContext, data: dict[str, Any]) -> None:
    """Send once: the draft is taken from the database first, so a second press finds nothing."""
    chat, now = chat_id(update), clock.now()
    if not await take_flow(chat, FLOW, "ready"):
        raise DomainError(STALE)
    draft = Draft(
        audience=_audience(data),
        text=str(data["text"]),
        template_id=data["template"],
        needs_ack=bool(data["ack"]),
        critical=bool(data["critical"]),
    )
    try:
        sent = await send_announcement(
            acting(context), draft, now=now, translator=_translator(context)
        )
    except DomainError:
        await start_flow(chat, FLOW, "ready", data, now=now)  # nothing was sent: keep the draft
        raise
    done = ngettext(
        "Sent: it is on its way to {n} parent or carer.",
        "Sent: it is on its way to {n} parents and carers.",
        sent.reach.families,
    ).format(n=sent.reach.families)
    follow = _("/announcements shows how many have it and how many have seen it.")
    await show(update, "✅ " + escape(done) + "\n" + escape(follow), None, edit=True)


def _translator(context: MentorContext) -> MachineTranslator | None:
    try:
        return load_translator(context.services.settings.machine_translator)
    except TranslatorUnavailable as error:
        # Announcements still go, in English and with any ready-made translations.
        logger.warning("Machine translation is off: %s", error)
        return None


def register(app: Application) -> None:
    app.add_handler(CommandHandler("announce", announce))
    register_buttons(app, _dispatch, AUDIENCE, TEMPLATE, OPTION, SEND, CANCEL)
