"""Tests of judgements and expectations."""
