"""Importing ready-made announcements with their translations from a CSV file, all or nothing.

Columns `key,locale,text`, one row per language, read by models/imports (UTF-8 with or
without a BOM, header names in any case, extra columns ignored). The `en` row is the text
staff send; the other rows are its translations (`locale` a language code such as `pl`, `ur`
or `pl-PL`; languages the bot does not speak may be stored too). Templates are matched by
school and key: new ones are created, others replaced by what the file says (translations
missing from the file are dropped); none are ever deleted.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from models.announcements.sending import MAX_TEXT
from models.announcements.tables import AnnouncementTemplate
from models.calendar.school import School
from models.common.errors import N_
from models.common.translation import SOURCE_LANGUAGE
from models.imports import ImportAudit, Table, import_csv
from models.imports.cells import TOO_LONG, filled
from models.people.roster.rules import parse_language

COLUMNS = ("key", "locale", "text")
MAX_KEY = 64
_KEY = re.compile(r"[A-Za-z0-9_.-]+")
BAD_KEY = N_("{value} cannot be a key: use letters, digits, dots, hyphens and underscores.")
BAD_LOCALE = N_("{value} is not a language code such as en, pl or ur.")
DUPLICATE = N_("The {locale} text of {key} is already on line {other_line}.")
NO_ENGLISH = N_("{key} has no en row: the English text is the one staff send.")


@dataclass
class _Wanted:
    """One template as the file gives it, and the line of its first row."""

    line: int
    text: str = ""
    translations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TemplatesReport:
    """How many templates were new, changed or already as the file says."""

    created: int
    updated: int
    unchanged: int


async def import_templates(school: School, path: Path) -> TemplatesReport:
    """Check the whole file, then apply it in one transaction; ImportInvalid changes nothing."""
    return await import_csv(
        path,
        COLUMNS,
        check=_check,
        write=partial(_apply, school),
        audit=ImportAudit(school, "announcement_templates_imported", asdict),
    )


def _check(table: Table) -> dict[str, _Wanted]:
    """Every key's English text and translations; each problem is added to the table."""
    wanted: dict[str, _Wanted] = {}
    lines: dict[tuple[str, str], int] = {}
    english: set[str] = set()  # keys with an en row, even one with a problem of its own
    for row in table.rows:
        if not filled(table, row, COLUMNS):
            continue
        key, text = row["key"], row["text"]
        locale = parse_language(row["locale"])
        if locale == SOURCE_LANGUAGE:
            english.add(key)
        usable = True
        if len(key) > MAX_KEY:
            table.problem(row.line, "key", TOO_LONG, limit=str(MAX_KEY))
            usable = False
        elif not _KEY.fullmatch(key):
            table.problem(row.line, "key", BAD_KEY, value=key)
            usable = False
        if locale is None:
            table.problem(row.line, "locale", BAD_LOCALE, value=row["locale"])
            usable = False
        if len(text) > MAX_TEXT:
            table.problem(row.line, "text", TOO_LONG, limit=str(MAX_TEXT))
            usable = False
        if not usable or locale is None:
            continue
        if (other := lines.get((key, locale))) is not None:
            table.problem(
                row.line, "locale", DUPLICATE, locale=locale, key=key, other_line=str(other)
            )
            continue
        lines[(key, locale)] = row.line
        template = wanted.setdefault(key, _Wanted(row.line))
        if locale == SOURCE_LANGUAGE:
            template.text = text
        else:
            template.translations[locale] = text
    for key, template in wanted.items():
        if key not in english:
            table.problem(template.line, "locale", NO_ENGLISH, key=key)
    return wanted


async def _apply(school: School, wanted: dict[str, _Wanted]) -> TemplatesReport:
    """Create or replace each template."""
    existing = {
        template.key: template
        for template in await AnnouncementTemplate.filter(school=school, key__in=list(wanted))
    }
    new, changed = [], []
    for key, row in wanted.items():
        current = existing.get(key)
        if current is None:
            new.append(
                AnnouncementTemplate(
                    school=school, key=key, text=row.text, translations=row.translations
                )
            )
        elif current.text != row.text or current.translations != row.translations:
            current.text, current.translations = row.text, row.translations
            changed.append(current)
    if new:
        await AnnouncementTemplate.bulk_create(new)
    if changed:
        await AnnouncementTemplate.bulk_update(changed, fields=["text", "translations"])
    return TemplatesReport(len(new), len(changed), len(wanted) - len(new) - len(changed))
