"""A real headless Chromium (Debian's `chromium`) driven by Playwright, for page tests.

Playwright's own browser downloads are never used: there is no internet here. `.ci/run`
installs the system browser when it is missing; without it the tests fail, never skip.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import ConsoleMessage, Dialog, Page, ViewportSize, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP: ViewportSize = {"width": 1366, "height": 800}


@dataclass
class BrowserTab:
    """A page plus what went wrong in it: script errors, console errors and alert() calls."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    confirm: bool = True  # the answer to confirm() dialogs

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    async def _dialog(self, dialog: Dialog) -> None:
        if dialog.type == "confirm":
            await (dialog.accept() if self.confirm else dialog.dismiss())
            return
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        await dialog.dismiss()


def require_chromium() -> None:
    """Fail (never skip) when the system browser is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium "
            "(apt-get install chromium fonts-noto-core fonts-noto-color-emoji; .ci/run does)",
            pytrace=False,
        )


@asynccontextmanager
async def chromium_tab(viewport: ViewportSize = LAPTOP) -> AsyncIterator[BrowserTab]:
    """A fresh tab in a fresh headless Chromium, closed when the block ends."""
    require_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = await browser.new_page(viewport=viewport)
            tab = BrowserTab(page)
            page.on("console", tab._console)
            page.on("pageerror", lambda error: tab.errors.append(f"page: {error}"))
            page.on("dialog", tab._dialog)
            yield tab
        finally:
            await browser.close()
