"""Tests of people and linking: access rules, invites, invite letters and the roster import."""
