"""Poll cycle cost with a big account: the narrow window vs. a full fetch (deep sync) of every lead.

Runs the simulator on 127.0.0.1 with N leads over a year, a real store (SQLite file, or DATABASE_URL),
and the real poller; prints the time of each kind of cycle and the narrow ÷ full ratio.

    .venv/bin/python -m bench.poll_cycle [--leads 100000] [--rounds 5] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
from pydantic import SecretStr

from leadbot.alerts.poller import Poller
from leadbot.deps import utc_now
from leadbot.heatpunk import HeatpunkClient, build_http_client
from leadbot.sandbox.service import OWNER_EMAIL, Sandbox
from leadbot.settings import load_settings
from leadbot.store import Store


def poller(store: Store, sandbox: Sandbox, http: httpx.Client, *, deep_hours: float) -> Poller:
    """The real poller; `deep_hours` tiny makes every cycle a deep sync (a full fetch)."""
    settings = load_settings(env_file=None, leadbot_deep_sync_hours=deep_hours, leadbot_search_days=366)
    return Poller(
        settings=settings,
        store=store,
        heatpunk=HeatpunkClient(http, sandbox.base_url, SecretStr(sandbox.api_key)),
        poll_email=OWNER_EMAIL,
        alert_channel="CBENCH",
        holder="bench",
        clock=utc_now,
    )


def timed(run: Poller, rounds: int) -> tuple[float, int]:
    times, fetched = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        report = run.cycle()
        times.append(time.perf_counter() - started)
        fetched = report.fetched
    return statistics.median(times), fetched


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    started = time.perf_counter()
    sandbox = Sandbox(seed_leads=args.leads, days=365).start()
    print(
        f"simulator: {sandbox.lead_count:,} leads over 365 days ({time.perf_counter() - started:.1f} s to seed)"
    )
    with tempfile.TemporaryDirectory() as workdir:
        url = args.database_url or f"sqlite:///{Path(workdir) / 'bench.db'}"
        store = Store.open(url)
        store.acquire_lease("bench", ttl=timedelta(hours=1), now=utc_now())
        http = build_http_client(60)
        narrow = poller(store, sandbox, http, deep_hours=24 * 365)
        full = poller(store, sandbox, http, deep_hours=1e-9)
        try:
            started = time.perf_counter()
            first = narrow.cycle()
            first_run = time.perf_counter() - started
            print(f"first run (records every lead, one line): {first_run:.2f} s, {first.fetched:,} leads")
            narrow_time, narrow_leads = timed(narrow, args.rounds)
            full_time, full_leads = timed(full, args.rounds)
        finally:
            http.close()
            store.close()
            sandbox.stop()
    print(
        f"narrow cycle (newest - 1 day): median {narrow_time * 1000:.0f} ms, {narrow_leads:,} leads fetched"
    )
    print(f"full fetch (deep sync):        median {full_time * 1000:.0f} ms, {full_leads:,} leads fetched")
    print(f"ratio narrow ÷ full: {narrow_time / full_time:.4f}")


if __name__ == "__main__":
    main()
