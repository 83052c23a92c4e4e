"""The outbox: queuing notifications inside the caller's transaction, when each may go out
(quiet hours, digests), and what senior leaders see of delivery."""
