"""Targets with home-support suggestions, the support agreed for a pupil, and the shipped target
bank and home-support library."""
