"""Locale per task, formatting in the school's timezone, callback data kept small and strict."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import _, current_locale, format_datetime, format_list, language_name, use_locale
from handlers.common import callback_data

LONDON = ZoneInfo("Europe/London")


def test_times_are_shown_in_the_school_timezone() -> None:
    summer = datetime(2026, 7, 1, 14, 30, tzinfo=UTC)  # 15:30 in London (BST)
    winter = datetime(2026, 12, 1, 14, 30, tzinfo=UTC)  # 14:30 in London (GMT)
    with use_locale("en"):
        assert "3:30" in format_datetime(summer, LONDON)
        assert "2:30" in format_datetime(winter, LONDON)
    with use_locale("pl"):
        assert "15:30" in format_datetime(summer, LONDON)
        assert "lip" in format_datetime(summer, LONDON)  # lipiec, in Polish


def test_lists_and_language_names_follow_the_locale() -> None:
    with use_locale("en"):
        assert format_list(["Maja", "Jan"]) == "Maja and Jan"
    with use_locale("pl"):
        assert format_list(["Maja", "Jan"]) == "Maja i Jan"
    assert language_name("uk") == "Українська"
    assert language_name("ar") == "العربية"


async def test_locale_is_per_task_never_global() -> None:
    seen: dict[str, str] = {}

    async def handle(locale: str) -> None:
        with use_locale(locale):
            await asyncio.sleep(0.01)
            seen[locale] = current_locale()

    await asyncio.gather(*(handle(loc) for loc in ("pl", "uk", "ar")))
    assert seen == {"pl": "pl", "uk": "uk", "ar": "ar"}
    assert current_locale() == "en"


def test_unknown_locale_falls_back_to_english() -> None:
    with use_locale("xx"):
        assert _("Choose your language:") == "Choose your language:"


def test_callback_data_round_trip() -> None:
    data = callback_data.encode("lang", "pl")
    assert data == "v1:lang:pl"
    assert callback_data.decode(data) == callback_data.Callback("lang", ("pl",))


@pytest.mark.parametrize(
    "data", [None, "", "lang:pl", "v0:lang:pl", "v1:", "v1:lang:p l", "v1:" + "x" * 70]
)
def test_stale_or_forged_callback_data_is_rejected(data: str | None) -> None:
    assert callback_data.decode(data) is None


def test_callback_data_never_exceeds_telegram_limit() -> None:
    with pytest.raises(ValueError, match="URL-safe"):
        callback_data.encode("lang", "a" * 30)
    with pytest.raises(ValueError, match="longer"):
        callback_data.encode("k", *(["a" * 20] * 3))
