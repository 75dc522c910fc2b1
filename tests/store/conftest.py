"""A migrated store on each backend, closed after the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leadbot.store import Store


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.close()
