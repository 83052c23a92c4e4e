"""Tests of the term calendar and the half-termly reminders."""
