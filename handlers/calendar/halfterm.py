"""The half-termly reminders as messages: a teacher's note, and each child's summary at half-term.

Both are worked out when sent (`models.calendar.halfterm_review`), so a judgement made between
planning and delivery counts; a child who left, a restricted link or a half-term already over
is stale. Long lists end in "…and N more" so every message stays inside Telegram's 4096
characters.
"""

from __future__ import annotations

from datetime import date
from html import escape

from telegram import Bot

from bot.i18n import _, format_date, format_list, ngettext
from handlers.calendar.terms import LONG, half_term_name
from handlers.common.labels import area_label, band_label, progress_label, shown_text
from handlers.delivery.files import builds_photo, follow_with_file
from handlers.delivery.kinds import (
    Reader,
    StaffReader,
    int_param,
    notice,
    send_html,
)
from handlers.records.pictures import profile_photo
from models.calendar.halfterm_review import (
    FamilySummary,
    TeacherReminder,
    family_summary,
    teacher_reminder,
)
from models.calendar.notices import HalfTermNotice
from models.common import clock
from models.delivery.outbox import NoticeView
from models.records.mentoring_file import AreaPicture

# Room for the lists once headings and closing lines are in (HTML counts more than Telegram).
LIST_BUDGET = 1700
SEASONS = {1: "🍂", 2: "🍂", 3: "🌱", 4: "🌱", 5: "☀️", 6: "☀️"}


def fit(lines: list[str], budget: int = LIST_BUDGET) -> list[str]:
    """As many lines as fit in `budget` characters, then "…and N more." for the rest."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 > budget:
            more = len(lines) - index
            return [*kept, escape(_("…and {count} more.").format(count=more))]
        kept.append(line)
        used += len(line) + 1
    return kept


async def teacher_note(bot: Bot, row: NoticeView, reader: StaffReader) -> int:
    """A week before half-term: who still needs a judgement and which targets to review."""
    reminder = await teacher_reminder(reader.actor, int_param(row, "half_term_id"), now=clock.now())
    return await send_html(bot, row.chat_id, teacher_text(reminder))


notice(HalfTermNotice.HALFTERM_TEACHER, render_for_staff=teacher_note)


def teacher_text(reminder: TeacherReminder) -> str:
    """The teacher's note; a short "all done" when nothing is missing."""
    half_term = reminder.half_term
    heading = _("{half_term} ends on {day}").format(
        half_term=half_term_name(half_term.number), day=format_date(half_term.ends_on, LONG)
    )
    parts = [f"{SEASONS.get(half_term.number, '📋')} <b>{escape(heading)}</b>"]
    if not reminder.unjudged and not reminder.due:
        done = _(
            "Every pupil in your classes has a judgement in reading, writing and maths this "
            "half-term, and no targets are due for review. Thank you!"
        )
        return parts[0] + "\n\n✅ " + escape(done)
    if reminder.unjudged:
        count = len(reminder.unjudged)
        title = ngettext(
            "{n} pupil still needs a judgement this half-term:",
            "{n} pupils still need a judgement this half-term:",
            count,
        ).format(n=count)
        lines = [
            f"• {escape(gap.name)}"
            + (f" ({escape(gap.class_name)})" if gap.class_name else "")
            + ": "
            + escape(format_list([area_label(area) for area in gap.areas]))
            for gap in reminder.unjudged
        ]
        parts.append(f"📝 <b>{escape(title)}</b>\n" + "\n".join(fit(lines)))
    if reminder.due:
        count = len(reminder.due)
        title = ngettext(
            "{n} target is due for review:", "{n} targets are due for review:", count
        ).format(n=count)
        lines = [
            f"• {escape(target.pupil_name)}, {escape(area_label(target.area))}: "
            + shown_text(target.text)
            + escape(_set_or_review(target.set_on, target.review_on))
            for target in reminder.due
        ]
        parts.append(f"🎯 <b>{escape(title)}</b>\n" + "\n".join(fit(lines)))
    parts.append(escape(_("/sweep or /assess to judge, /review for targets.")))
    return "\n\n".join(parts)


def _set_or_review(set_on: date, review_on: date | None) -> str:
    if review_on is not None:
        return " (" + _("review by {day}").format(day=format_date(review_on, "d MMM")) + ")"
    return " (" + _("set {day}").format(day=format_date(set_on, "d MMM y")) + ")"


PROFILE_PICTURE = "profile_picture"


async def summary_notice(bot: Bot, row: NoticeView, reader: Reader) -> int:
    """At half-term: how one child is doing, and ideas for the holiday; the picture follows."""
    message_id = await send_html(bot, row.chat_id, summary_text(await _summary(row, reader)))
    await follow_with_file(row, PROFILE_PICTURE, pupil_id=int_param(row, "pupil_id"))
    return message_id


async def summary_paragraph(row: NoticeView, reader: Reader) -> str:
    """The same summary, shorter, as one paragraph of a digest; the picture follows."""
    text = summary_text(await _summary(row, reader), short=True)
    await follow_with_file(row, PROFILE_PICTURE, pupil_id=int_param(row, "pupil_id"))
    return text


notice(HalfTermNotice.HALFTERM_SUMMARY, render=summary_notice, digest=summary_paragraph)


@builds_photo(PROFILE_PICTURE)
async def profile_picture_file(row: NoticeView, reader: Reader) -> tuple[bytes, str]:
    """The child's "My Pupil Profile" picture as it stands when it is sent."""
    return await profile_photo(reader.actor, int_param(row, "pupil_id"))


async def _summary(row: NoticeView, reader: Reader) -> FamilySummary:
    return await family_summary(
        reader.actor,
        int_param(row, "half_term_id"),
        int_param(row, "pupil_id"),
        now=clock.now(),
    )


def summary_text(summary: FamilySummary, *, short: bool = False) -> str:
    """Bands with progress, then the targets' home ideas; `short` for a digest."""
    child, half_term = summary.child, summary.half_term
    heading = _("{half_term}: how {name} is doing").format(
        half_term=half_term_name(half_term.number), name=child.name
    )
    parts = [f"{SEASONS.get(half_term.number, '📋')} <b>{escape(heading)}</b>"]
    judged = [picture for picture in child.areas if picture.band is not None]
    if judged:
        separator = " · " if short else "\n"
        parts.append(separator.join(_area_line(picture) for picture in judged))
    else:
        parts.append(escape(_("No judgements have been recorded yet.")))
    ideas = [
        f"• <b>{escape(area_label(target.area))}</b>: {shown_text(target.home_support)}"
        for target in child.targets
        if target.home_support
    ]
    if ideas:
        title = escape(_("Ideas for the holiday"))
        parts.append(f"🏠 <b>{title}</b>\n" + "\n".join(fit(ideas, LIST_BUDGET // 2)))
    if summary.next_starts_on is not None and not short:
        back = _("School starts again on {day}.").format(
            day=format_date(summary.next_starts_on, LONG)
        )
        parts.append(escape(back))
    return ("\n" if short else "\n\n").join(parts)


def _area_line(picture: AreaPicture) -> str:
    line = f"{escape(area_label(picture.area))}: {escape(band_label(picture.area, picture.band))}"
    if picture.progress is not None:
        line += " " + escape(progress_label(picture.progress))
    return line
