"""Tests of the mentoring file, export, pictures and PDFs."""
