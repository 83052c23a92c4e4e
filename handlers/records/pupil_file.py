"""/pupil <name>: the mentoring file a teacher opens in a meeting, paged, with corrections."""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler

from bot.i18n import _, format_date, isolate
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting, chat_id
from handlers.common.labels import (
    area_label,
    band_label,
    progress_label,
    shown_text,
    support_kind_label,
)
from handlers.common.pickers import band_buttons, band_from, button, int_arg, rows
from handlers.common.pupil_choice import choose_pupil, is_staff_chat, reply
from handlers.records.pictures import send_profile_photo
from models.assessment.assessing import Judgement, correct_assessment, latest_bands
from models.calendar.schools import academic_year_for
from models.common import clock
from models.common.enums import Area, SupportKind
from models.common.errors import N_, DomainError
from models.records.mentoring_file import HistoryItem, MentoringFile, mentoring_file

OPEN = "pf"  # v1:pf:<pupil>[:<page>]
CORRECT = "cx"  # v1:cx:<pupil>[:<area>[:<band>]]
PICTURE = "pic"  # v1:pic:<pupil>: the profile picture, sent as a photo


async def open_file(update: Update, context: MentorContext) -> None:
    """`/pupil maja`: find the pupil, then show their file."""
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return
    pupil_id = await choose_pupil(update, context, OPEN)
    if pupil_id is not None:
        await _show(update, context, pupil_id, 0, edit=False)


async def _show(
    update: Update, context: MentorContext, pupil_id: int, page: int, *, edit: bool
) -> None:
    today = clock.now().date()
    file = await mentoring_file(
        acting(context), pupil_id, academic_year=academic_year_for(today), today=today, page=page
    )
    markup = _keyboard(file)
    query = update.callback_query
    if edit and query is not None:
        await query.edit_message_text(render(file), parse_mode=ParseMode.HTML, reply_markup=markup)
    else:
        await reply(update, render(file), markup)


def render(file: MentoringFile) -> str:
    """The file as one chat message: bands, targets, support, last meeting, history."""
    heading = f"📁 <b>{escape(isolate(file.name))}</b>"
    if file.class_name:
        heading += " · " + escape(file.class_name)
    lines = [heading, ""]
    for picture in file.areas:
        line = (
            f"{escape(area_label(picture.area))}: {escape(band_label(picture.area, picture.band))}"
        )
        if picture.progress:
            line += " " + escape(progress_label(picture.progress))
        if picture.own_band:
            line += " · 🧒 " + escape(band_label(picture.area, picture.own_band))
        lines.append(line)
    lines += ["", "🎯 <b>" + escape(_("Targets")) + "</b>"]
    for target in file.targets:
        seen = (
            "👍 " + escape(", ".join(target.acknowledged_by))
            if target.acknowledged_by
            else escape(_("not seen by parents yet"))
        )
        lines.append(f"• {escape(area_label(target.area))}: {shown_text(target.text)} ({seen})")
    if not file.targets:
        lines.append(escape(_("No active targets.")))
    if file.support:
        lines += ["", "🤝 <b>" + escape(_("Support")) + "</b>"]
        for support in file.support:
            review = (
                " · "
                + escape(_("review {date}").format(date=format_date(support.review_on, "d MMM")))
                if support.review_on
                else ""
            )
            kind = support_kind_label(SupportKind(support.kind))
            who = escape(support.responsible)
            lines.append(f"• {escape(kind)}: {escape(support.description)} — {who}{review}")
    if file.last_meeting:
        lines += ["", escape(_("Last meeting: {date}").format(date=format_date(file.last_meeting)))]
    if file.declined:
        lines += ["", "✖️ <b>" + escape(_("Meetings the family can't come to")) + "</b>"]
        for declined in file.declined:
            reason = declined.reason or _("No reason given.")
            lines.append(f"• {escape(format_date(declined.on, 'd MMM'))}: {escape(reason)}")
    if file.history:
        lines += ["", "🕘 <b>" + escape(_("History")) + "</b>"]
        lines += [_history_line(item) for item in file.history]
    return "\n".join(lines)


