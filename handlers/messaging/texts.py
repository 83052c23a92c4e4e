"""How messages between families and staff read, for both sides, in the reader's language.

Staff see the child's name and class and the writer's first name and relationship, never a
phone number or an email. Families see the staff member's name and their child's name.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _, format_datetime, format_list, isolate, ngettext
from handlers.common import callback_data
from models.messaging.conversations import PHOTO, Attachment, MessageView, Routing

REPLY, READ, CANCEL_REPLY = "mrp", "mrd", "mrx"  # v1:mrp:<message id>
EXCERPT = 160
WHEN = "EEEE d MMMM, HH:mm"
SHORT_WHEN = "EEE HH:mm"


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of a message on one line, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def family_label(view: MessageView) -> str:
    """`Ewa (mother)`: who wrote, as staff see it."""
    if view.relationship:
        return isolate(f"{view.guardian_first_name} ({view.relationship})")
    return isolate(view.guardian_first_name)


def attachment_label(attachment: Attachment) -> str:
    if attachment.kind == PHOTO:
        return _("a photo")
    if attachment.name:
        return _("a document: {name}").format(name=attachment.name)
    return _("a document")


def follows_label(attachment: Attachment) -> str:
    if attachment.kind == PHOTO:
        return _("A photo follows.")
    return _("A document follows.")


def pupil_heading(view: MessageView) -> str:
    heading = f"<b>{escape(isolate(view.pupil_name))}</b>"
    return heading + f" · {escape(isolate(view.class_name))}" if view.class_name else heading


# To staff


def staff_copy_text(
    view: MessageView, *, covering: list[str], written_when: str = "", follows: bool = False
) -> str:
    """A family's message as its recipient sees it."""
    lines = [
        "✉️ " + pupil_heading(view),
        escape(_("From {family}").format(family=family_label(view))),
    ]
    if covering:
        lines.append(escape(_("For {names}, who is away.").format(names=format_list(covering))))
    if written_when:
        lines.append(escape(_("Written {when}, outside office hours.").format(when=written_when)))
    if view.text:
        lines += ["", escape(view.text)]
    if view.attachment is not None and follows:
        lines += ["", "📎 " + escape(follows_label(view.attachment))]
    lines += ["", "<i>" + escape(_("Reply to this message to answer.")) + "</i>"]
    return "\n".join(lines)


def staff_caption(view: MessageView) -> str:
    """The caption of a photo or document sent after its message."""
    return (
        "📎 "
        + pupil_heading(view)
        + "\n"
        + escape(_("From {family}").format(family=family_label(view)))
    )


def staff_buttons(message_id: int, *, read: bool = False) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            "↩️ " + _("Reply"), callback_data=callback_data.encode(REPLY, message_id)
        ),
        read_button(message_id, read=read),
    ]


def read_button(message_id: int, *, read: bool, label: str | None = None) -> InlineKeyboardButton:
    """ "✓ Mark read", or "✓✓ Read" once done (pressing it again only says so)."""
    text = label or (_("Read") if read else _("Mark read"))
    return InlineKeyboardButton(
        ("✓✓ " if read else "✓ ") + text, callback_data=callback_data.encode(READ, message_id)
    )


def staff_markup(message_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([staff_buttons(message_id)])


def digest_text(views: list[MessageView], zone: ZoneInfo, *, covering: list[str]) -> str:
    """The morning digest: each overnight message in a few lines, numbered for the buttons."""
    count = len(views)
    title = ngettext(
        "{count} message from families since the office closed",
        "{count} messages from families since the office closed",
        count,
    ).format(count=count)
    lines = [f"🌅 <b>{escape(title)}</b>"]
    if covering:
        lines.append(escape(_("You are covering for {names}.").format(names=format_list(covering))))
    for number, view in enumerate(views, 1):
        when = isolate(format_datetime(view.created_at, zone, SHORT_WHEN))
        lines += [
            "",
            f"{number}. {pupil_heading(view)} — {escape(family_label(view))}, {escape(when)}",
        ]
        if view.text:
            lines.append("<i>" + escape(excerpt(view.text)) + "</i>")
        if view.attachment is not None:
            lines.append("📎 " + escape(attachment_label(view.attachment)))
    lines += ["", escape(_("Tap ↩️ to answer a message or ✓ to mark it read."))]
    if any(view.attachment for view in views):
        lines.append(escape(_("Photos and documents follow, one by one.")))
    return "\n".join(lines)


def digest_markup(views: list[MessageView]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"↩️ {number}", callback_data=callback_data.encode(REPLY, view.message_id)
                ),
                read_button(view.message_id, read=False, label=str(number)),
            ]
            for number, view in enumerate(views, 1)
        ]
    )


