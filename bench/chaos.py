"""Chaos run: every new lead alerted exactly once through kill -9s, a Slack outage and a Heatpunk outage.

Two real `leadbot run` processes share one database (SQLite file, or PostgreSQL) and poll the simulator every
second, posting to the fake Slack. Meanwhile a feeder creates leads at random moments through the simulator's
API (some in bursts, which become digests), a killer kill -9s whichever process holds the lease (at random, while
a post is in flight, or mid-poll) and restarts it a few seconds later, Slack answers 5xx and 429 now and then,
and there are two outages: Slack refusing connections, and Heatpunk answering 503/502, then down, then hanging.
Time is compressed: one second of poll interval stands for a minute in production, so a 60 s outage is an hour.

At the end (once the outbox is empty) it counts, per lead, the alerts in the alert channel (a card, or a place in
a digest) and prints lost (none), duplicated (more than one) and late (alert ts minus the lead's creation).
Exits 1 if any lead was lost or duplicated, or the outbox did not drain.

    .venv/bin/python -m bench.chaos [--leads 200] [--kills 20] [--seed N] [--outage-seconds 60]
                                    [--calm-seconds 40] [--db sqlite|postgres]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.chaos_parts import (
    POST_LATENCY,
    Feeder,
    Instance,
    Killer,
    Lead,
    TroubledSlack,
    Weather,
    instance_env,
    workdir_for,
)
from leadbot import ids
from leadbot.sandbox.service import OWNER_EMAIL, Sandbox
from leadbot.store import Store
from tests.fakes.slack import ALERTS_CHANNEL, FakeSlack
from tests.fakes.slack_workspace import Message
from tests.scenarios.harness import LeadbotProcess
from tests.support import wait_until

ADMIN_CHANNEL = "C0ADMIN"
POLL_SECONDS = 1.0
HEATPUNK_TIMEOUT = 2.0


@dataclass
class Timeline:
    """The phases in order, and which one is running now (read by the feeder, the killer and the weather)."""

    phases: list[tuple[str, float]]
    now: str = "starting"
    heatpunk_out: threading.Event = field(default_factory=threading.Event)

    @property
    def duration(self) -> float:
        return sum(seconds for _, seconds in self.phases)

    def calm(self) -> bool:
        return self.now == "calm"


@dataclass
class Tally:
    """What reached the alert channel, per lead."""

    alerts: Counter[str]
    first_alert: dict[str, float]  # lead ID → ts of its first alert (wall clock)

    @classmethod
    def of(cls, messages: list[Message]) -> Tally:
        alerts: Counter[str] = Counter()
        first: dict[str, float] = {}
        for message in messages:
            metadata = message.metadata or {}
            if metadata.get("event_type") != ids.ALERT_EVENT_TYPE or message.thread_ts:
                continue
            payload = metadata.get("event_payload") or {}
            for lead_id in payload.get("lead_ids") or [payload.get("lead_id")]:
                alerts[str(lead_id)] += 1
                first.setdefault(str(lead_id), float(message.ts))
        return cls(alerts, first)


@contextmanager
def database(kind: str, workdir: Path) -> Iterator[str]:
    """A database URL: an SQLite file in `workdir`, or a throwaway embedded PostgreSQL server."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'leadbot.db'}"
        return
    from tests.fakes.db_fixtures import EmbeddedPostgres

    postgres = EmbeddedPostgres()
    base = Path(tempfile.mkdtemp(prefix="leadbot-chaos-pg-"))
    server = postgres.start(base)
    try:
        yield server.url()
    finally:
        postgres.stop(server)
        shutil.rmtree(base, ignore_errors=True)


def run_phases(timeline: Timeline, fake: FakeSlack, sandbox: Sandbox, stop: threading.Event) -> list[str]:
    """Plays the phases; returns what each outage was, for the report."""
    outages = []
    for name, seconds in timeline.phases:
        timeline.now = name
        if name == "slack outage":
            fake.go_down()  # connection refused, for every call
            stop.wait(seconds)
            fake.come_back()
            outages.append(f"Slack refusing connections {seconds:g} s")
        elif name == "heatpunk outage":
            outages.append(heatpunk_outage(sandbox, seconds, timeline, stop))
        else:
            stop.wait(seconds)
    timeline.now = "draining"
    return outages


