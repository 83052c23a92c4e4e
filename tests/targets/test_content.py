"""The target bank and the home-support library: complete, tidy, packaged and translated."""

from __future__ import annotations

import re

import pytest

from bot.catalogues import extract
from bot.i18n import SHIPPED_LOCALES, SOURCE_LOCALE, _, use_locale
from models.common.enums import Area, YearGroup
from models.targets import content

TRANSLATED = [locale for locale in SHIPPED_LOCALES if locale != SOURCE_LOCALE]
MINIMUM = 6
TARGET_LIMIT = 110
IDEA_LIMIT = 140
EVERY_COMBINATION = [(area, year) for area in Area for year in (YearGroup.RECEPTION, YearGroup.Y3)]
# Braces and angle brackets would be taken for placeholders or HTML in a catalogue.
FORBIDDEN = re.compile(r"[{}<>%\n]")


@pytest.mark.parametrize(
    ("year_group", "stage"),
    [
        (YearGroup.RECEPTION, "ks1"),
        (YearGroup.Y1, "ks1"),
        (YearGroup.Y2, "ks1"),
        (YearGroup.Y3, "ks2"),
        (YearGroup.Y4, "ks2"),
        (YearGroup.Y5, "ks2"),
        (YearGroup.Y6, "ks2"),
    ],
)
def test_key_stage_follows_the_year_group(year_group: YearGroup, stage: str) -> None:
    assert content.key_stage(year_group) == stage


def test_every_year_group_has_a_key_stage() -> None:
    assert {content.key_stage(year) for year in YearGroup} == set(content.KEY_STAGES)


@pytest.mark.parametrize(("area", "year_group"), EVERY_COMBINATION)
def test_every_area_and_key_stage_has_enough_targets(area: Area, year_group: YearGroup) -> None:
    assert len(content.bank_targets(area, year_group)) >= MINIMUM


@pytest.mark.parametrize(("area", "year_group"), EVERY_COMBINATION)
def test_every_area_and_key_stage_has_enough_home_ideas(area: Area, year_group: YearGroup) -> None:
    assert len(content.home_ideas(area, year_group)) >= MINIMUM


def test_year_groups_in_one_key_stage_share_the_bank() -> None:
    assert content.bank_targets(Area.MATHS, YearGroup.Y1) == content.bank_targets(
        Area.MATHS, YearGroup.RECEPTION
    )
    assert content.home_ideas(Area.MATHS, YearGroup.Y6) == content.home_ideas(
        Area.MATHS, YearGroup.Y3
    )
    assert content.bank_targets(Area.MATHS, YearGroup.Y2) != content.bank_targets(
        Area.MATHS, YearGroup.Y3
    )


def test_no_text_appears_twice() -> None:
    texts = [text.casefold() for text, _location in content.all_texts()]
    repeated = sorted({text for text in texts if texts.count(text) > 1})
    assert repeated == []


@pytest.mark.parametrize(
    ("file", "limit"), [(content.TARGET_BANK, TARGET_LIMIT), (content.HOME_SUPPORT, IDEA_LIMIT)]
)
def test_texts_are_short_and_plain(file: str, limit: int) -> None:
    problems = [
        f"{entry.location}: {entry.text!r}"
        for entry in content.entries(file)
        if not 15 <= len(entry.text) <= limit
        or FORBIDDEN.search(entry.text)
        or entry.text != entry.text.strip()
        or not entry.text[0].isupper()
        or not entry.text.endswith((".", "?"))
    ]
    assert problems == []


def test_targets_speak_in_the_childs_voice() -> None:
    assert all(entry.text.startswith("I ") for entry in content.entries(content.TARGET_BANK))


def test_all_texts_point_at_the_csv_line() -> None:
    texts = content.all_texts()
    assert len(texts) == len(content.entries(content.TARGET_BANK)) + len(
        content.entries(content.HOME_SUPPORT)
    )
    first_text, first_location = texts[0]
    assert first_location == "models/targets/content/target_bank.csv:2"
    lines = (content.CONTENT_DIR / content.TARGET_BANK).read_text(encoding="utf-8").splitlines()
    assert first_text in lines[1]


def test_the_loader_returns_copies() -> None:
    targets = content.bank_targets(Area.READING, YearGroup.Y1)
    targets.clear()
    assert content.bank_targets(Area.READING, YearGroup.Y1) != []


def test_every_text_is_in_the_template_with_a_note() -> None:
    template = extract()
    for text, location in content.all_texts():
        message = template.get(text)
        assert message is not None, text
        file, line = location.rsplit(":", 1)
        assert (file, int(line)) in message.locations
        assert any(
            note.startswith(("Target bank: ", "Home support: ")) for note in message.auto_comments
        )


@pytest.mark.parametrize("locale", TRANSLATED)
def test_bank_texts_are_translated(locale: str) -> None:
    target = content.bank_targets(Area.MATHS, YearGroup.Y4)[0]
    idea = content.home_ideas(Area.READING, YearGroup.RECEPTION)[0]
    with use_locale(locale):
        assert _(target) != target
        assert _(idea) != idea