def reply_prompt_text(view: MessageView) -> str:
    """What the Reply button shows: the whole message, then the question."""
    heading = _("Your answer to {family} about {child}").format(
        family=family_label(view), child=view.pupil_name
    )
    lines = ["↩️ <b>" + escape(heading) + "</b>"]
    if view.text:
        lines += ["", "<i>" + escape(view.text) + "</i>"]
    elif view.attachment is not None:
        lines += ["", "📎 " + escape(attachment_label(view.attachment))]
    lines += ["", escape(_("Write your answer now, or send a photo or a document."))]
    return "\n".join(lines)


def cancel_reply_markup(message_id: int) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        "✖️ " + _("Cancel"), callback_data=callback_data.encode(CANCEL_REPLY, message_id)
    )
    return InlineKeyboardMarkup([[button]])


def answered_text(view: MessageView) -> str:
    """The staff member's note that their answer is on its way."""
    sent = _("Sent to {family} about {child}.").format(
        family=family_label(view), child=view.pupil_name
    )
    return "✓ " + escape(sent)


def cover_text(name: str, classes: list[str]) -> str:
    """For the colleague who covers: whose messages now come to them."""
    if classes:
        text = _(
            "{name} is away: families' messages for {classes} come to you until they are "
            "back. Reply to a message to answer it."
        ).format(name=name, classes=format_list(classes))
    else:
        text = _(
            "{name} is away: families' messages for them come to you until they are back. "
            "Reply to a message to answer it."
        ).format(name=name)
    return "🤝 " + escape(text)


# To the family


def answer_text(view: MessageView) -> str:
    """Staff's answer as the family sees it: who wrote, about which child, then the text."""
    about = _("about {child}").format(child=view.pupil_first_name)
    lines = [f"💬 <b>{escape(isolate(view.staff_name))}</b> · {escape(about)}"]
    if view.text:
        lines += ["", escape(view.text)]
    lines += ["", "<i>" + escape(_("Reply to this message to answer.")) + "</i>"]
    return "\n".join(lines)


def answer_caption(view: MessageView) -> str:
    about = _("about {child}").format(child=view.pupil_first_name)
    return f"📎 <b>{escape(isolate(view.staff_name))}</b> · {escape(about)}"


def confirmation_text(view: MessageView, status: list[str]) -> str:
    """A family's own message as confirmed to them, with where it is now."""
    heading = _("Your message about {child}").format(child=view.pupil_first_name)
    lines = ["✉️ <b>" + escape(heading) + "</b>"]
    if view.text:
        lines.append("<i>" + escape(excerpt(view.text)) + "</i>")
    if view.attachment is not None:
        lines.append("📎 " + escape(attachment_label(view.attachment)))
    return "\n".join(lines + [escape(line) for line in status])


def sent_lines(view: MessageView, routing: Routing | None) -> list[str]:
    """Where the message went: the class teachers, their cover, or the office."""
    if routing is None:
        return ["✓ " + _("Received. It will reach the school when the office opens.")]
    if not routing.addressees:
        return ["✓ " + _("Sent to the school office.")]
    lines = []
    away = {a.person.staff_id for a in routing.away}
    present = [p.name for p in routing.addressees if p.staff_id not in away]
    if present:
        lines.append(
            "✓ "
            + ngettext(
                "Sent to {names}, {child}'s class teacher.",
                "Sent to {names}, {child}'s class teachers.",
                len(present),
            ).format(names=format_list(present), child=view.pupil_first_name)
        )
    for absent in routing.away:
        if absent.cover is not None:
            line = _("{name} is away, so it went to {cover}, who is covering.").format(
                name=absent.person.name, cover=absent.cover.name
            )
        else:
            line = _("{name} is away, so it went to the school office.").format(
                name=absent.person.name
            )
        lines.append("✓ " + line)
    return lines


def read_line(view: MessageView, zone: ZoneInfo) -> str:
    when = format_datetime(view.read_at or view.created_at, zone, WHEN)
    return "✓✓ " + _("Read by {name}, {when}.").format(name=view.read_by, when=when)


def read_notice(view: MessageView) -> str:
    """When the confirmation cannot be edited: a short note of its own."""
    text = _("{name} has read your message about {child}.").format(
        name=view.read_by, child=view.pupil_first_name
    )
    return "✓✓ " + escape(text)


def held_note(deliver_after: datetime, zone: ZoneInfo) -> str:
    """Outside office hours: when the message will reach the school."""
    text = _(
        "The school office is closed now. Your message will reach the school on {when}, "
        "so please expect an answer after then."
    ).format(when=format_datetime(deliver_after, zone, WHEN))
    return "🕗 " + escape(text)
