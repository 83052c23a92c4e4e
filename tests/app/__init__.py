"""Tests of the application around the features: wiring, CLI, webhook, emulator, sandbox,
migrations, translations and layering."""
