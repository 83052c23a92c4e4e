"""/settings: how often a parent or carer gets routine news, quiet hours, muting announcements;
for staff, how booking news from families reaches them."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler

from bot.i18n import _
from handlers.common import callback_data
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.texts import not_linked_text
from models.common import clock
from models.common.enums import BookingNews, UpdateFrequency
from models.delivery.policy import DIGEST_AT
from models.people.preferences import (
    booking_news_choice,
    choose_booking_news,
    choose_updates,
    mute_routine,
    office_closes_of,
    quiet_hours_of,
    routine_muted,
    update_frequency,
)

KIND = "upd"
MUTE = "mute"  # v1:mute:on|off
NEWS = "bnews"  # v1:bnews:at_once|end_of_day: a teacher's booking news
_DIGEST_TIME = DIGEST_AT.strftime("%H:%M")


def _choices() -> dict[UpdateFrequency, str]:
    return {
        UpdateFrequency.INSTANT: _("As it happens"),
        # Translators: routine news gathered into one message each evening.
        UpdateFrequency.DAILY: _("Once a day, at {time}").format(time=_DIGEST_TIME),
        UpdateFrequency.WEEKLY: _("Once a week, on Friday at {time}").format(time=_DIGEST_TIME),
    }


def settings_screen(
    current: UpdateFrequency, quiet: tuple[str, str], *, muted: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of /settings, the current choices ticked."""
    lines = [
        "⚙️ <b>" + escape(_("How often should I send you routine news?")) + "</b>",
        escape(
            _(
                "New targets, achievements and meeting summaries can come as they happen or "
                "gathered into one message."
            )
        ),
        "",
        "🌙 "
        + escape(
            _(
                "Quiet hours: between {start} and {end} I hold routine messages until the "
                "morning. Changes to a meeting on the same day still come at once."
            ).format(start=quiet[0], end=quiet[1])
        ),
        "",
        ("🔕 " if muted else "📢 ")
        + escape(
            _("Routine school announcements are muted.")
            if muted
            else _("School announcements come as the school sends them.")
        )
        + " "
        + escape(_("Safeguarding-critical announcements always come, even when muted.")),
    ]
    buttons = [
        [
            InlineKeyboardButton(
                ("✅ " if frequency is current else "") + label,
                callback_data=callback_data.encode(KIND, frequency.value),
            )
        ]
        for frequency, label in _choices().items()
    ]
    mute = (
        ("🔔 " + _("Turn routine announcements back on"), "off")
        if muted
        else ("🔕 " + _("Mute routine school announcements"), "on")
    )
    buttons.append(
        [InlineKeyboardButton(mute[0], callback_data=callback_data.encode(MUTE, mute[1]))]
    )
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


async def show_settings(update: Update, context: MentorContext) -> None:
    """A guardian's delivery choices; others are told it is for parents and carers."""
    message = update.effective_message
    if message is None:
        return
    actor = context.actor
    if actor is None or not actor.is_linked:
        await message.reply_text(not_linked_text())
        return
    if actor.staff is not None:
        text, markup = staff_screen(
            await booking_news_choice(actor.telegram_user_id), await office_closes_of(actor)
        )
        await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    if actor.guardian is None:
        if actor.staff is None:
            await message.reply_text(_("These settings are for parents and carers."))
        return
    current = await update_frequency(actor.telegram_user_id)
    muted = await routine_muted(actor.telegram_user_id)
    text, markup = settings_screen(current, await quiet_hours_of(actor), muted=muted)
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


def _news_choices() -> dict[BookingNews, str]:
    return {
        BookingNews.AT_ONCE: _("As it happens"),
        BookingNews.END_OF_DAY: _("One summary at the end of the school day"),
    }


def staff_screen(current: BookingNews, closes: str) -> tuple[str, InlineKeyboardMarkup]:
    """A teacher's /settings: how booking news from families reaches them."""
    text = "\n".join(
        [
            "⚙️ <b>" + escape(_("Booking news from families")) + "</b>",
            escape(
                _(
                    "When a family books, moves or cancels a meeting with you, I can tell you "
                    "as it happens (during office hours) or in one summary when the office "
                    "closes at {time}. A cancellation on the day of the meeting always comes "
                    "at once, with the family's reason."
                ).format(time=closes)
            ),
        ]
    )
    buttons = [
        [
            InlineKeyboardButton(
                ("✅ " if choice is current else "") + label,
                callback_data=callback_data.encode(NEWS, choice.value),
            )
        ]
        for choice, label in _news_choices().items()
    ]
    return text, InlineKeyboardMarkup(buttons)


async def _news_pressed(update: Update, context: MentorContext, args: tuple[str, ...]) -> str:
    """A booking news button: store it and tick it."""
    actor, query = acting(context), update.callback_query
    choice = next((c for c in BookingNews if args == (c.value,)), None)
    if choice is None or query is None or actor.staff is None:
        return _("This button is no longer active.")
    await choose_booking_news(actor, choice, now=clock.now())
    text, markup = staff_screen(choice, await office_closes_of(actor))
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    return _("Saved: {choice}.").format(choice=_news_choices()[choice])


async def pressed(
    update: Update, context: MentorContext, kind: str, args: tuple[str, ...]
) -> str | None:
    """A frequency button: store it, tick it, and say what changes."""
    actor = acting(context)
    query = update.callback_query
    if kind == MUTE:
        return await _mute_pressed(update, context, args)
    if kind == NEWS:
        return await _news_pressed(update, context, args)
    choice = next((f for f in UpdateFrequency if args == (f.value,)), None)
    if choice is None or query is None or actor.guardian is None:
        return _("This button is no longer active.")
    await choose_updates(actor, choice, now=clock.now())
    muted = await routine_muted(actor.telegram_user_id)
    text, markup = settings_screen(choice, await quiet_hours_of(actor), muted=muted)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    return _("Saved: {choice}.").format(choice=_choices()[choice])


async def _mute_pressed(update: Update, context: MentorContext, args: tuple[str, ...]) -> str:
    """Mute or unmute routine announcements, and show the screen again."""
    actor, query = acting(context), update.callback_query
    if args not in (("on",), ("off",)) or query is None or actor.guardian is None:
        return _("This button is no longer active.")
    muted = args == ("on",)
    await mute_routine(actor, muted=muted)
    current = await update_frequency(actor.telegram_user_id)
    text, markup = settings_screen(current, await quiet_hours_of(actor), muted=muted)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    if muted:
        return _("Routine announcements muted. Safeguarding-critical ones still come.")
    return _("Routine announcements are back on.")


def register(app: Application) -> None:
    app.add_handler(CommandHandler("settings", show_settings))
    register_buttons(app, pressed, KIND, MUTE, NEWS)
