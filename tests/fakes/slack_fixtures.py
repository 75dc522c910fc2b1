"""Fixtures for the slack fake; filled in by its owner."""
