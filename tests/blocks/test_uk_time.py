"""uk_time shows any aware datetime, even one the UK zone cannot hold: a display must never raise."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from leadbot.blocks.text import uk_time


def test_times_show_in_uk_time() -> None:
    assert uk_time(datetime(2025, 7, 1, 11, 0, tzinfo=UTC)) == "Tue 01 Jul 2025, 12:00"


@pytest.mark.parametrize(
    "moment",
    [datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-1)))],
)
def test_a_time_the_uk_zone_cannot_hold_is_still_shown(moment: datetime) -> None:
    assert uk_time(moment).startswith(f"{moment.year:04d}-")
