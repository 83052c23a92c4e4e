"""The fonts shipped with the bot, chosen per locale, so output never depends on the machine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.i18n import RTL_LOCALES

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class FontSet:
    """A regular and a bold face of one family, the language it shapes for, its relative size."""

    family: str
    regular: Path
    bold: Path
    language: str | None = None
    # Arabic-script faces look smaller than Latin at one point size; scale them to match.
    scale: float = 1.0


def _family(name: str, language: str | None = None, scale: float = 1.0) -> FontSet:
    return FontSet(
        family=name,
        regular=FONTS_DIR / f"{name}-Regular.ttf",
        bold=FONTS_DIR / f"{name}-Bold.ttf",
        language=language,
        scale=scale,
    )


NOTO_SANS = _family("NotoSans")  # Latin (Polish, Romanian) and Cyrillic (Ukrainian)
NASKH = _family("NotoNaskhArabic", "ar", 1.1)
NASTALIQ = _family("NotoNastaliqUrdu", "ur", 1.15)

_BY_LOCALE = {"ur": NASTALIQ, "ar": NASKH}


def fonts_for(locale: str) -> FontSet:
    """The family a locale's text is set in: Nastaliq for Urdu, Naskh for Arabic, else Noto Sans."""
    return _BY_LOCALE.get(locale, NOTO_SANS)


def fallbacks_for(locale: str) -> tuple[FontSet, ...]:
    """Families to try, in order, for characters the locale's own family lacks (names, digits)."""
    primary = fonts_for(locale)
    return (primary, *(family for family in (NOTO_SANS, NASKH) if family != primary))


def is_rtl(locale: str) -> bool:
    """Whether a locale's layout runs right to left (and so pictures are mirrored)."""
    return locale in RTL_LOCALES
