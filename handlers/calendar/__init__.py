"""The school year in chat: /terms, and the half-termly reminders as messages."""
