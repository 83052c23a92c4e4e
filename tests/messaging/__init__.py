"""Tests of messages between families and staff, cover and office hours."""
