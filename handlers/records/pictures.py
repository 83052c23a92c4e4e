"""Sending the colour pictures: rendered in a worker thread, sent as photos with a caption."""

from __future__ import annotations

from html import escape

from telegram import Bot
from telegram.constants import ChatAction, ParseMode

from bot.documents import render_in_thread
from bot.documents.class_grid import class_grid_png
from bot.documents.profile_image import profile_png
from bot.i18n import _, current_locale, isolate
from models.common import clock
from models.people.access import Actor
from models.records.class_grid import class_grid
from models.records.profile_picture import ProfilePicture, profile_picture


async def profile_photo(actor: Actor, pupil_id: int) -> tuple[bytes, str]:
    """A pupil's profile picture in the reader's language, and its caption."""
    picture = await profile_picture(actor, pupil_id, now=clock.now())
    png = await render_in_thread(profile_png, picture, current_locale())
    return png, profile_caption(picture)


def profile_caption(picture: ProfilePicture) -> str:
    return f"🖼 <b>{escape(isolate(picture.name))}</b> · " + escape(_("My Pupil Profile"))


async def send_profile_photo(bot: Bot, chat_id: int, actor: Actor, pupil_id: int) -> None:
    """Render a pupil's profile picture and send it to this chat."""
    await bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
    png, caption = await profile_photo(actor, pupil_id)
    await bot.send_photo(
        chat_id, png, caption=caption, parse_mode=ParseMode.HTML, filename="profile.png"
    )


async def send_class_grid(bot: Bot, chat_id: int, actor: Actor, class_id: int) -> None:
    """Render a class's grid and send it to this chat."""
    await bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
    grid = await class_grid(actor, class_id, now=clock.now())
    png = await render_in_thread(class_grid_png, grid, current_locale())
    caption = "🖼 <b>{}</b> · {}".format(
        escape(_("Class {name}").format(name=grid.class_name)),
        escape(_("Latest bands this half-term")),
    )
    await bot.send_photo(
        chat_id, png, caption=caption, parse_mode=ParseMode.HTML, filename="class-grid.png"
    )
