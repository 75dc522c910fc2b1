"""Draws docs/report-chart.png with leadbot's own report code from sandbox data: a week of the simulator's
leads, claimed and called by a made-up team at seeded, realistic delays (most within minutes, some slow).

    .venv/bin/python docs/make_chart.py [--out docs/report-chart.png] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from leadbot.heatpunk import parse_leads
from leadbot.leads.report_grammar import LastDays
from leadbot.reports.chart import draw_chart
from leadbot.reports.figures import compute, window_of
from leadbot.routing.hours import WorkingHours
from leadbot.sandbox.api import Sandbox
from leadbot.store import ClockIn, CycleWrite, LeadIn, Store

TEAM = ("U0SAM0001", "U0JO00001", "U0PRIYA01")
NOW = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # a Monday evening: the week before it is the report


def seed_week(store: Store, hours: WorkingHours, rng: random.Random) -> None:
    """Every simulator lead of the week arrives, is claimed and (mostly) called after a working-time delay."""
    simulator = Sandbox(seed_leads=90, days=7, rng_seed=rng.randrange(1000), clock=lambda: NOW)
    leads = [lead for lead in parse_leads(simulator.leads) if lead.date_created <= NOW]
    if not store.acquire_lease("docs", ttl=timedelta(days=30), now=NOW - timedelta(days=8)):
        raise SystemExit("a fresh database's lease was refused")
    for lead in sorted(leads, key=lambda lead: lead.date_created):
        arrived = lead.date_created
        data = lead.model_dump(mode="json")
        clock = ClockIn(lead.id, arrived, out_of_hours=not hours.is_open(arrived))
        write = CycleWrite(new=[LeadIn(lead.id, arrived, lead.id, lead.status, data)], clocks=[clock])
        store.commit_cycle("docs", write, now=arrived)
        owner = rng.choice(TEAM)
        claimed = hours.add(arrived, rng.choice((0.5, 1, 2, 3, 4, 6, 10, 25)))
        if claimed >= NOW:
            continue
        store.claim(lead.id, owner, now=claimed)
        called = hours.add(claimed, rng.choice((0.5, 1, 2, 3, 5, 8, 20, 45, 90)))
        if called < NOW and rng.random() < 0.9:
            store.log_contact(
                lead.id, rng.choice(("spoke", "no_answer")), by=owner, now=called, retry_at=None
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("report-chart.png"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    hours = WorkingHours.parse("Mon-Fri 08:30-18:00; Sat 09:00-12:00")
    with tempfile.TemporaryDirectory() as workdir:
        store = Store.open(f"sqlite:///{workdir}/docs.db")
        try:
            seed_week(store, hours, random.Random(args.seed))  # noqa: S311 - a demo team, not security
            figures = compute(store, window_of(LastDays(7), NOW, hours), hours)
        finally:
            store.close()
    args.out.write_bytes(draw_chart(figures))
    print(f"{args.out}: {figures.period}, {figures.team}")


if __name__ == "__main__":
    main()
