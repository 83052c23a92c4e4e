"""Tests of mentoring rounds, availability, booking and the meetings themselves."""
