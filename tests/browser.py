"""A real headless Chromium (Debian's `chromium`) driven by Playwright, for page tests.

Playwright's own browser downloads are never used: there is no internet here. `.ci/run`
installs the system browser when it is missing. Without it the page tests are skipped with the
reason shown, so `make test` passes on a machine with only Python and make; under CI=true
they are required and fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import ConsoleMessage, Dialog, Page, ViewportSize, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = "apt-get install chromium fonts-noto-core fonts-noto-color-emoji; .ci/run does"
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


def on_ci() -> bool:
    """CI=true (as CI services set it): every test is required, nothing may be skipped."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def find_chromium() -> Path | None:
    """Debian's chromium, at its usual place or anywhere on PATH."""
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


def require_chromium() -> Path:
    """The browser; without one, skip with the reason, or fail under CI=true."""
    chromium = find_chromium()
    if chromium is not None:
        return chromium
    if on_ci():
        pytest.fail(
            f"Chromium not found ({CHROMIUM}, nor `chromium` on PATH) and CI=true requires the "
            f"sandbox page tests: {INSTALL}",
            pytrace=False,
        )
    pytest.skip(
        f"Chromium not found: install Debian's chromium to run the sandbox page tests ({INSTALL})"
    )


@asynccontextmanager
async def chromium_tab(viewport: ViewportSize = LAPTOP) -> AsyncIterator[BrowserTab]:
    """A fresh tab in a fresh headless Chromium, closed when the block ends."""
    chromium = require_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True
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
