"""Translations and locale-aware formatting, resolved per update through a ContextVar."""

from __future__ import annotations

import gettext as gettext_module
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from models.common.languages import SHIPPED_LOCALES, SOURCE_LOCALE

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
RTL_LOCALES = frozenset({"ar", "ur"})
DOMAIN = "messages"

_current_locale: ContextVar[str] = ContextVar("mentorbot_locale", default=SOURCE_LOCALE)


def normalize_locale(tag: str | None) -> str | None:
    """The shipped locale for an IETF tag such as `pl-PL` or `uk`, else None."""
    if not tag:
        return None
    primary = tag.replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in SHIPPED_LOCALES else None


@cache
def translations(locale: str) -> gettext_module.NullTranslations:
    """The compiled catalogue for a locale, built in memory from its .po file."""
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if locale == SOURCE_LOCALE or not po_path.exists():
        return gettext_module.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


def current_locale() -> str:
    return _current_locale.get()


def set_locale(locale: str) -> None:
    """Set the locale for the rest of this update's handling (this task only)."""
    _current_locale.set(normalize_locale(locale) or SOURCE_LOCALE)


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Render in another locale for a while (a job writing to one recipient)."""
    token = _current_locale.set(normalize_locale(locale) or SOURCE_LOCALE)
    try:
        yield
    finally:
        _current_locale.reset(token)


def gettext(message: str) -> str:
    return translations(_current_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current_locale.get()).ngettext(singular, plural, n)


_ = gettext


def language_name(locale: str) -> str:
    """A language's name in that language, as a speaker would look for it."""
    name = Locale.parse(locale).get_display_name(locale) or locale
    return name[:1].upper() + name[1:]


def is_rtl(locale: str | None = None) -> bool:
    return (locale or _current_locale.get()) in RTL_LOCALES


def format_datetime(moment: datetime, timezone: ZoneInfo, fmt: str = "medium") -> str:
    """A moment shown in the school's timezone and the current locale."""
    return babel_format_datetime(moment, fmt, tzinfo=timezone, locale=_current_locale.get())


def format_date(day: date, fmt: str = "long") -> str:
    return babel_format_date(day, fmt, locale=_current_locale.get())


def choose_locale(*candidates: str | None) -> str:
    """The first candidate we ship a catalogue for, else English."""
    for candidate in candidates:
        locale = normalize_locale(candidate)
        if locale:
            return locale
    return SOURCE_LOCALE


def format_list(items: list[str] | tuple[str, ...]) -> str:
    """`Maja, Jan and Ola` in the current locale."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list(list(items), locale=_current_locale.get()) if items else ""
