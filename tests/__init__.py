"""The test suite: one package per feature, with the shared fixtures in conftest.py."""
