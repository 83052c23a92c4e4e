"""/profile and /targets: what a parent or carer sees about each of their children."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import Application, CommandHandler

from bot.i18n import _
from handlers.common.context import MentorContext, acting
from handlers.common.labels import area_label, band_label, progress_label, shown_text
from handlers.common.texts import not_linked_text
from handlers.records.pictures import profile_photo
from models.calendar.schools import academic_year_for
from models.common import clock
from models.common.enums import ATTAINMENT_AREAS
from models.common.errors import DomainError
from models.records.mentoring_file import ChildProfile, TargetView, child_profiles


async def _profiles(update: Update, context: MentorContext) -> list[ChildProfile] | None:
    """The guardian's children, or None after telling a non-guardian what to do."""
    message = update.effective_message
    if message is None:
        return None
    try:
        if context.actor is None:
            raise DomainError()
        profiles = await child_profiles(
            context.actor, academic_year=academic_year_for(clock.now().date())
        )
    except DomainError:
        await message.reply_text(not_linked_text())
        return None
    if not profiles:
        await message.reply_text(_("The school has not shared any updates with you yet."))
        return None
    return profiles


async def show_profile(update: Update, context: MentorContext) -> None:
    """Each child's picture (bands in colour by half-term), then the same in words."""
    profiles = await _profiles(update, context)
    message = update.effective_message
    if profiles is None or message is None:
        return
    await message.reply_chat_action(ChatAction.UPLOAD_PHOTO)
    # All rendered first, so each child's picture and words arrive together.
    photos = [await profile_photo(acting(context), profile.pupil_id) for profile in profiles]
    for profile, (png, caption) in zip(profiles, photos, strict=True):
        await message.reply_photo(
            png, caption=caption, parse_mode=ParseMode.HTML, filename="profile.png"
        )
        await message.reply_text(render_profile(profile), parse_mode=ParseMode.HTML)


async def show_targets(update: Update, context: MentorContext) -> None:
    """Active targets with the home-support ideas, per child."""
    profiles = await _profiles(update, context)
    if profiles is None or update.effective_message is None:
        return
    blocks = []
    for profile in profiles:
        block = [f"🎯 <b>{escape(profile.name)}</b>"]
        block += [_target_lines(t) for t in profile.targets] or [escape(_("No active targets."))]
        blocks.append("\n".join(block))
    await update.effective_message.reply_text("\n\n".join(blocks), parse_mode=ParseMode.HTML)


def render_profile(profile: ChildProfile) -> str:
    heading = f"👧 <b>{escape(profile.name)}</b>"
    if profile.class_name:
        heading += " · " + escape(_("class {name}").format(name=profile.class_name))
    lines = [heading, "", "<b>" + escape(_("Learning")) + "</b>"]
    personal = ["", "<b>" + escape(_("Attitude and habits")) + "</b>"]
    for picture in profile.areas:
        line = (
            f"{escape(area_label(picture.area))}: {escape(band_label(picture.area, picture.band))}"
        )
        if picture.progress:
            line += " " + escape(progress_label(picture.progress))
        (lines if picture.area in ATTAINMENT_AREAS else personal).append(line)
    lines += personal
    lines += ["", "🎯 <b>" + escape(_("Targets and how to help at home")) + "</b>"]
    lines += [_target_lines(t) for t in profile.targets] or [escape(_("No active targets."))]
    return "\n".join(lines)


def _target_lines(target: TargetView) -> str:
    line = f"• <b>{escape(area_label(target.area))}</b>: {shown_text(target.text)}"
    if target.home_support:
        line += "\n  🏠 " + shown_text(target.home_support)
    return line


def register(app: Application) -> None:
    app.add_handler(CommandHandler("profile", show_profile))
    app.add_handler(CommandHandler("targets", show_targets))
