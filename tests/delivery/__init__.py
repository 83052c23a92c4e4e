"""Tests of the outbox, delivery, quiet hours, digests and the delivery report."""
