"""Inline keyboards shared by the teacher flows: classes, pupils, areas and bands."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _
from handlers.common import callback_data
from handlers.common.labels import area_label, band_name
from models.common.enums import BAND_COLOURS, Area, bands_for, scale_for
from models.people.overview import ClassRef
from models.records.mentoring_file import PupilMatch

AREAS: tuple[Area, ...] = tuple(Area)


def area_code(area: Area) -> int:
    return AREAS.index(area)


def area_from(code: str) -> Area | None:
    """The area for a callback's area index, or None if forged or stale."""
    return AREAS[int(code)] if code.isdigit() and int(code) < len(AREAS) else None


def band_from(area: Area, code: str) -> str | None:
    bands = bands_for(scale_for(area))
    return bands[int(code)] if code.isdigit() and int(code) < len(bands) else None


def int_arg(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def button(text: str, kind: str, *args: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback_data.encode(kind, *args))


def class_keyboard(kind: str, classes: Sequence[ClassRef]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(rows([button(c.name, kind, c.class_id) for c in classes], 3))


def pupil_keyboard(
    kind: str, pupils: Sequence[PupilMatch], *, show_class: bool
) -> InlineKeyboardMarkup:
    buttons = [
        button(
            f"{p.name} ({p.class_name})" if show_class and p.class_name else p.name,
            kind,
            p.pupil_id,
        )
        for p in pupils
    ]
    return InlineKeyboardMarkup(rows(buttons, 1 if show_class else 2))


def area_keyboard(kind: str, *prefix: str | int) -> InlineKeyboardMarkup:
    buttons = [button(area_label(area), kind, *prefix, area_code(area)) for area in AREAS]
    return InlineKeyboardMarkup(rows(buttons, 3))


def band_buttons(kind: str, area: Area, *prefix: str | int) -> list[InlineKeyboardButton]:
    return [
        button(f"{BAND_COLOURS[i]} {band_name(band)}", kind, *prefix, i)
        for i, band in enumerate(bands_for(scale_for(area)))
    ]


def band_keyboard(kind: str, area: Area, *prefix: str | int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(rows(band_buttons(kind, area, *prefix), 2))


def choose_pupil_text() -> str:
    return _("Which pupil?")
