"""Output that never shows the bot token or the webhook secret, whichever way it is printed.

httpx logs the token inside every URL, python-telegram-bot quotes a rejected token in its
exception, and Python prints an uncaught exception's traceback itself, past logging. So the
same redaction runs in the log formatter and in each hook through which Python prints an error.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from types import TracebackType

REDACTED = "[redacted]"
# Anything shaped like a bot token (digits, a colon, then 30 or more of [A-Za-z0-9_-]; Telegram's
# have 35): a token that is not the configured one is hidden too, a correct one a typo away.
TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
# A secret's fragment this long is as good as the secret to someone guessing the rest.
FRAGMENT = 12
_PIECE = re.compile(r"[A-Za-z0-9_-]+")
_RUN = re.compile(rf"[A-Za-z0-9_-]{{{FRAGMENT},}}")


class Redactor:
    """Hides the secrets, any FRAGMENT characters of them and anything shaped like a bot token."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # Longest first, so that one secret containing another is hidden whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._fragments = {
            piece[i : i + FRAGMENT]
            for secret in self._secrets
            for piece in _PIECE.findall(secret)
            for i in range(len(piece) - FRAGMENT + 1)
        }

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        text = TOKEN_SHAPE.sub(REDACTED, text)
        if self._fragments:
            text = _RUN.sub(self._hide_run, text)
        return text

    def _hide_run(self, match: re.Match[str]) -> str:
        """A run of token characters, or REDACTED if any FRAGMENT of it is part of a secret."""
        run = match.group()
        for i in range(len(run) - FRAGMENT + 1):
            if run[i : i + FRAGMENT] in self._fragments:
                return REDACTED
        return run


class RedactingFormatter(logging.Formatter):
    """Replaces secrets in every formatted record, tracebacks included."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.redact = Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    """Log to stderr at `level`, redacting `secrets` there and in every traceback Python prints.

    Also quiets the HTTP client's request lines.
    """
    handler = logging.StreamHandler()
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # asyncio's loop exception handler ("Task exception was never retrieved") logs through
    # logging, so the formatter covers it; warnings are printed directly unless captured.
    logging.captureWarnings(True)
    install_exception_hooks(formatter.redact)


def install_exception_hooks(redact: Redactor) -> None:
    """Print uncaught exceptions (main thread, other threads) and ignored ones through `redact`.

    The messages are kept (PTB's InvalidToken quotes the token: it is hidden, the rest helps).
    """

    def excepthook(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        _write(redact, traceback.format_exception(kind, value, tb))

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # as Python's own hook: a thread may end that way
            return
        name = args.thread.name if args.thread is not None else threading.get_ident()
        lines = traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        _write(redact, [f"Exception in thread {name}:\n", *lines])

    def unraisablehook(unraisable: sys.UnraisableHookArgs) -> None:
        where = f"{unraisable.err_msg or 'Exception ignored in'}: {_repr(unraisable.object)}\n"
        lines = traceback.format_exception(
            unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback
        )
        _write(redact, [where, *lines])

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook
    sys.unraisablehook = unraisablehook


def _repr(value: object) -> str:
    try:
        return repr(value)
    except Exception:  # as Python's own hook: a broken __repr__ must not hide the error
        return f"<{type(value).__name__} object>"


def _write(redact: Redactor, lines: list[str]) -> None:
    stream = sys.stderr
    if stream is None:  # no console at all (pythonw): nowhere to print
        return
    stream.write(redact("".join(lines)))
    stream.flush()
