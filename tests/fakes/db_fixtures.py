"""Fixtures for the db fake; filled in by its owner."""
