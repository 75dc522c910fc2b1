"""The poller's cycle, step by step: what the `phase` hook (the bench's stopwatch) sees."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from leadbot.alerts.poller import Poller
from tests.alerts.rig import Rig
from tests.fakes.heatpunk_fixtures import TEAM_EMAIL
from tests.fakes.slack import ALERTS_CHANNEL


def test_each_step_of_a_cycle_passes_through_the_phase_hook_in_order(rig: Rig) -> None:
    settings = rig.settings()
    root = rig.root(settings)
    now = datetime.now(UTC)
    root.store.acquire_lease("tester", ttl=timedelta(days=1), now=now)
    seen: list[tuple[str, str]] = []

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        seen.append(("start", name))
        yield
        seen.append(("end", name))

    poller = Poller(
        settings=settings,
        store=root.store,
        heatpunk=root.heatpunk,
        poll_email=TEAM_EMAIL,
        alert_channel=ALERTS_CHANNEL,
        holder="tester",
        clock=lambda: now,
        phase=phase,
    )
    report = poller.cycle()
    steps = ["fetch", "known_leads", "compare", "plan", "commit"]
    assert seen == [(edge, step) for step in steps for edge in ("start", "end")]
    assert report.first_run
    assert report.fetched == root.store.seen_count()
