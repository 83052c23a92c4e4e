"""Targets and support in chat: /target and /review with home-support ideas, /support, and the
target notices parents get (with their "👍 Seen" button)."""
