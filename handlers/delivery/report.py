"""/delivery for senior leaders: what waits to be sent, what failed, who cannot be reached."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_date, format_list, ngettext
from handlers.common.context import MentorContext, acting
from models.common import clock
from models.common.errors import DomainError
from models.delivery.report import DeliveryReport, delivery_report

SHOWN_FAMILIES = 30


def _reason(code: str) -> str:
    labels = {
        "blocked": _("blocked the bot or never started it"),
        "stale": _("no longer relevant"),
        "cancelled": _("cancelled"),
    }
    return labels.get(code, _("failed after repeated tries"))


def render_report(report: DeliveryReport, zone: ZoneInfo) -> str:
    """The report as a short HTML message (counts, then families to contact another way)."""
    lines = [
        "📮 <b>" + escape(_("Messages from the bot")) + "</b>",
        escape(_("Waiting to go now: {n}").format(n=report.waiting)),
        escape(_("Held for later (reminders, quiet hours, digests): {n}").format(n=report.held)),
        escape(_("Sent in the last 24 hours: {n}").format(n=report.sent_today)),
    ]
    if report.dead_recently:
        lines += ["", "⚠️ <b>" + escape(_("Not delivered in the last 7 days")) + "</b>"]
        lines += [
            "• " + escape(f"{_reason(code)}: {n}")
            for code, n in sorted(report.dead_recently.items())
        ]
    lines.append("")
    if not report.unreachable:
        lines.append("✅ " + escape(_("Every linked family can be reached in Telegram.")))
        return "\n".join(lines)
    count = len(report.unreachable)
    heading = ngettext(
        "{n} family cannot be reached in Telegram; please contact them another way:",
        "{n} families cannot be reached in Telegram; please contact them another way:",
        count,
    ).format(n=count)
    lines.append("📵 <b>" + escape(heading) + "</b>")
    for family in report.unreachable[:SHOWN_FAMILIES]:
        since = format_date(family.since.astimezone(zone).date(), "medium")
        children = format_list(list(family.children)) if family.children else "—"
        entry = _("{guardian} ({children}), since {day}").format(
            guardian=family.guardian, children=children, day=since
        )
        lines.append("• " + escape(entry))
    if count > SHOWN_FAMILIES:
        more = count - SHOWN_FAMILIES
        lines.append(
            escape(ngettext("…and {n} more family", "…and {n} more families", more).format(n=more))
        )
    return "\n".join(lines)


async def show_delivery(update: Update, context: MentorContext) -> None:
    """Senior leaders only: the domain refuses everyone else."""
    message = update.effective_message
    if message is None:
        return
    actor = acting(context)
    try:
        report = await delivery_report(actor, now=clock.now())
    except DomainError as error:
        await message.reply_text(_(error.message).format(**error.params))
        return
    text = render_report(report, ZoneInfo(report.timezone))
    await message.reply_text(text, parse_mode=ParseMode.HTML)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("delivery", show_delivery))
