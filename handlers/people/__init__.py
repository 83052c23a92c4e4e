"""People and linking in chat: /start with an invite code, each role's own overview, /language,
/settings, invite letters, and noticing when someone blocks the bot."""
