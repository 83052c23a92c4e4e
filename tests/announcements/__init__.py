"""Tests of announcements, their Seen counts and templates."""
