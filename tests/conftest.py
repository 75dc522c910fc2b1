"""Shared fixtures: each real server the tests use lives in its own plugin module under tests/fakes."""

pytest_plugins = [
    "tests.fakes.heatpunk_fixtures",
    "tests.fakes.slack_fixtures",
    "tests.fakes.db_fixtures",
    "tests.alerts.fixtures",
]
