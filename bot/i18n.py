"""Translations and locale-aware formatting, resolved per update through a ContextVar."""

from __future__ import annotations

import gettext as gettext_module
import io
import re
import string
from collections.abc import Iterable, Iterator
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


# Unicode directional isolates. In a right-to-left line a Latin name, a number or a `/command`
# at the edge of the line takes the line's direction (`/help` shows as `help/`); inside an
# isolate it keeps its own, and it cannot reorder the words around it either.
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
_ISOLATE_MARKS = re.compile("[\u2066-\u2069]")
# A `/command` or an `@username` written in a message (not `</b>`, a path or an address).
_TECHNICAL = re.compile(r"(?<![\w/<:.@])(?:/[A-Za-z][A-Za-z0-9_]*(?:@\w+)?|@[A-Za-z]\w{2,})")


def isolate(value: object) -> str:
    """A value set into a right-to-left sentence, kept in its own direction (FSI … PDI).

    Each line is isolated on its own: a line break ends every isolate. Left-to-right locales get
    the value as it is.
    """
    text = str(value)
    if not text or not is_rtl():
        return text
    return "\n".join(f"{FSI}{line}{PDI}" if line else line for line in text.split("\n"))


def isolate_ltr(text: str) -> str:
    """A command, username or code in a right-to-left line, always left to right (LRI … PDI)."""
    return f"{LRI}{text}{PDI}" if text and is_rtl() else text


def strip_isolates(text: str) -> str:
    """Typed or pasted text without isolate marks (copied from a right-to-left message)."""
    return _ISOLATE_MARKS.sub("", text)


class _IsolatingFormatter(string.Formatter):
    """str.format that puts every inserted value in an isolate; `@{bot}` as one LTR username."""

    def parse(self, format_string: str) -> Iterable[tuple[str, str | None, str | None, str | None]]:
        close = ""
        for literal, field, spec, conversion in super().parse(format_string):
            literal = close + literal
            close = ""
            if field is not None:
                opening = FSI
                if literal.endswith("@"):
                    literal, opening = literal[:-1], LRI + "@"
                literal += opening
                close = PDI
            yield literal, field, spec, conversion
        if close:
            yield close, None, None, None

    def format_field(self, value: object, format_spec: str) -> str:
        # A line break ends every isolate: each line of a multi-line value gets its own.
        return super().format_field(value, format_spec).replace("\n", f"{PDI}\n{FSI}")


_ISOLATING = _IsolatingFormatter()


class Translated(str):
    """A right-to-left message: `.format()` isolates each value it inserts."""

    __slots__ = ()

    def format(self, /, *args: object, **kwargs: object) -> str:
        return _ISOLATING.vformat(self, args, kwargs)


def _for_reading(message: str) -> str:
    """The message as shown: in right-to-left locales commands isolated and `.format` isolating."""
    if not is_rtl():
        return message
    return Translated(_TECHNICAL.sub(lambda match: f"{LRI}{match[0]}{PDI}", message))


def gettext(message: str) -> str:
    return _for_reading(translations(_current_locale.get()).gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    return _for_reading(translations(_current_locale.get()).ngettext(singular, plural, n))


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
