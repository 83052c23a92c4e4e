"""Words for the domain's codes on printed documents (the chat's msgids, without emoji).

Printed pages draw colour swatches instead of the chat's coloured dots: no shipped font has
emoji, and the documents must not depend on the Telegram layer.
"""

from __future__ import annotations

from bot.documents.pdf import BAND_RGB, Colour
from bot.i18n import _
from models.assessment.bands import InvalidBand, Progress, band_index
from models.common.enums import Area, SupportKind, TargetStatus


def area_name(area: Area) -> str:
    names = {
        Area.READING: _("Reading"),
        Area.WRITING: _("Writing"),
        Area.MATHS: _("Maths"),
        Area.ATTENDANCE: _("Attendance"),
        Area.ORGANISATION: _("Organisation"),
        Area.ATTITUDE: _("Attitude to learning"),
        Area.BEHAVIOUR: _("Behaviour"),
    }
    return names[area]


def band_name(band: str | None) -> str:
    if band is None:
        return _("not judged yet")
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
    return names.get(band, band)


def band_colour(area: Area, band: str | None) -> Colour | None:
    """The band's colour on the school's scale; None when not judged (or not on the scale)."""
    if band is None:
        return None
    try:
        return BAND_RGB[band_index(area, band)]
    except InvalidBand:
        return None


def progress_name(value: Progress | None) -> str:
    if value is None:
        return ""
    names = {
        Progress.AHEAD: _("ahead"),
        Progress.ON_TRACK: _("on track"),
        Progress.BEHIND: _("behind"),
    }
    return names[value]


def support_kind_name(kind: SupportKind) -> str:
    names = {
        SupportKind.IN_CLASS: _("in class"),
        SupportKind.GROUP: _("group intervention"),
        SupportKind.ONE_TO_ONE: _("one to one"),
        SupportKind.EXTERNAL: _("external"),
    }
    return names[kind]


def capitalised(text: str) -> str:
    """`Group intervention` at the start of a line (scripts without case are unchanged)."""
    return text[:1].upper() + text[1:]


def target_status_name(status: TargetStatus) -> str:
    names = {
        TargetStatus.ACTIVE: _("we keep working on it"),
        TargetStatus.ACHIEVED: _("achieved"),
        TargetStatus.CARRIED_OVER: _("carried over"),
        TargetStatus.DROPPED: _("no longer a target"),
    }
    return names[status]


def stored_text(text: str) -> str:
    """A stored target or idea: a bank entry is a msgid, so it appears translated."""
    return _(text) if text else ""
