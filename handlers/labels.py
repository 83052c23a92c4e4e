"""Words and colours for the domain's codes, in the reader's language."""

from __future__ import annotations

from html import escape

from bot.i18n import _
from models.bands import PROGRESS_MARKS, Progress, colour
from models.enums import Area, SupportKind


def area_label(area: Area) -> str:
    labels = {
        Area.READING: _("Reading"),
        Area.WRITING: _("Writing"),
        Area.MATHS: _("Maths"),
        Area.ATTENDANCE: _("Attendance"),
        Area.ORGANISATION: _("Organisation"),
        Area.ATTITUDE: _("Attitude to learning"),
        Area.BEHAVIOUR: _("Behaviour"),
    }
    return labels[area]


def band_name(band: str) -> str:
    names = {
        "below": _("below expected"),
        "towards": _("working towards"),
        "expected": _("expected standard"),
        "greater_depth": _("greater depth"),
        "concern": _("a concern"),
        "mixed": _("mixed"),
        "good": _("good"),
        "excellent": _("excellent"),
    }
    return names[band]


def band_label(area: Area, band: str | None) -> str:
    """`🟢 expected standard`, or a dash when there is no judgement yet."""
    if band is None:
        return "⚪ " + _("not judged yet")
    return f"{colour(area, band)} {band_name(band)}"


def progress_label(value: Progress | None) -> str:
    if value is None:
        return ""
    names = {
        Progress.AHEAD: _("ahead"),
        Progress.ON_TRACK: _("on track"),
        Progress.BEHIND: _("behind"),
    }
    return f"{PROGRESS_MARKS[value]} {names[value]}"


def support_kind_label(kind: SupportKind) -> str:
    labels = {
        SupportKind.IN_CLASS: _("in class"),
        SupportKind.GROUP: _("group intervention"),
        SupportKind.ONE_TO_ONE: _("one to one"),
        SupportKind.EXTERNAL: _("external"),
    }
    return labels[kind]


def shown_text(text: str) -> str:
    """Stored text (a bank entry is a msgid, so it appears translated), HTML-escaped."""
    return escape(_(text)) if text else ""
