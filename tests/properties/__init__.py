"""Property tests (Hypothesis) of the parsers that meet untrusted input.

Callback data, CSV files, typed dates and times, and text escaped into Telegram's HTML: each
test states what must hold for any input, not for a few chosen ones. The examples are the same
on every run (the "ci" profile in tests/conftest.py).
"""