def heatpunk_outage(sandbox: Sandbox, seconds: float, timeline: Timeline, stop: threading.Event) -> str:
    """A third each: fetch answered 503/502 (JSON or an HTML page), the API down altogether (connection
    refused), and fetch hanging past the client's timeout. The hangs come last: stopping the simulator wakes a
    hung request and answers it, which would end the outage early."""
    third = seconds / 3
    timeline.heatpunk_out.set()
    sandbox.clear_faults()
    sandbox.fail_next(10**6, status=503, endpoint="fetch")
    stop.wait(third / 2)
    sandbox.clear_faults()
    sandbox.fail_next(10**6, status=502, body="<html><body>Bad gateway</body></html>", endpoint="fetch")
    stop.wait(third / 2)
    port = sandbox.port
    sandbox.stop()
    stop.wait(third)
    sandbox.clear_faults()
    sandbox.hang_next(10**6, seconds=HEATPUNK_TIMEOUT + 1, endpoint="fetch")
    sandbox.start(port=port)
    stop.wait(third)
    sandbox.clear_faults()  # requests still hanging are answered after the client gave up on them
    timeline.heatpunk_out.clear()
    return (
        f"Heatpunk {seconds:g} s: fetch 503/502 {third:.0f} s, "
        f"down {third:.0f} s, hanging {third:.0f} s (leads still created meanwhile)"
    )


def monitor(instances: list[Instance], stop: threading.Event) -> None:
    """Restarts an instance that exited without being killed (each such exit is reported as a crash)."""
    while not stop.wait(0.5):
        for instance in instances:
            if instance.exited_unexpectedly():
                threading.Thread(target=instance.start, args=(stop,), daemon=True).start()


def drain(store: Store, fake: FakeSlack, leads: list[Lead], timeout: float) -> bool:
    """Waits (bounded) until every lead has an alert and the outbox is empty, then for one more poll and an
    empty outbox again: a repeat would have shown by then."""
    wanted = {lead.lead_id for lead in leads}
    try:
        wait_until(
            lambda: (
                wanted <= set(Tally.of(fake.messages(ALERTS_CHANNEL)).alerts) and store.unsent_count() == 0
            ),
            timeout=timeout,
            what="every lead alerted and the outbox empty",
        )
        before = store.poll_state().last_success
        wait_until(lambda: store.poll_state().last_success != before, timeout=30, what="a later poll")
        wait_until(lambda: store.unsent_count() == 0, timeout=30, what="the outbox to empty again")
    except AssertionError as timed_out:
        print(f"!! {timed_out}; {store.unsent_count()} alerts unsent")
        return False
    return True


def percentile(ordered: list[float], share: float) -> float:
    return ordered[round(share * (len(ordered) - 1))]


