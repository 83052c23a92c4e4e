"""Every shipped catalogue is complete: nothing untranslated, fuzzy, stale or misplaced."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Message

from bot.catalogues import extract, load
from bot.i18n import SHIPPED_LOCALES, SOURCE_LOCALE, _, ngettext, use_locale

TRANSLATED = [locale for locale in SHIPPED_LOCALES if locale != SOURCE_LOCALE]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
TAG = re.compile(r"</?[a-z]+>")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def template_ids() -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogue_has_every_string_of_the_code(locale: str, template_ids: set[str]) -> None:
    catalogue = load(locale)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    missing = sorted(template_ids - ids)
    assert missing == [], f"{locale}: run `make messages` and translate: {missing[:5]}"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogue_is_fully_translated(locale: str) -> None:
    problems = []
    for message in load(locale):
        if not message.id:
            continue
        problems += [f"{message.id!r}: {p}" for p in _problems(message)]
    assert problems == [], f"{locale}: {problems[:5]}"


def _problems(message: Message) -> list[str]:
    if message.fuzzy:
        return ["fuzzy"]
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    if not all(strings):
        return ["untranslated"]
    problems = []
    expected = placeholders(ids[-1])
    for text in strings:
        # A plural form may leave out {n} (Arabic writes the number out for one and two).
        found = placeholders(text)
        if found != expected and sorted(set(found) | {"{n}"}) != sorted(set(expected) | {"{n}"}):
            problems.append(f"placeholders {found} instead of {expected}")
        if sorted(TAG.findall(text)) != sorted(TAG.findall(ids[-1])):
            problems.append("HTML tags differ")
    return problems


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_are_used(locale: str) -> None:
    with use_locale(locale):
        assert _("Choose your language:") != "Choose your language:"


def test_plural_forms_follow_the_language() -> None:
    with use_locale("pl"):
        forms = {ngettext("{n} pupil", "{n} pupils", n) for n in (1, 2, 5)}
    assert len(forms) == 3  # Polish has three forms: 1, 2-4, 5+


def test_no_translation_call_hides_inside_an_f_string() -> None:
    """Babel cannot extract `_()` inside an f-string on Python 3.11: it would stay English."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    hidden = []
    for package in ("bot", "handlers", "models", "scheduler"):
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.JoinedStr):
                    continue
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Name)
                        and inner.func.id in {"_", "gettext", "ngettext", "N_"}
                    ):
                        hidden.append(f"{path.relative_to(root)}:{inner.lineno}")
    assert hidden == []