def _history_line(item: HistoryItem) -> str:
    day = format_date(item.at.date() if isinstance(item.at, datetime) else item.at, "d MMM yy")
    area = area_label(item.area) if item.area else ""
    if item.kind in ("assessment", "own_assessment") and item.area:
        who = " 🧒" if item.kind == "own_assessment" else ""
        return escape(f"{day} · {area}: {band_label(item.area, item.detail)}{who}")
    if item.kind == "message_from_family":
        return escape(f"{day} · ✉️ " + _("message from {who}").format(who=item.detail))
    if item.kind == "message_to_family":
        answer = _("answer from {name} to {who}").format(name=item.by, who=item.detail)
        return escape(f"{day} · 💬 {answer}")
    labels = {
        "target_set": _("target set"),
        "target_closed": _("target reviewed"),
        "support": _("support agreed"),
        "meeting": _("mentoring meeting"),
    }
    text = f"{day} · {labels.get(item.kind, item.kind)}"
    if area:
        text += f" ({area})"
    return escape(text)


def _keyboard(file: MentoringFile) -> InlineKeyboardMarkup:
    paging = []
    if file.page > 0:
        paging.append(button("◀️ " + _("Newer"), OPEN, file.pupil_id, file.page - 1))
    if file.has_more:
        paging.append(button(_("Older") + " ▶️", OPEN, file.pupil_id, file.page + 1))
    actions = [
        button("✏️ " + _("Correct a judgement"), CORRECT, file.pupil_id),
        button("🖼 " + _("Profile picture"), PICTURE, file.pupil_id),
    ]
    return InlineKeyboardMarkup([row for row in (paging, actions) if row])


async def _dispatch(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    pupil_id = int_arg(args[0]) if args else None
    if pupil_id is None:
        raise DomainError(N_("This button is no longer active."))
    if kind == PICTURE:
        await send_profile_photo(context.bot, chat_id(update), acting(context), pupil_id)
        return None
    if kind == OPEN:
        page = int_arg(args[1]) if len(args) > 1 else 0
        await _show(update, context, pupil_id, page or 0, edit=True)
        return None
    latest = await latest_bands([pupil_id])
    if len(args) == 1:
        await _ask_area(update, pupil_id, latest)
        return None
    area = Area(args[1]) if args[1] in tuple(Area) else None
    judged = latest.get((pupil_id, area)) if area else None
    if area is None or judged is None:
        raise DomainError(N_("This button is no longer active."))
    if len(args) == 2:
        keyboard = rows(band_buttons(CORRECT, area, pupil_id, area.value), 2)
        if update.callback_query:
            await update.callback_query.edit_message_text(
                escape(_("Correct {area} to:").format(area=area_label(area))),
                reply_markup=InlineKeyboardMarkup(keyboard),
            )
        return None
    band = band_from(area, args[2])
    if band is None:
        raise DomainError(N_("This button is no longer active."))
    await correct_assessment(acting(context), judged.assessment_id, band)
    await _show(update, context, pupil_id, 0, edit=True)
    return None


async def _ask_area(
    update: Update, pupil_id: int, latest: dict[tuple[int, Area], Judgement]
) -> None:
    buttons: list[InlineKeyboardButton] = [
        button(
            f"{area_label(area)}: {band_label(area, judged.band)}", CORRECT, pupil_id, area.value
        )
        for (_pupil, area), judged in latest.items()
    ]
    if not buttons:
        raise DomainError(N_("There is nothing to correct yet."))
    if update.callback_query:
        await update.callback_query.edit_message_text(
            escape(_("Which judgement needs correcting?")),
            reply_markup=InlineKeyboardMarkup(rows(buttons, 1)),
        )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("pupil", open_file))
    register_buttons(app, _dispatch, OPEN, CORRECT, PICTURE)
