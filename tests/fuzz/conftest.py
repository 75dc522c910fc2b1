"""Fuzz reports can quote lone surrogates (half an emoji is one of the inputs): escape them, so a failure or
an xfail can travel from a pytest-xdist worker (execnet sends UTF-8) instead of crashing it."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest


def _escaped(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if report.longrepr is not None:
        report.longrepr = _escaped(str(report.longrepr))
    report.sections = [(title, _escaped(content)) for title, content in report.sections]
    if hasattr(report, "wasxfail"):
        report.wasxfail = _escaped(report.wasxfail)
