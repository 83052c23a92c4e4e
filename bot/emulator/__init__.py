"""A strict local Telegram Bot API emulator for tests, benchmarks and the sandbox."""

from bot.emulator.errors import ApiError
from bot.emulator.limits import EmulatorStats, RateLimits
from bot.emulator.server import BotApiEmulator
from bot.emulator.state import EmuChat, EmuUser, SentMessage, StoredFile
from bot.emulator.transcript import ChatTranscript

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "ChatTranscript",
    "EmuChat",
    "EmuUser",
    "EmulatorStats",
    "RateLimits",
    "SentMessage",
    "StoredFile",
]
