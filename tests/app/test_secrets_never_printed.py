"""The bot token and WEBHOOK_SECRET never reach the output: not a rejected token, not a crash
at start-up, not an exception in a job, a thread or a finaliser.

Every check looks for any 12 characters of a secret, not only the whole of it: a token
mistyped by one character still holds nearly all of the real one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import MentorApplication
from bot.emulator import BotApiEmulator
from bot.i18n import _, use_locale
from bot.logs import configure_logging
from handlers.common.context import MentorContext
from tests.clock import child_env
from tests.harness import BOT_USERNAME, TOKEN

pytestmark = pytest.mark.e2e

# A token of Telegram's shape, which the emulator accepts...
REAL_TOKEN = "7012345678:AAHk3vQ9xZ_tY8pLmN2sR4wE6uI0oPa1bCd"
# ...and the same with one character mistyped, as someone might paste it into the settings.
MISTYPED_TOKEN = REAL_TOKEN[:-5] + "X" + REAL_TOKEN[-4:]
WEBHOOK_SECRET = "wh_Secret-9f8e7d6c5b4a3f2e1d0c"
SLICE = 12
RUN_TIMEOUT = 60.0


def leaks(output: str, *secrets: str) -> list[str]:
    """Every SLICE characters of a secret (a token's part after the colon) found in `output`."""
    found = []
    for secret in secrets:
        part = secret.split(":", 1)[-1]
        found += [part[i : i + SLICE] for i in range(len(part) - SLICE + 1)]
    return [piece for piece in found if piece in output]


def bot_env(**env: str) -> dict[str, str]:
    return child_env(
        {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LOG_LEVEL": "DEBUG",  # the most there is to print
            "WEBHOOK_SECRET": WEBHOOK_SECRET,
            **env,
        }
    )


async def mentorbot_run(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """`mentorbot run` to its end, in a process of its own: the status and all it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _none = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT)
    assert process.returncode is not None
    return process.returncode, output.decode()


def translated(message: str) -> str:
    with use_locale("uk"):
        text = _(message)
    assert text != message
    return text


async def test_a_rejected_token_is_named_and_never_printed(tmp_path: Path) -> None:
    async with BotApiEmulator(REAL_TOKEN, BOT_USERNAME) as emulator:
        env = bot_env(
            TELEGRAM_BOT_TOKEN=MISTYPED_TOKEN,
            TELEGRAM_API_URL=emulator.base_url,
            DATABASE_URL=f"sqlite://{tmp_path / 'bot.sqlite3'}",
            DEFAULT_LOCALE="uk",
        )
        status, output = await mentorbot_run(env, tmp_path)
    assert status == 2, output
    assert translated("Telegram rejected the token: check TELEGRAM_BOT_TOKEN.") in output
    assert "Traceback" not in output
    assert leaks(output, REAL_TOKEN, MISTYPED_TOKEN, WEBHOOK_SECRET) == []


async def test_a_token_that_cannot_be_one_is_named_before_telegram_is_asked(
    tmp_path: Path,
) -> None:
    env = bot_env(
        TELEGRAM_BOT_TOKEN=REAL_TOKEN.replace(":", " "),
        TELEGRAM_API_URL="http://127.0.0.1:9",  # never reached
        DATABASE_URL=f"sqlite://{tmp_path / 'bot.sqlite3'}",
    )
    status, output = await mentorbot_run(env, tmp_path)
    assert status == 2, output
    assert "TELEGRAM_BOT_TOKEN is not a bot token" in output
    assert leaks(output, REAL_TOKEN, WEBHOOK_SECRET) == []
    assert not (tmp_path / "bot.sqlite3").exists()


async def test_a_crash_at_start_up_prints_its_traceback_without_the_secrets(
    tmp_path: Path,
) -> None:
    # A database the bot cannot create, whose path names both secrets: the crash's own
    # message quotes them, as an exception from a library might.
    (tmp_path / MISTYPED_TOKEN).write_text("a file, not a directory")
    database = tmp_path / MISTYPED_TOKEN / WEBHOOK_SECRET / "bot.sqlite3"
    env = bot_env(
        TELEGRAM_BOT_TOKEN=MISTYPED_TOKEN,
        TELEGRAM_API_URL="http://127.0.0.1:9",  # never reached
        WEBHOOK_URL="https://bot.example.org/telegram",
        DATABASE_URL=f"sqlite://{database}",
    )
    status, output = await mentorbot_run(env, tmp_path)
    assert status == 1, output
    assert "Traceback (most recent call last)" in output
    assert "NotADirectoryError" in output
    assert leaks(output, MISTYPED_TOKEN, WEBHOOK_SECRET) == []


def test_uncaught_exceptions_anywhere_are_printed_without_the_secrets(tmp_path: Path) -> None:
    secrets = f"https://api.telegram.org/bot{REAL_TOKEN}/getMe {WEBHOOK_SECRET}"
    script = textwrap.dedent(
        f"""
        import asyncio, gc, threading
        from bot.logs import configure_logging

        configure_logging("DEBUG", [{REAL_TOKEN!r}, {WEBHOOK_SECRET!r}])
        SECRETS = {secrets!r}

        def in_a_thread():
            raise RuntimeError("thread: " + SECRETS)

        thread = threading.Thread(target=in_a_thread, name="worker")
        thread.start()
        thread.join()

        class Finalised:
            def __del__(self):
                raise RuntimeError("finaliser: " + SECRETS)

        Finalised()
        gc.collect()

        async def forgotten():
            raise RuntimeError("task: " + SECRETS)

        async def main():
            asyncio.get_running_loop().create_task(forgotten())
            await asyncio.sleep(0.01)

        asyncio.run(main())
        gc.collect()
        raise RuntimeError("main: " + SECRETS)
        """
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=bot_env(),
        cwd=tmp_path,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert result.returncode == 1
    output = result.stdout + result.stderr
    for shown in (
        "Exception in thread worker:",
        "RuntimeError: thread: https://api.telegram.org/bot[redacted]/getMe [redacted]",
        "Exception ignored in: <function Finalised.__del__",
        "RuntimeError: finaliser:",
        "Task exception was never retrieved",
        "RuntimeError: task:",
        "RuntimeError: main:",
    ):
        assert shown in output
    assert leaks(output, REAL_TOKEN, WEBHOOK_SECRET) == []


@pytest.fixture
def logging_restored(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Undo configure_logging's process-wide changes after the test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quieted = {name: logging.getLogger(name).level for name in ("httpx", "apscheduler")}
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    yield
    logging.captureWarnings(False)
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in quieted.items():
        logging.getLogger(name).setLevel(was)


@pytest.mark.usefixtures("logging_restored")
async def test_a_job_that_raises_is_logged_without_the_secrets(
    bot: MentorApplication, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging("DEBUG", [TOKEN, WEBHOOK_SECRET])
    handled = asyncio.Event()

    async def failing(context: MentorContext) -> None:
        raise RuntimeError(
            f"https://api.telegram.org/bot{TOKEN}/sendMessage, {MISTYPED_TOKEN}, "
            f"{WEBHOOK_SECRET}, {WEBHOOK_SECRET[3:20]}"
        )

    async def seen(update: object, context: MentorContext) -> None:
        handled.set()

    bot.add_error_handler(seen)  # after the bot's own, which logs
    assert bot.job_queue is not None
    bot.job_queue.run_once(failing, 0)
    await asyncio.wait_for(handled.wait(), RUN_TIMEOUT)
    captured = capfd.readouterr()
    output = captured.out + captured.err
    assert "RuntimeError" in output
    assert leaks(output, TOKEN, MISTYPED_TOKEN, WEBHOOK_SECRET) == []
