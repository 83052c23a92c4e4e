"""Right-to-left messages keep commands, names and numbers as written: each sits in a Unicode
directional isolate. Left-to-right messages are exactly as before."""

from __future__ import annotations

import re
import string
from html import escape

import pytest

from bot.catalogues import load
from bot.emulator.text.entities import command_entities, parse_text
from bot.i18n import (
    FSI,
    LRI,
    PDI,
    RTL_LOCALES,
    SHIPPED_LOCALES,
    SOURCE_LOCALE,
    _,
    isolate,
    isolate_ltr,
    ngettext,
    strip_isolates,
    use_locale,
)
from handlers.common.help import help_text

RTL = sorted(RTL_LOCALES)
LTR = sorted(set(SHIPPED_LOCALES) - RTL_LOCALES)
COMMAND = re.compile(r"(?<![\w/<:.@])/[a-z_]+")
OPENERS = "\u2066\u2067\u2068"


def _ids(locale: str) -> list[str | tuple[str, str]]:
    catalogue = load("pl" if locale == SOURCE_LOCALE else locale)  # English: the same ids
    return [m.id if isinstance(m.id, str) else (m.id[0], m.id[1]) for m in catalogue if m.id]


def _shown(message_id: str | tuple[str, str], n: int = 3) -> str:
    """A message as a handler would send it: translated, every placeholder filled in."""
    text = _(message_id) if isinstance(message_id, str) else ngettext(*message_id, n)
    fields = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    return text.format(**dict.fromkeys(fields, "Maja Nowak\n3B")) if fields else text


def _balanced(text: str) -> bool:
    """Every isolate opened is closed on its own line (a line break ends them all)."""
    for line in text.split("\n"):
        depth = 0
        for ch in line:
            depth += ch in OPENERS
            depth -= ch == PDI
            if depth < 0:
                return False
        if depth:
            return False
    return True


@pytest.mark.parametrize("locale", RTL)
def test_inserted_values_are_isolated_in_right_to_left(locale: str) -> None:
    with use_locale(locale):
        text = _("<b>New target for {name}</b> ({area})").format(name="Maja", area="Writing")
        count = ngettext("{n} pupil", "{n} pupils", 12).format(n=12)
        letter = _("No camera? In Telegram, open @{bot} and send this message:").format(bot="oak")
    assert f"{FSI}Maja{PDI}" in text
    assert f"{FSI}Writing{PDI}" in text
    assert f"{FSI}12{PDI}" in count
    assert f"{LRI}@oak{PDI}" in letter  # the @ stays with the username
    assert "Maja" not in text.replace(f"{FSI}Maja{PDI}", "")


@pytest.mark.parametrize("locale", RTL)
def test_every_command_in_a_right_to_left_catalogue_is_isolated(locale: str) -> None:
    checked = 0
    with use_locale(locale):
        for message_id in _ids(locale):
            shown = _shown(message_id)
            for match in COMMAND.finditer(shown):
                checked += 1
                assert shown[match.start() - 1] == LRI, (message_id, shown)
                assert shown[match.end()] == PDI, (message_id, shown)
        lines = help_text(None).split("\n")
    assert checked > 10
    assert any(line.startswith(f"{LRI}/help{PDI} — ") for line in lines)
    assert all(line.startswith(f"{LRI}/") for line in lines if " — " in line)


@pytest.mark.parametrize("locale", LTR)
def test_left_to_right_text_is_unchanged(locale: str) -> None:
    with use_locale(locale):
        for message_id in _ids(locale):
            shown = _shown(message_id)
            assert strip_isolates(shown) == shown, message_id
            raw = _(message_id) if isinstance(message_id, str) else ngettext(*message_id, 3)
            assert type(raw) is str
        assert isolate("Maja") == "Maja"
        assert isolate_ltr("/help") == "/help"
        assert help_text(None).startswith(escape(_("Here is what I can do for you:")))
        assert "\n/help — " in help_text(None)


@pytest.mark.parametrize("locale", SHIPPED_LOCALES)
def test_isolates_are_balanced_in_every_message(locale: str) -> None:
    unbalanced = []
    with use_locale(locale):
        for message_id in _ids(locale):
            for n in (1, 2, 3, 11, 100) if isinstance(message_id, tuple) else (1,):
                if not _balanced(_shown(message_id, n)):
                    unbalanced.append(message_id)
    assert unbalanced == []


def test_multi_line_values_are_isolated_line_by_line() -> None:
    with use_locale("ar"):
        assert isolate("Maja\n\nJan") == f"{FSI}Maja{PDI}\n\n{FSI}Jan{PDI}"
        text = _("Dear {name},").format(name="Ewa\nNowak")
    assert _balanced(text)
    assert f"{FSI}Ewa{PDI}\n{FSI}Nowak{PDI}" in text


def test_html_stays_valid_around_isolates() -> None:
    """Isolates are plain characters: escaping still works and Telegram's HTML still parses."""
    with use_locale("ur"):
        html = escape(_("Dear {name},").format(name="<b>Ali</b>"))
        bold = _("<b>New target for {name}</b> ({area})").format(name="Ali", area="<i>x</i>")
    assert "&lt;b&gt;Ali&lt;/b&gt;" in html
    plain, entities = parse_text(bold, "HTML")
    assert f"{FSI}Ali{PDI}" in plain
    assert {entity["type"] for entity in entities} == {"bold", "italic"}


def test_isolated_commands_are_still_commands() -> None:
    with use_locale("ur"):
        text = _("I didn't catch that. Send /help to see what I can do.")
    found = command_entities(text)
    assert [text[e["offset"] : e["offset"] + e["length"]] for e in found] == ["/help"]


def test_pasted_isolates_are_stripped_from_typed_input() -> None:
    assert strip_isolates(f"{LRI}/help{PDI} {FSI}maja{PDI}") == "/help maja"
    assert strip_isolates("maja") == "maja"
