"""Outbox notices on their way out: each kind's renderer, digests, files that follow a notice,
"👍 Seen", and /delivery for senior leaders."""
