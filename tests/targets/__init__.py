"""Tests of targets, support and the shipped content."""
