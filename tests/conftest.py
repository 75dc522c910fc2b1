"""Shared fixtures: each real server the tests use lives in its own plugin module under tests/fakes.

Hypothesis runs 50 examples per property by default (deadline off: a loaded machine is not a bug);
HYPOTHESIS_PROFILE=thorough runs 1,000 new random ones, for a deeper look before a release or after a parser
change (the default is derandomized: the same examples on every run).
"""

import os

from hypothesis import settings

# CI runs the same examples every time (a run that lands must not hang on a new random find); `thorough` explores.
settings.register_profile("default", max_examples=50, deadline=None, derandomize=True)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

pytest_plugins = [
    "tests.fakes.heatpunk_fixtures",
    "tests.fakes.slack_fixtures",
    "tests.fakes.db_fixtures",
    "tests.alerts.fixtures",
]
