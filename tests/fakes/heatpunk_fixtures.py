"""Fixtures for the heatpunk fake; filled in by its owner."""
