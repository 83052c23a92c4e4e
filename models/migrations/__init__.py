"""The schema, one migration at a time (`mentorbot migrate`; the bot also migrates at start)."""
