"""Poll cost in-process: a deep sync of a 10k-lead window on a 100k-lead account, split into its steps.

The simulator's serving time (the HTTP exchange, body included) is timed at the transport and left out of the
leadbot side: parse (JSON + rows → leads), known_leads, compare, plan, commit. Then peak memory (tracemalloc) of
a deep sync of a 10k window vs. a 100k window on the same account, and the verdict against 300 ms.

    .venv/bin/python -m bench.poll_cost [--leads 100000] [--window 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
from pydantic import SecretStr

from leadbot.alerts.poller import Poller
from leadbot.deps import utc_now
from leadbot.heatpunk import HeatpunkClient
from leadbot.heatpunk.transport import DeadlineTransport
from leadbot.sandbox.service import OWNER_EMAIL, Sandbox
from leadbot.settings import load_settings
from leadbot.store import Store

TARGET_MS = 300.0
STEPS = ("parse", "known_leads", "compare", "plan", "commit")


class ServingClock(DeadlineTransport):
    """The transport, timing each whole exchange (body read included): the simulator's side of a fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds = 0.0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        response = super().handle_request(request)
        body = response.read()
        self.seconds += time.perf_counter() - started
        return httpx.Response(response.status_code, headers=response.headers, content=body)


class Stopwatch:
    """The poller's `phase` hook: seconds per step of the last cycle."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started


def deep_poller(
    store: Store, sandbox: Sandbox, days: int, transport: ServingClock, watch: Stopwatch
) -> Poller:
    """The real poller on a `days` window where every cycle is a deep sync (a full fetch of the window)."""
    settings = load_settings(env_file=None, leadbot_deep_sync_hours=1e-9, leadbot_search_days=days)
    http = httpx.Client(timeout=120, trust_env=False, transport=transport)
    return Poller(
        settings=settings,
        store=store,
        heatpunk=HeatpunkClient(http, sandbox.base_url, SecretStr(sandbox.api_key)),
        poll_email=OWNER_EMAIL,
        alert_channel="CBENCH",
        holder="bench",
        clock=utc_now,
        phase=watch.phase,
    )


def open_store(workdir: str, name: str) -> Store:
    """A fresh SQLite store with the bench holding the poller lease."""
    store = Store.open(f"sqlite:///{Path(workdir) / name}")
    store.acquire_lease("bench", ttl=timedelta(hours=1), now=utc_now())
    return store


def breakdown(poller: Poller, transport: ServingClock, watch: Stopwatch) -> dict[str, float]:
    """One deep sync: seconds per step, the serving time, and the leadbot side (everything else)."""
    transport.seconds = 0.0
    watch.seconds.clear()
    started = time.perf_counter()
    report = poller.cycle()
    total = time.perf_counter() - started
    steps = dict(watch.seconds)
    steps["parse"] = steps.pop("fetch") - transport.seconds
    steps["serve"] = transport.seconds
    steps["leadbot"] = total - transport.seconds
    steps["fetched"] = report.fetched
    return steps


def peak_memory(poller: Poller) -> float:
    """MB tracemalloc saw at the peak of one deep sync (after a first run recorded the window)."""
    poller.cycle()
    tracemalloc.start()
    try:
        poller.cycle()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--window", type=int, default=10_000, help="leads in the deep sync's window")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    sandbox = Sandbox(seed_leads=args.leads, days=365).start()
    gc.freeze()  # the in-process simulator's 100k leads are not leadbot's heap: keep them out of its GC passes
    print(
        f"simulator: {sandbox.lead_count:,} leads over 365 days ({time.perf_counter() - started:.1f} s to seed)"
    )
    small_days = max(1, math.ceil(365 * args.window / args.leads))
    try:
        with tempfile.TemporaryDirectory() as workdir:
            store = open_store(workdir, "small.db")
            transport, watch = ServingClock(), Stopwatch()
            small = deep_poller(store, sandbox, small_days, transport, watch)
            first = breakdown(small, transport, watch)
            print(
                f"first run ({small_days}-day window): {first['fetched']:,.0f} leads, leadbot side "
                f"{first['leadbot'] * 1000:.0f} ms, serving {first['serve'] * 1000:.0f} ms"
            )
            runs = [breakdown(small, transport, watch) for _ in range(args.rounds)]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            print(f"deep sync of a {median['fetched']:,.0f}-lead window, median of {args.rounds}:")
            for step in STEPS:
                print(f"  {step:<12} {median[step] * 1000:7.1f} ms")
            print(
                f"  {'leadbot side':<12} {median['leadbot'] * 1000:7.1f} ms   (simulator serving "
                f"{median['serve'] * 1000:.0f} ms, left out)"
            )
            small_peak = peak_memory(small)
            store.close()
            store = open_store(workdir, "large.db")
            large = deep_poller(store, sandbox, 366, ServingClock(), Stopwatch())
            large_peak = peak_memory(large)
            store.close()
    finally:
        sandbox.stop()
    print(
        f"peak memory of a deep sync (tracemalloc): {small_peak:.1f} MB for the {small_days}-day window, "
        f"{large_peak:.1f} MB for the whole account (ratio {large_peak / small_peak:.1f}; leads ratio "
        f"{sandbox.lead_count / median['fetched']:.1f})"
    )
    verdict = "PASS" if median["leadbot"] * 1000 <= TARGET_MS else "FAIL"
    print(f"verdict: {verdict}: leadbot side {median['leadbot'] * 1000:.0f} ms vs target {TARGET_MS:.0f} ms")


if __name__ == "__main__":
    main()
