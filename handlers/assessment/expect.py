"""/expect: a senior leader sets the band a pupil is aimed at by the end of the year."""

from __future__ import annotations

from datetime import date
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.i18n import _
from handlers.common.buttons import register_buttons
from handlers.common.context import MentorContext, acting
from handlers.common.labels import area_label, band_label
from handlers.common.pickers import (
    area_code,
    area_from,
    area_keyboard,
    band_from,
    band_keyboard,
    button,
    int_arg,
)
from handlers.common.pupil_choice import choose_pupil, is_staff_chat, reply, show
from models.assessment.expecting import expected_bands, set_expectation
from models.calendar.schools import academic_year_for
from models.common import clock
from models.common.enums import Area
from models.common.errors import N_, DomainError
from models.people.access import Permission, staff_may
from models.people.pupils import pupil_for

PICK = "ex"  # v1:ex:<pupil>[:<area>[:<band>]]


def _today(context: MentorContext) -> date:
    return clock.today(context.services.settings.timezone)


async def expect(update: Update, context: MentorContext) -> None:
    """`/expect [part of a name]`: pupil → area → band, for this academic year."""
    if not is_staff_chat(update, context):
        await reply(update, escape(_("This command is for school staff.")))
        return
    if not staff_may(acting(context), Permission.SET_EXPECTATIONS):
        await reply(update, escape(_("End-of-year expectations are set by senior leaders.")))
        return
    pupil_id = await choose_pupil(update, context, PICK)
    if pupil_id is not None:
        await _ask_area(update, context, pupil_id, edit=False)


async def _ask_area(update: Update, context: MentorContext, pupil_id: int, *, edit: bool) -> None:
    pupil = await pupil_for(acting(context), pupil_id, Permission.SET_EXPECTATIONS)
    text = escape(
        _("{name}: an end-of-year expectation in which area?").format(name=pupil.full_name)
    )
    await show(update, text, area_keyboard(PICK, pupil_id), edit=edit)


async def _dispatch(
    update: Update, context: MentorContext, _kind: str, args: tuple[str, ...]
) -> str | None:
    pupil_id = int_arg(args[0]) if args else None
    if pupil_id is None or len(args) > 3:
        raise DomainError(N_("This button is no longer active."))
    area = area_from(args[1]) if len(args) > 1 else None
    if area is None:
        await _ask_area(update, context, pupil_id, edit=True)
        return None
    band = band_from(area, args[2]) if len(args) > 2 else None
    if band is None:
        await _ask_band(update, context, pupil_id, area)
        return None
    year = academic_year_for(_today(context))
    await set_expectation(acting(context), pupil_id, area, band, academic_year=year)
    pupil = await pupil_for(acting(context), pupil_id, Permission.SET_EXPECTATIONS)
    text = _("{name} — {area}: expected by the end of the year: {band}").format(
        name=pupil.full_name, area=area_label(area), band=band_label(area, band)
    )
    markup = InlineKeyboardMarkup([[button("➕ " + _("Another area"), PICK, pupil_id)]])
    await show(update, "✅ " + escape(text), markup, edit=True)
    return _("Saved")


async def _ask_band(update: Update, context: MentorContext, pupil_id: int, area: Area) -> None:
    pupil = await pupil_for(acting(context), pupil_id, Permission.SET_EXPECTATIONS)
    year = academic_year_for(_today(context))
    current = (await expected_bands([pupil.pupil_id], area, academic_year=year)).get(pupil.pupil_id)
    lines = [
        _("{name} — {area}: which band by the end of the year ({year})?").format(
            name=pupil.full_name, area=area_label(area), year=year
        )
    ]
    if current is not None:
        lines.append(_("Now: {band}").format(band=band_label(area, current)))
    markup = band_keyboard(PICK, area, pupil_id, area_code(area))
    await show(update, escape("\n".join(lines)), markup, edit=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("expect", expect))
    register_buttons(app, _dispatch, PICK)
