"""Timed jobs (outbox delivery, reminders, digests). Nothing here imports Telegram directly."""
