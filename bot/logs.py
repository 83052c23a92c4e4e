"""Logging that never prints the bot token (httpx would log it inside every URL)."""

from __future__ import annotations

import logging


class RedactingFormatter(logging.Formatter):
    """Replaces secrets in every formatted record, tracebacks included."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text


def configure_logging(level: str, secrets: list[str]) -> None:
    """Log to stderr at `level`, redacting `secrets`; quiet the HTTP client's request lines."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
