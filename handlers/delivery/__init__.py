"""Outbox notices on their way out: binding each kind to its renderer (`kinds.notice`), sending
a row to its reader, digests and their "👍 Seen", files that follow a notice, and /delivery for
senior leaders."""
