"""The poller's pure logic: windows, new/changed/gone, first run, bursts and digests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from leadbot.alerts.detect import (
    Window,
    changes,
    choose_window,
    compare,
    fingerprint,
    lead_in,
    plan,
    snapshot,
)
from leadbot.blocks.alerts import digest_pages
from leadbot.heatpunk import Lead
from leadbot.store import Alert, KnownLead, PollState

NOW = datetime(2025, 3, 11, 12, 0, tzinfo=UTC)
WINDOW = Window(furthest=date(2025, 3, 9), gone_since=datetime(2025, 3, 10, tzinfo=UTC), deep=False)


def state(**fields: Any) -> PollState:
    values: dict[str, Any] = {
        "first_run_done": True,
        "newest_created": NOW - timedelta(hours=3),
        "last_deep_sync": NOW - timedelta(hours=1),
        "last_success": NOW,
    }
    return PollState(**(values | fields))


def lead(n: int, created: datetime = NOW, **fields: Any) -> Lead:
    return Lead(id=str(n), date_created=created, status="new", customer_name=f"C{n}", **fields)


def seen(
    found: Lead, *, card: int | None = None, gone: bool = False, missing_since: datetime | None = None
) -> KnownLead:
    record = lead_in(found)
    return KnownLead(record.lead_id, record.created_at, record.fingerprint, gone, card, missing_since)


def card(alert_id: int, channel: str = "CCARDS") -> Alert:
    return Alert(alert_id, "k", None, channel, "new", {}, "sent", "1.2", 0, NOW, None, NOW, NOW)


def test_window_is_newest_seen_minus_overlap() -> None:
    window = choose_window(state(), now=NOW, overlap_days=1, search_days=365, deep_hours=6)
    assert window == Window(date(2025, 3, 10), datetime(2025, 3, 11, tzinfo=UTC), deep=False)
    old = state(newest_created=NOW - timedelta(days=40))
    assert choose_window(old, now=NOW, overlap_days=2, search_days=365, deep_hours=6).furthest == date(
        2025, 1, 28
    )


def test_window_never_starts_in_the_future() -> None:
    future = state(newest_created=NOW + timedelta(days=30))
    assert (
        choose_window(future, now=NOW, overlap_days=0, search_days=365, deep_hours=6).furthest == NOW.date()
    )
    nothing = state(newest_created=None)
    assert choose_window(nothing, now=NOW, overlap_days=1, search_days=365, deep_hours=6).furthest == date(
        2025, 3, 10
    )


def test_deep_sync_on_first_run_and_when_due() -> None:
    for due in (
        state(first_run_done=False),
        state(last_deep_sync=None),
        state(last_deep_sync=NOW - timedelta(hours=6)),
    ):
        window = choose_window(due, now=NOW, overlap_days=1, search_days=30, deep_hours=6)
        assert window.deep
        assert window.furthest == date(2025, 2, 9)


def test_a_failed_deep_sync_waits_for_its_retry_delay_with_narrow_polls_between() -> None:
    overdue = NOW - timedelta(hours=7)
    for tried, deep in (
        (NOW - timedelta(minutes=1), False),
        (NOW - timedelta(minutes=10), True),
        (None, True),
    ):
        window = choose_window(
            state(last_deep_sync=overdue, last_deep_try=tried),
            now=NOW,
            overlap_days=1,
            search_days=30,
            deep_hours=6,
            deep_retry=timedelta(minutes=10),
        )
        assert window.deep is deep
    first_run = state(first_run_done=False, last_deep_try=NOW)  # nothing narrower to poll until it works
    hour = timedelta(hours=1)
    assert choose_window(
        first_run, now=NOW, overlap_days=1, search_days=30, deep_hours=6, deep_retry=hour
    ).deep


def test_fingerprint_sees_every_field_including_unknown_ones() -> None:
    base = lead(1)
    assert fingerprint(base) == fingerprint(lead(1))
    assert fingerprint(base) != fingerprint(lead(1, extra={"projectName": "Roof"}))
    assert fingerprint(base) != fingerprint(base.model_copy(update={"status": "Quote"}))


def test_changes_in_words() -> None:
    before = snapshot(lead(1, extra={"crm": "A"}))
    after = snapshot(lead(1, extra={"crm": "B", "new": 1}).model_copy(update={"status": "Quote"}))
    assert changes(before, after) == [("Status", "new", "Quote"), ("crm", "A", "B"), ("new", None, 1)]


def test_compare_new_changed_unchanged_missing_gone() -> None:
    same, edited, back = lead(1), lead(2), lead(3)
    vanished = lead(4, created=NOW - timedelta(hours=1))
    still_gone = lead(6, created=NOW - timedelta(hours=2))
    old_missing = lead(
        5, created=datetime(2025, 3, 9, 23, tzinfo=UTC)
    )  # before gone_since: maybe outside the window
    known = {
        "1": seen(same),
        "2": seen(edited),
        "3": seen(back, gone=True),
        "4": seen(vanished),
        "5": seen(old_missing),
        "6": seen(still_gone, missing_since=NOW - timedelta(minutes=1)),
    }
    fetched = [
        lead(9, created=NOW),
        lead(8, created=NOW - timedelta(minutes=5)),
        same,
        edited.model_copy(update={"status": "Quote"}),
        back,
    ]
    found = compare(fetched, known, WINDOW)
    assert [new.id for new in found.new] == ["8", "9"]  # oldest first
    assert [changed.id for changed, _ in found.changed] == ["2", "3"]
    assert found.unchanged == ["1"]
    assert found.unchanged_outside == []  # in the window and never missing: the store marks it by range
    assert [missing.lead_id for missing in found.missing] == ["4"]  # lacking once: maybe a bad answer
    assert [gone.lead_id for gone in found.gone] == ["6"]  # lacking in an earlier fetch too


def test_unchanged_leads_older_than_the_window_or_back_from_missing_are_named() -> None:
    inside, older, returning = lead(1), lead(2, created=datetime(2025, 3, 9, 23, tzinfo=UTC)), lead(3)
    known = {
        "1": seen(inside),
        "2": seen(older),
        "3": seen(returning, missing_since=NOW - timedelta(minutes=1)),
    }
    found = compare([inside, older, returning], known, WINDOW)
    assert found.unchanged == ["1", "2", "3"]
    assert found.unchanged_outside == ["2", "3"]
    write = plan(
        found, first_run=False, channel="C1", burst=5, cards={}, window=WINDOW, newest=NOW, before={}
    )
    assert (write.seen, write.seen_since) == (["2", "3"], WINDOW.gone_since)


def test_first_run_records_silently_with_one_line() -> None:
    found = compare([lead(n) for n in range(50)], {}, WINDOW)
    write = plan(found, first_run=True, channel="C1", burst=5, cards={}, window=WINDOW, newest=NOW, before={})
    assert len(write.new) == 50
    assert [(a.kind, a.payload) for a in write.alerts] == [("notice", {"notice": "watching", "count": 50})]
    assert write.first_run_done
    assert write.newest_created == NOW


def test_up_to_burst_one_card_each() -> None:
    found = compare([lead(n) for n in range(5)], {}, WINDOW)
    write = plan(
        found, first_run=False, channel="C1", burst=5, cards={}, window=WINDOW, newest=NOW, before={}
    )
    assert [(a.kind, a.lead_id, list(a.card_for)) for a in write.alerts] == [
        ("new", str(n), [str(n)]) for n in range(5)
    ]


def test_more_than_burst_is_as_few_digests_as_slack_takes() -> None:
    found = compare([lead(n) for n in range(6)], {}, WINDOW)
    write = plan(
        found, first_run=False, channel="C1", burst=5, cards={}, window=WINDOW, newest=NOW, before={}
    )
    assert [(a.kind, a.payload["lead_ids"]) for a in write.alerts] == [("digest", [str(n) for n in range(6)])]
    flood = compare([lead(n) for n in range(500)], {}, WINDOW)
    write = plan(
        flood, first_run=False, channel="C1", burst=5, cards={}, window=WINDOW, newest=NOW, before={}
    )
    assert [list(a.card_for) for a in write.alerts] == [
        [lead.id for lead in page] for page in digest_pages(flood.new)
    ]
    assert len(write.alerts) <= 5  # not 13 of 40
    assert [lead_id for a in write.alerts for lead_id in a.payload["lead_ids"]] == [
        lead.id for lead in flood.new
    ]


def test_changes_and_deletions_only_for_leads_with_a_card() -> None:
    with_card, without = lead(1), lead(2)
    earlier = NOW - timedelta(minutes=1)
    known = {
        "1": seen(with_card, card=7),
        "2": seen(without),
        "3": seen(lead(3), card=7, missing_since=earlier),
        "4": seen(lead(4), missing_since=earlier),
        "5": seen(lead(5), card=7),
    }
    fetched = [with_card.model_copy(update={"status": "Sale"}), without.model_copy(update={"status": "Sale"})]
    found = compare(fetched, known, WINDOW)
    before = {"1": snapshot(with_card), "2": snapshot(without)}
    write = plan(
        found,
        first_run=False,
        channel="C1",
        burst=5,
        cards={7: card(7)},
        window=WINDOW,
        newest=None,
        before=before,
    )
    kinds = [(a.kind, a.lead_id, a.channel) for a in write.alerts]
    assert kinds == [("changed", "1", "CCARDS"), ("deleted", "3", "CCARDS")]
    assert write.alerts[0].payload == {"changes": [["Status", "new", "Sale"]], "returned": False}
    assert sorted(write.gone) == ["3", "4"]
    assert write.missing == ["5"]  # no note yet: one fetch lacking it proves nothing
    assert sorted(lead.lead_id for lead in write.changed) == ["1", "2"]
