"""Extract translatable strings from the code and keep every shipped catalogue in step."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LOCALES_DIR, SHIPPED_LOCALES, SOURCE_LOCALE
from models.targets import content

ROOT = LOCALES_DIR.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHOD_MAP = [
    ("bot/**.py", "python"),
    ("handlers/**.py", "python"),
    ("models/**.py", "python"),
    ("scheduler/**.py", "python"),
]


def extract() -> Catalog:
    """Every translatable string in the code, as a template catalogue."""
    template = Catalog(project="Mentorbot", domain=DOMAIN, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    add_content(template)
    return template


def add_content(template: Catalog) -> None:
    """The target bank and home-support texts, located at their CSV line, with a note."""
    for entry in content.all_entries():
        location = (content.source_path(entry.file), entry.line)
        existing = template.get(entry.text)
        if existing is None:
            template.add(entry.text, None, [location], auto_comments=[entry.note])
            continue
        existing.locations.append(location)
        if entry.note not in existing.auto_comments:
            existing.auto_comments.append(entry.note)


def catalogue_path(locale: str) -> Path:
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(locale: str) -> Catalog:
    with catalogue_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def update_all() -> None:
    """Write the template and merge it into each language's catalogue (new strings empty)."""
    template = extract()
    LOCALES_DIR.mkdir(parents=True, exist_ok=True)
    with (LOCALES_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, omit_header=False, no_location=True, sort_output=True)
    for locale in SHIPPED_LOCALES:
        if locale == SOURCE_LOCALE:
            continue
        path = catalogue_path(locale)
        if path.exists():
            catalogue = load(locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue = Catalog(locale=locale, domain=DOMAIN, project="Mentorbot", fuzzy=False)
        catalogue.update(template, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(handle, catalogue, no_location=True, sort_output=True, ignore_obsolete=True)


if __name__ == "__main__":
    update_all()