def report(
    args: argparse.Namespace,
    leads: list[Lead],
    tally: Tally,
    killer: Killer,
    weather: Weather,
    instances: list[Instance],
    outages: list[str],
    notices: Callable[[str], int],
) -> tuple[list[str], list[str]]:
    """Prints the figures; returns the lost and the duplicated lead IDs."""
    lost = [lead.lead_id for lead in leads if tally.alerts[lead.lead_id] == 0]
    duplicated = [lead.lead_id for lead in leads if tally.alerts[lead.lead_id] > 1]
    created = {lead.lead_id for lead in leads}
    strangers = sorted(set(tally.alerts) - created)
    delays = sorted(
        tally.first_alert[lead.lead_id] - lead.created for lead in leads if lead.lead_id in tally.alerts
    )
    bound = POLL_SECONDS + args.outage_seconds
    phases = Counter(lead.during for lead in leads)
    crashes = [crash for instance in instances for crash in instance.crashes]
    print(
        f"chaos run, seed {args.seed}, {args.db}: 2 × `leadbot run` (poll {POLL_SECONDS:g} s, lease TTL = poll)"
    )
    print(f"  leads created   : {len(leads)} ({', '.join(f'{n} {phase}' for phase, n in phases.items())})")
    print(
        f"  kill -9         : {sum(killer.kills.values())} of the lease holder "
        f"({', '.join(f'{n} {moment}' for moment, n in sorted(killer.kills.items()))}; "
        f"{killer.missed} moments fell back to random)"
    )
    print(
        f"  starts          : {sum(i.starts for i in instances)}, failed starts "
        f"{sum(i.failed_starts for i in instances)}, unexpected exits {len(crashes)}"
    )
    print(f"  outages         : {'; '.join(outages)}")
    print(f"  Slack trouble   : {', '.join(f'{n} × {kind}' for kind, n in sorted(weather.spells.items()))}")
    print(
        f"  notices         : {notices(ALERTS_CHANNEL)} first-run line(s) in the alert channel, "
        f"{notices(ADMIN_CHANNEL)} health notices in the admin channel"
    )
    print(f"  lost (no alert) : {len(lost)} {lost[:20] if lost else ''}")
    print(f"  duplicated      : {len(duplicated)} {duplicated[:20] if duplicated else ''}")
    if strangers:
        print(f"  alerted but not created in this run: {strangers[:20]}")
    if delays:
        late = sum(1 for delay in delays if delay > bound)
        print(
            f"  late (alert − created): p50 {statistics.median(delays):.1f} s, p95 {percentile(delays, 0.95):.1f} s, "
            f"max {delays[-1]:.1f} s; {late} over {bound:g} s (poll interval + outage)"
        )
        for phase in phases:
            waits = sorted(
                tally.first_alert[lead.lead_id] - lead.created
                for lead in leads
                if lead.during == phase and lead.lead_id in tally.alerts
            )
            if waits:
                print(
                    f"    created during {phase:<16}: p50 {statistics.median(waits):5.1f} s, max {waits[-1]:5.1f} s"
                )
    for crash in crashes[:3]:
        print(f"  -- unexpected exit: {crash[-1500:]}")
    return lost, duplicated


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--outage-seconds", type=float, default=60.0, help="each outage (≥ 60 polls)")
    parser.add_argument("--calm-seconds", type=float, default=40.0, help="before, between and after them")
    parser.add_argument("--drain-seconds", type=float, default=180.0, help="at most, for the outbox to empty")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--keep-logs", action="store_true", help="keep the instances' logs and database")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    timeline = Timeline(
        [
            ("calm", args.calm_seconds),
            ("slack outage", args.outage_seconds),
            ("calm", args.calm_seconds),
            ("heatpunk outage", args.outage_seconds),
            ("calm", args.calm_seconds),
        ]
    )
    workdir = Path(tempfile.mkdtemp(prefix="leadbot-chaos-"))
    fake = TroubledSlack.usual().start()
    fake.grant("channels:history")
    fake.add_channel(ADMIN_CHANNEL, "leadbot-admin")
    fake.set_latency(POST_LATENCY, "chat.postMessage")
    sandbox = Sandbox(seed_leads=20, days=7, rng_seed=args.seed).start()
    stop = threading.Event()
    ok = False
    with database(args.db, workdir) as url:
        env = instance_env(url, ALERTS_CHANNEL, ADMIN_CHANNEL, OWNER_EMAIL, heatpunk_timeout=HEATPUNK_TIMEOUT)
        instances = [
            Instance(name, LeadbotProcess(fake, sandbox, workdir_for(workdir, name), **env))
            for name in ("first", "second")
        ]
        store = Store.open(url)
        try:
            for instance in instances:
                instance.start(stop)
            first_run = lambda: any(  # noqa: E731
                (m.metadata or {}).get("event_type") == ids.ALERT_NOTE_EVENT_TYPE
                for m in fake.messages(ALERTS_CHANNEL)
            )
            wait_until(first_run, timeout=60, what="the first-run line")
            feeder = Feeder(sandbox, rng, lambda: timeline.now, leads=args.leads, duration=timeline.duration)
            killer = Killer(instances, store, fake, sandbox, rng, timeline.heatpunk_out)
            weather = Weather(fake, random.Random(args.seed + 1), timeline.calm)
            kill_times = sorted(rng.uniform(3.0, timeline.duration - 3.0) for _ in range(args.kills))
            started = time.monotonic()
            print(
                f"running {timeline.duration:.0f} s of chaos ({args.leads} leads, {args.kills} kills), "
                f"then draining; logs in {workdir}",
                flush=True,
            )
            threads = [
                threading.Thread(target=feeder.run, args=(started, stop), daemon=True),
                threading.Thread(target=killer.run, args=(kill_times, started, stop), daemon=True),
                threading.Thread(target=weather.run, args=(stop,), daemon=True),
                threading.Thread(target=monitor, args=(instances, stop), daemon=True),
            ]
            for thread in threads:
                thread.start()
            outages = run_phases(timeline, fake, sandbox, stop)
            threads[0].join()
            threads[1].join()
            for restart in killer.restarts:
                restart.join()
            drained = drain(store, fake, feeder.created, args.drain_seconds)
            unsent = store.unsent_count()
        finally:
            stop.set()
            for instance in instances:
                instance.stop()
            store.close()
        tally = Tally.of(fake.messages(ALERTS_CHANNEL))

        def notices(channel: str) -> int:
            note = ids.ALERT_NOTE_EVENT_TYPE
            return sum(
                1
                for m in fake.messages(channel)
                if (m.metadata or {}).get("event_type") == note and not m.thread_ts
            )

        lost, duplicated = report(args, feeder.created, tally, killer, weather, instances, outages, notices)
        if unsent:
            print(f"  outbox          : {unsent} alerts still queued when the drain gave up")
        ok = drained and not lost and not duplicated
    fake.stop()
    sandbox.stop()
    if ok and not args.keep_logs:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"logs kept in {workdir}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
