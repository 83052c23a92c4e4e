"""Targets and support in chat: /target and /review with home-support ideas, and /support."""
