"""The sandbox page in a real headless Chromium: a teacher sets a target and the parent's phone
shows it, a parent books a meeting, everything typed is shown as text, the page is usable by
keyboard, and right-to-left chats show commands as written. Full-page screenshots of each step go
to bench/out/sandbox/ (look at them).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from bot.i18n import gettext, language_name, strip_isolates, use_locale
from bot.sandbox import serve
from bot.sandbox.demo import PEOPLE
from models.common.enums import Area, YearGroup
from models.targets.content import bank_targets, home_ideas
from tests.browser import BrowserTab, chromium_tab, require_chromium

SHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "sandbox"
TEACHER, PARENT, RTL_PARENT, ENGLISH_PARENT = 9002, 9004, 9005, 9006
CLOCK = re.compile(r"^\s*\d{1,2}:\d{2}\s*$")
LIVE = 30_000  # ms: the outbox delivery and the bot's polling, on a slow CI machine
pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _chromium() -> None:
    """Skip (or, under CI=true, fail) before starting the sandbox when there is no browser."""
    require_chromium()


@pytest.fixture
async def sandbox_url() -> AsyncIterator[str]:
    """The whole sandbox (emulator, demo school, real bot, web server) on a free loopback port."""
    stop = asyncio.Event()
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    server = asyncio.create_task(serve("127.0.0.1", 0, stop, ready.set_result))
    first: list[asyncio.Future[Any]] = [server, ready]
    await asyncio.wait(first, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    if not ready.done():
        stop.set()
        await server  # raises what went wrong, if anything did
        pytest.fail("the sandbox did not start within 60 s")
    try:
        yield ready.result()
    finally:
        stop.set()
        await asyncio.wait_for(server, 30)


@pytest.fixture
async def tab(sandbox_url: str) -> AsyncIterator[BrowserTab]:
    """The page open in Chromium, every phone showing its chat."""
    async with chromium_tab() as tab:
        await tab.page.goto(sandbox_url)
        await expect(tab.page.locator(".phone")).to_have_count(len(PEOPLE))
        for person in PEOPLE:
            await expect(phone(tab.page, person.user_id).locator(".msg").first).to_be_visible()
        await expect(tab.page.locator("#connection")).to_have_text("Live")
        yield tab
        assert tab.dialogs == [], "the page opened a dialog (an escaped script ran?)"
        assert tab.errors == [], "the page logged errors"


def phone(page: Page, user_id: int) -> Locator:
    return page.locator(f"#phone-{user_id}")


def latest(page: Page, user_id: int, text: str) -> Locator:
    """The newest bot message with buttons in this phone that contains `text`."""
    return phone(page, user_id).locator(".msg-group", has_text=text).last


async def type_as(page: Page, user_id: int, text: str) -> None:
    box = phone(page, user_id).get_by_role("textbox")
    await box.fill(text)
    await box.press("Enter")
    await expect(box).to_have_value("")


async def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


async def test_a_target_set_on_the_teachers_phone_arrives_on_the_parents(tab: BrowserTab) -> None:
    page = tab.page
    await screenshot(page, "01-start")
    guide = page.locator("#guide")
    await expect(guide).to_contain_text("On Amira Khan's phone, type /target maja")
    await expect(guide).to_contain_text("Watch Ewa Nowak's phone")
    target = bank_targets(Area.WRITING, YearGroup.Y3)[0]
    idea = home_ideas(Area.WRITING, YearGroup.Y3)[0]

    await type_as(page, TEACHER, "/target maja")
    await expect(phone(page, TEACHER).locator(".msg.mine .body").last).to_have_text("/target maja")
    await latest(page, TEACHER, "which area?").get_by_role("button", name="Writing").click()
    bank = latest(page, TEACHER, "New target for Maja Nowak")
    await expect(bank).to_contain_text(f"1. {target}")
    await bank.get_by_role("button", name="1", exact=True).click()
    ideas = latest(page, TEACHER, "How can parents help at home?")
    await expect(ideas).to_contain_text(f"1. {idea}")
    await ideas.get_by_role("button", name="1", exact=True).click()
    await expect(phone(page, TEACHER).locator(".msg.bot").last).to_contain_text(
        "Target set for Maja Nowak (Writing)"
    )

    # A moment later, with no reload, Maja's mum has it, in Polish.
    with use_locale("pl"):
        target_pl, idea_pl = gettext(target), gettext(idea)
    assert target_pl != target
    notice = phone(page, PARENT).locator(".msg-group", has_text="🎯").last
    await expect(notice).to_contain_text(target_pl, timeout=LIVE)
    await expect(notice).to_contain_text(idea_pl)
    await expect(notice.locator("b").first).to_be_visible()  # the bot's bold survives, safely
    await screenshot(page, "02-target-arrived")


async def test_a_parent_books_a_meeting_time_and_gets_the_calendar_file(tab: BrowserTab) -> None:
    page = tab.page
    invitation = latest(page, ENGLISH_PARENT, "Choose a day:")
    day = invitation.get_by_role("button").first
    day_text = (await day.inner_text()).strip()
    await day.click()
    times = latest(page, ENGLISH_PARENT, f"{day_text}: choose a time")
    first_time = times.get_by_role("button").first
    time_text = (await first_time.inner_text()).strip()
    await first_time.click()
    booked = phone(page, ENGLISH_PARENT).locator(".msg", has_text="Booked").last
    await expect(booked).to_contain_text(f"✅ Booked: {day_text}, {time_text}")
    calendar = phone(page, ENGLISH_PARENT).locator("a.document").last
    await expect(calendar).to_contain_text(".ics", timeout=LIVE)
    assert (await calendar.get_attribute("download") or "").endswith(".ics")
    href = await calendar.get_attribute("href")
    assert href is not None
    assert href.startswith("/files/")
    ics = await page.evaluate("url => fetch(url).then(answer => answer.text())", href)
    assert "BEGIN:VCALENDAR" in ics

    # The Urdu-speaking dad books too, right to left, by keyboard only.
    log = phone(page, RTL_PARENT).locator(".log")
    await expect(log).to_have_attribute("dir", "rtl")
    await expect(log).to_have_attribute("lang", "ur")
    day = phone(page, RTL_PARENT).locator(".msg-group").last.get_by_role("button").first
    await day.focus()
    await page.keyboard.press("Enter")
    first_time = phone(page, RTL_PARENT).locator(".msg-group").last.get_by_role("button").first
    await expect(first_time).to_have_text(CLOCK, timeout=LIVE)
    await first_time.focus()
    await page.keyboard.press("Enter")
    await expect(phone(page, RTL_PARENT).locator("a.document")).to_have_count(1, timeout=LIVE)
    await screenshot(page, "03-booked")


async def test_typed_markup_is_shown_as_text_and_the_page_works_by_keyboard(
    tab: BrowserTab,
) -> None:
    page = tab.page
    attack = "<img src=x onerror=alert(1)>"
    await type_as(page, 9001, attack)
    await expect(phone(page, 9001).locator(".msg.mine .body").last).to_have_text(attack)
    await expect(phone(page, 9001).locator(".msg").last).to_have_class(re.compile(r"\bbot\b"))
    await expect(page.locator(".log img")).to_have_count(0)  # no element was made from it

    # Keyboard only: the reset button, the guide's links, then each phone, with a focus ring.
    focused = page.locator(":focus")
    first_link = page.locator("#guide a").first
    await first_link.focus()
    await page.keyboard.press("Shift+Tab")
    await expect(focused).to_have_id("reset")
    outline = await focused.evaluate("node => getComputedStyle(node).outlineStyle")
    assert outline != "none"
    for _ in range(3):
        await page.keyboard.press("Tab")
    await expect(focused).to_have_attribute("aria-label", "Chat of Helen Whitaker")
    await first_link.focus()
    await page.keyboard.press("Enter")  # the guide's link goes to Amira's text box
    await expect(focused).to_have_attribute("aria-label", "Message as Amira Khan")
    # Shift+Enter is a new line, Enter sends; the quick /help button sends /help.
    box = phone(page, 9001).get_by_role("textbox")
    await box.focus()
    await page.keyboard.type("first line")
    await page.keyboard.press("Shift+Enter")
    await page.keyboard.type("second line")
    await expect(box).to_have_value("first line\nsecond line")
    await page.keyboard.press("Enter")
    await expect(phone(page, 9001).locator(".msg.mine .body").last).to_have_text(
        "first line\nsecond line"
    )
    await screenshot(page, "04-escaped-and-keyboard")
    await phone(page, 9001).get_by_role("button", name="/help").click()
    await expect(phone(page, 9001).locator(".msg.mine .body").last).to_have_text("/help")

    # Reset (confirmed) brings the demo school back, live, with no reload.
    await page.get_by_role("button", name="Reset demo school").click()
    await expect(phone(page, 9001).locator(".msg.mine", has_text="second line")).to_have_count(
        0, timeout=LIVE
    )
    await expect(latest(page, ENGLISH_PARENT, "Choose a day:")).to_be_visible(timeout=LIVE)
    await screenshot(page, "05-after-reset")


# Where each `/command` in a bubble is laid out: the slash's box and the name's box, on screen,
# and whether isolate control characters are left in the text (the page makes them <bdi>: some
# fonts draw the characters as boxes).
COMMAND_BOXES = """body => {
  const found = [];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\/([a-z_]+)/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + 1);
      const slash = range.getBoundingClientRect();
      range.setStart(node, match.index + 1);
      range.setEnd(node, match.index + match[0].length);
      const name = range.getBoundingClientRect();
      found.push({command: match[0], slashRight: slash.right, nameLeft: name.left,
        slashTop: slash.top, nameTop: name.top});
    }
  }
  return {found, marks: /[\\u2066-\\u2069]/.test(body.textContent)};
}"""


async def read_as_written(body: Locator) -> list[str]:
    """The commands in this bubble shown name first (`help/`) or as control characters."""
    boxes = await body.evaluate(COMMAND_BOXES)
    assert not boxes["marks"], "isolate characters left in the page, not made <bdi>"
    return [
        box["command"]
        for box in boxes["found"]
        if abs(box["slashTop"] - box["nameTop"]) > 2 or box["slashRight"] > box["nameLeft"] + 0.5
    ]


async def commands_read_as_written(page: Page, user_id: int, locale: str) -> None:
    """The newest reply to /help, in `locale`, shows every `/command` with its slash first."""
    with use_locale(locale):
        title = strip_isolates(gettext("Here is what I can do for you:"))
    await phone(page, user_id).get_by_role("button", name="/help").click()
    body = phone(page, user_id).locator(".msg.bot .body", has_text=title).last
    await expect(body).to_contain_text("/language", timeout=LIVE)
    boxes = await body.evaluate(COMMAND_BOXES)
    assert {box["command"] for box in boxes["found"]} >= {"/help", "/language", "/targets"}
    assert await read_as_written(body) == [], f"{locale}: shown as name then slash"
    mine = phone(page, user_id).locator(".msg.mine .body").last
    assert await read_as_written(mine) == [], f"{locale}: the typed /help shown as help/"


async def test_right_to_left_chats_show_commands_as_written(tab: BrowserTab) -> None:
    page = tab.page
    await expect(phone(page, RTL_PARENT).locator(".log")).to_have_attribute("dir", "rtl")
    await commands_read_as_written(page, RTL_PARENT, "ur")
    await screenshot(page, "06-urdu-help")

    # The same dad switches to Arabic.
    await phone(page, RTL_PARENT).get_by_role("button", name="Switch language").click()
    with use_locale("ur"):
        choose = latest(page, RTL_PARENT, strip_isolates(gettext("Choose your language:")))
    await expect(choose).to_be_visible(timeout=LIVE)
    await choose.get_by_role("button", name=language_name("ar")).click()
    with use_locale("ar"):
        done = strip_isolates(gettext("Done. I will write to you in {language}.")).split("{")[0]
    await expect(phone(page, RTL_PARENT).locator(".msg.bot").last).to_contain_text(
        done, timeout=LIVE
    )
    await commands_read_as_written(page, RTL_PARENT, "ar")
    await screenshot(page, "07-arabic-help")
