"""Typed settings, read once from the environment (and an optional `.env`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite://data/mentorbot.sqlite3"


class Settings(BaseSettings):
    """Everything the bot reads from its environment; secrets never print."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_bot_username: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    school_name: str = "Our School"
    school_timezone: str = "Europe/London"
    default_locale: str = "en"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # Webhook mode's own server, reached by the load balancer (so every interface in a container).
    webhook_listen: str = "0.0.0.0"  # noqa: S104
    webhook_port: int = Field(default=8080, ge=0, le=65535)
    # Telegram's updates are a few kilobytes; anything far larger is not from Telegram.
    webhook_max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    webhook_max_connections: int = Field(default=40, ge=1, le=100)
    invite_ttl_days: int = Field(default=30, ge=1, le=365)
    # Telegram allows about 30 messages a second overall, replies included. The outbox sends
    # at most this many a second across every process, leaving the rest for replies.
    delivery_rate_per_second: float = Field(default=25.0, gt=0, le=30)
    # `package.module:factory` making a machine translator for announcements; empty: off.
    machine_translator: str = Field(default="", pattern=r"^([A-Za-z_][\w.]*:[A-Za-z_][\w.]*)?$")
    log_level: str = "INFO"

    @field_validator("school_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.school_timezone)

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def webhook_token(self) -> str | None:
        """The webhook's secret token, for the places that must compare or redact it."""
        return self.webhook_secret.get_secret_value() if self.webhook_secret else None

    def sqlite_path(self) -> Path | None:
        """The database file when the database is SQLite on disk, else None."""
        if not self.database_url.startswith("sqlite://"):
            return None
        path = self.database_url.removeprefix("sqlite://").split("?", 1)[0]
        return None if path in ("", ":memory:") else Path(path)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, loaded once."""
    return Settings()
