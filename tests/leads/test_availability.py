"""Availability: away (the store), the team's hours, and Slack Do Not Disturb through the fake Slack's dnd.info,
cached per person; when leadbot may not read DND, or Slack fails, people count as available (one warning)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient

from leadbot.leads.availability import Availability, Presence, Why, dnd_until
from leadbot.routing.hours import WorkingHours
from leadbot.store import Store
from tests.fakes.slack import BOT_TOKEN, FakeSlack

TUESDAY_10 = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # Tue 10:00 in London (GMT)
ANN, BOB = "U0ANN001", "U0BOB001"
HOURS = WorkingHours.parse("Mon-Fri 08:30-18:00", holidays="none")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    opened = Store.open(sqlite_url)
    yield opened
    opened.close()


@pytest.fixture
def slack(fake_slack: FakeSlack) -> FakeSlack:
    fake_slack.grant("dnd:read")
    fake_slack.add_user(ANN, name="ann")
    fake_slack.add_user(BOB, name="bob")
    return fake_slack


def availability(store: Store, slack: FakeSlack, clock: Clock, **kwargs: float) -> Availability:
    client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
    return Availability(store, client, HOURS, clock, **kwargs)


def ts(moment: datetime) -> int:
    return int(moment.timestamp())


def test_everyone_is_available_in_hours_and_off_dnd(store: Store, slack: FakeSlack) -> None:
    people = availability(store, slack, Clock(TUESDAY_10))
    assert people.available(ANN)
    assert people.presence(BOB) == Presence(BOB)
    assert [call.params.get("user") for call in slack.calls_to("dnd.info")] == [ANN, BOB]


def test_away_until_a_time_and_until_back(store: Store, slack: FakeSlack) -> None:
    clock = Clock(TUESDAY_10)
    people = availability(store, slack, clock)
    store.set_away(ANN, until=TUESDAY_10 + timedelta(hours=2), now=TUESDAY_10)
    store.set_away(BOB, until=None, now=TUESDAY_10)
    assert people.presence(ANN) == Presence(ANN, Why.AWAY, TUESDAY_10 + timedelta(hours=2))
    assert people.presence(BOB) == Presence(BOB, Why.AWAY, None)
    clock.now = TUESDAY_10 + timedelta(hours=2)
    assert people.available(ANN)
    assert not people.available(BOB)
    store.set_back(BOB)
    assert people.available(BOB)


def test_outside_hours_nobody_is_available_and_slack_is_not_asked(store: Store, slack: FakeSlack) -> None:
    evening = TUESDAY_10.replace(hour=19)
    people = availability(store, slack, Clock(evening))
    presence = people.presence(ANN)
    assert presence.why is Why.OUTSIDE_HOURS
    assert presence.until == datetime(2026, 3, 11, 8, 30, tzinfo=UTC)
    assert slack.calls_to("dnd.info") == []


def test_a_snooze_makes_someone_unavailable_until_it_ends(store: Store, slack: FakeSlack) -> None:
    ends = TUESDAY_10 + timedelta(minutes=45)
    slack.set_dnd(ANN, snooze_enabled=True, snooze_endtime=ts(ends), snooze_remaining=2700)
    people = availability(store, slack, Clock(TUESDAY_10))
    assert people.presence(ANN) == Presence(ANN, Why.DND, ends)
    assert people.available(BOB)


def test_scheduled_dnd_counts_only_inside_its_window(store: Store, slack: FakeSlack) -> None:
    start, end = TUESDAY_10 - timedelta(minutes=30), TUESDAY_10 + timedelta(hours=1)
    slack.set_dnd(ANN, dnd_enabled=True, next_dnd_start_ts=ts(start), next_dnd_end_ts=ts(end))
    slack.set_dnd(
        BOB, dnd_enabled=True, next_dnd_start_ts=ts(end), next_dnd_end_ts=ts(end + timedelta(hours=8))
    )
    people = availability(store, slack, Clock(TUESDAY_10))
    assert people.presence(ANN) == Presence(ANN, Why.DND, end)
    assert people.available(BOB)


def test_dnd_answers_are_cached_per_person_for_the_cache_time(store: Store, slack: FakeSlack) -> None:
    clock = Clock(TUESDAY_10)
    people = availability(store, slack, clock, dnd_cache_seconds=60)
    assert people.available(ANN)
    slack.set_dnd(ANN, snooze_enabled=True, snooze_endtime=ts(TUESDAY_10 + timedelta(hours=1)))
    clock.now += timedelta(seconds=59)
    assert people.available(ANN)  # the cached answer
    assert len(slack.calls_to("dnd.info")) == 1
    clock.now += timedelta(seconds=1)
    assert not people.available(ANN)
    assert len(slack.calls_to("dnd.info")) == 2


def test_a_cached_snooze_ends_on_time_without_asking_again(store: Store, slack: FakeSlack) -> None:
    clock = Clock(TUESDAY_10)
    slack.set_dnd(ANN, snooze_enabled=True, snooze_endtime=ts(TUESDAY_10 + timedelta(seconds=30)))
    people = availability(store, slack, clock, dnd_cache_seconds=600)
    assert not people.available(ANN)
    clock.now += timedelta(seconds=30)
    assert people.available(ANN)
    assert len(slack.calls_to("dnd.info")) == 1


def test_without_dnd_read_everyone_counts_as_available_with_one_warning(
    store: Store, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    slack.revoke_scope("dnd:read")
    slack.set_dnd(ANN, snooze_enabled=True, snooze_endtime=ts(TUESDAY_10 + timedelta(hours=1)))
    clock = Clock(TUESDAY_10)
    people = availability(store, slack, clock)
    with caplog.at_level(logging.WARNING, logger="leadbot.leads.availability"):
        assert people.available(ANN)
        assert people.available(BOB)
        clock.now += timedelta(minutes=5)
        assert people.available(ANN)
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "missing_scope" in warnings[0].getMessage()
    assert len(slack.calls_to("dnd.info")) == 1  # not asked again once refused


def test_a_slack_failure_counts_as_available(
    store: Store, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    slack.set_dnd(ANN, snooze_enabled=True, snooze_endtime=ts(TUESDAY_10 + timedelta(hours=1)))
    slack.fail_next("dnd.info", count=10, status=500)
    client = WebClient(token=BOT_TOKEN, base_url=slack.api_url, timeout=2)
    people = Availability(store, client, HOURS, Clock(TUESDAY_10))
    with caplog.at_level(logging.WARNING, logger="leadbot.leads.availability"):
        assert people.available(ANN)
        assert people.available(BOB)
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_dnd_until_reads_every_shape_of_answer() -> None:
    now = TUESDAY_10
    later = now + timedelta(minutes=10)
    assert dnd_until({}, now) is None
    assert dnd_until({"snooze_enabled": True, "snooze_endtime": ts(later)}, now) == later
    assert dnd_until({"snooze_enabled": True, "snooze_endtime": ts(now - timedelta(seconds=1))}, now) is None
    assert dnd_until({"snooze_enabled": False, "snooze_endtime": ts(later)}, now) is None
    window = {"next_dnd_start_ts": ts(now), "next_dnd_end_ts": ts(later)}
    assert dnd_until({"dnd_enabled": True, **window}, now) == later
    assert dnd_until({"dnd_enabled": False, **window}, now) is None
    assert dnd_until({"dnd_enabled": True, "next_dnd_start_ts": "x", "next_dnd_end_ts": None}, now) is None
