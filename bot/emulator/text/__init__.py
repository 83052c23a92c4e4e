"""Formatted text as Telegram reads it: HTML, MarkdownV2 and legacy Markdown into plain text
and entities, and entities back to HTML."""
