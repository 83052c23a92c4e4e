"""Tests of the one CSV import path (models/imports) that every importer and the CLI share."""
