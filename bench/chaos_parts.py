"""The chaos run's moving parts: restartable `leadbot run` instances, the lead feeder, the killer, the weather.

Each part runs on a thread of its own until its schedule ends or the run's `stop` event is set; `bench/chaos.py`
composes them and counts what reached Slack.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from leadbot.sandbox.service import Sandbox
from leadbot.store import Store
from tests.fakes.slack import FakeSlack, _Fault
from tests.scenarios.harness import LeadbotProcess

BURST_SIZES = (6, 9)  # more than LEADBOT_BURST (5) new leads in one poll: a digest
BURST_CHANCE = 0.08
RESTART_DELAY = (0.5, 5.0)  # seconds a killed instance stays dead
POST_LATENCY = 0.3  # chat.postMessage answers this late, so a kill can land while a post is in flight


class Instance:
    """One `leadbot run` slot: killed with SIGKILL, started again; an exit the killer did not cause is a crash."""

    def __init__(self, name: str, leadbot: LeadbotProcess) -> None:
        self.name, self.leadbot = name, leadbot
        self._lock = threading.Lock()
        self._meant_down = True  # not started yet, killed, or starting: an exit now is expected
        self.starts, self.failed_starts = 0, 0
        self.crashes: list[str] = []  # the tail of the log at each unexpected exit

    @property
    def pid(self) -> int | None:
        """The process ID while it runs."""
        process = self.leadbot.process
        return process.pid if process is not None and process.poll() is None else None

    @property
    def up(self) -> bool:
        with self._lock:
            return not self._meant_down and self.pid is not None

    def start(self, stop: threading.Event) -> None:
        """Starts it and waits for /healthz; a start that fails is counted and tried again."""
        with self._lock:
            self._meant_down = True
        while not stop.is_set():
            try:
                self.leadbot.start(timeout=60)
            except (RuntimeError, AssertionError) as problem:
                self.failed_starts += 1
                self.crashes.append(f"start failed: {str(problem)[-2000:]}")
                stop.wait(1)
                continue
            with self._lock:
                self.starts += 1
                self._meant_down = False
            return

    def kill(self) -> bool:
        """kill -9; False when it was not running."""
        with self._lock:
            process = self.leadbot.process
            if self._meant_down or process is None or process.poll() is not None:
                return False
            self._meant_down = True
            process.kill()
        process.wait(10)
        return True

    def exited_unexpectedly(self) -> bool:
        """True once per exit the killer did not cause (recorded in `crashes`)."""
        with self._lock:
            process = self.leadbot.process
            if self._meant_down or process is None or process.poll() is None:
                return False
            self._meant_down = True
            self.crashes.append(f"exit code {process.returncode}:\n{self.leadbot.log()[-3000:]}")
            return True

    def stop(self) -> None:
        """SIGTERM, as a platform stops it; kill -9 if it does not end in time."""
        with self._lock:
            self._meant_down = True
        try:
            self.leadbot.stop(timeout=40)
        except Exception:
            if self.leadbot.process is not None:
                self.leadbot.process.kill()
                self.leadbot.process.wait(10)


@dataclass
class Lead:
    """A lead the feeder created: its ID and when (wall clock, as Slack's message ts is)."""

    lead_id: str
    created: float
    during: str  # the phase it was created in
    via: str  # "api" (POST /leads/create) or "direct" (the API was down; Heatpunk's own form still took it)


class Feeder:
    """Creates leads at random moments (some in bursts) through the simulator's API, as a web form would."""

    def __init__(
        self, sandbox: Sandbox, rng: random.Random, phase: Callable[[], str], *, leads: int, duration: float
    ) -> None:
        self._sandbox, self._rng, self._phase = sandbox, rng, phase
        self._base_url, self._key = sandbox.base_url, sandbox.api_key
        self.schedule = self._plan(leads, duration)
        self.created: list[Lead] = []

    def _plan(self, leads: int, duration: float) -> list[tuple[float, int]]:
        """(seconds after the start, how many at once), summing to `leads`."""
        groups, left = [], leads
        while left > 0:
            size = self._rng.randint(*BURST_SIZES) if self._rng.random() < BURST_CHANCE else 1
            groups.append((self._rng.uniform(1.0, duration - 2.0), min(size, left)))
            left -= size
        return sorted(groups)

    def run(self, started: float, stop: threading.Event) -> None:
        with httpx.Client(trust_env=False, timeout=5) as http:
            for at, size in self.schedule:
                if stop.wait(max(0.0, started + at - time.monotonic())):
                    return
                for _ in range(size):
                    self.created.append(self._create(http))

    def _create(self, http: httpx.Client) -> Lead:
        number = len(self.created) + 1
        created, phase = time.time(), self._phase()
        body = {
            "customerName": f"Chaos Customer {number}",
            "customerEmail": f"chaos{number}@example.com",
            "customerPhone": f"07700 9{number:05d}",
            "address": f"{number} Test Street, Bristol",
            "postcode": "BS1 4DJ",
        }
        try:
            answer = http.post(f"{self._base_url}/leads/create", json=body, headers={"x-api-key": self._key})
            answer.raise_for_status()
            return Lead(str(answer.json()["leadId"]), created, phase, "api")
        except httpx.HTTPError:  # the API is down: the lead still lands in Heatpunk (its own web form)
            fields = {"customerName": body["customerName"], "customerEmail": body["customerEmail"]}
            return Lead(self._sandbox.add_lead(**fields), created, phase, "direct")


def holder_pid(store: Store) -> int | None:
    """The PID in the lease's holder (host:pid:suffix), as tests/alerts/test_processes.py reads it."""
    holder = store.lease().holder
    return int(holder.split(":")[-2]) if holder else None


@dataclass
class Killer:
    """kill -9 of the lease holder at random moments: at once, while a post is in flight, or mid-poll."""

    instances: list[Instance]
    store: Store
    slack: FakeSlack
    sandbox: Sandbox
    rng: random.Random
    heatpunk_out: threading.Event  # set while the Heatpunk outage lasts (no mid-poll hangs then)
    kills: Counter[str] = field(default_factory=Counter)  # by moment
    missed: int = 0  # a moment that never came (e.g. no post while Slack was down): killed at once instead
    restarts: list[threading.Thread] = field(default_factory=list)

    def run(self, times: list[float], started: float, stop: threading.Event) -> None:
        for at in times:
            if stop.wait(max(0.0, started + at - time.monotonic())):
                return
            moment = self.rng.choice(("random", "mid-send", "mid-poll"))
            waits = {"mid-send": self._post_in_flight, "mid-poll": self._fetch_in_flight}
            if moment in waits and not waits[moment](stop):
                moment, self.missed = "random", self.missed + 1
            killed = self._kill_holder(stop)
            if killed is not None:
                self.kills[moment] += 1
                restart = threading.Timer(self.rng.uniform(*RESTART_DELAY), killed.start, args=(stop,))
                restart.start()
                self.restarts.append(restart)

    def _post_in_flight(self, stop: threading.Event) -> bool:
        since = time.monotonic()
        try:
            self.slack.wait_for_arrival(
                lambda a: a.method == "chat.postMessage" and a.time >= since, timeout=8
            )
        except AssertionError:
            return False
        return not stop.is_set()

    def _fetch_in_flight(self, stop: threading.Event) -> bool:
        if self.heatpunk_out.is_set():
            return False
        seen = len(self.sandbox.requests)
        self.sandbox.hang_next(1, seconds=0.8, endpoint="fetch")  # the fetch is answered late: kill meanwhile
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and not stop.is_set():
            if any(r.path.endswith("/leads/fetch") for r in self.sandbox.requests[seen:]):
                time.sleep(self.rng.uniform(0.0, 0.5))
                return True
            time.sleep(0.02)
        return False

    def _kill_holder(self, stop: threading.Event) -> Instance | None:
        """Kills the instance the lease names (waiting up to 10 s for one that runs)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not stop.is_set():
            pid = holder_pid(self.store)
            for instance in self.instances:
                if pid is not None and instance.pid == pid and instance.up and instance.kill():
                    return instance
            time.sleep(0.05)
        return None


class TroubledSlack(FakeSlack):
    """The fake Slack, plus trouble that lasts a few seconds, as real 5xx and 429 bursts do.

    `fail_next(count=N)` answers the next N calls whenever they come: while the sender backs off, a short burst
    would stretch into minutes of failures. A spell here ends on time, however many calls it met.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._spells: dict[str, tuple[float, _Fault]] = {}

    def trouble(self, method: str, seconds: float, status: int, retry_after: int = 1) -> None:
        """Answer `method` with `status` (429: rate limited, with Retry-After) for `seconds` from now."""
        if status == 429:
            fault = _Fault(429, "ratelimited", {"Retry-After": str(retry_after)})
        else:
            fault = _Fault(status)
        with self._lock:
            self._spells[method] = (time.monotonic() + seconds, fault)

    def _take_fault(self, method: str) -> _Fault | None:
        until, fault = self._spells.get(method, (0.0, None))
        if fault is not None and time.monotonic() < until:
            return fault
        return super()._take_fault(method)


@dataclass
class Weather:
    """Short Slack trouble outside the outages: spells of 5xx and 429 on the calls the sender makes."""

    slack: TroubledSlack
    rng: random.Random
    calm: Callable[[], bool]
    spells: Counter[str] = field(default_factory=Counter)

    def run(self, stop: threading.Event, every: float = 6.0) -> None:
        while not stop.wait(self.rng.uniform(0.5, 1.5) * every):
            if not self.calm():
                continue
            kind = self.rng.choice(("5xx", "5xx", "429", "history 5xx"))
            seconds = self.rng.uniform(0.5, 3.0)
            if kind == "5xx":
                self.slack.trouble("chat.postMessage", seconds, self.rng.choice((500, 502, 503)))
            elif kind == "429":
                self.slack.trouble("chat.postMessage", seconds, 429, retry_after=self.rng.randint(1, 3))
            else:
                self.slack.trouble("conversations.history", seconds, 503)
            self.spells[kind] += 1


def instance_env(
    database_url: str, alert_channel: str, admin_channel: str, poll_email: str, *, heatpunk_timeout: float
) -> dict[str, str]:
    """What each `leadbot run` is configured with beyond the harness's defaults (the fakes, a port)."""
    return {
        "DATABASE_URL": database_url,
        "LEADBOT_ALERT_CHANNEL": alert_channel,
        "LEADBOT_ADMIN_CHANNEL": admin_channel,
        "LEADBOT_POLL_EMAIL": poll_email,
        "LEADBOT_POLL_SECONDS": "1",  # the lease's TTL is one poll interval
        "LEADBOT_HEALTH_AFTER": "3",
        "HEATPUNK_TIMEOUT_SECONDS": f"{heatpunk_timeout:g}",
        "LEADBOT_LOG_LEVEL": "INFO",
    }


def workdir_for(base: Path, name: str) -> Path:
    """Each instance logs in its own directory; the database is shared through DATABASE_URL."""
    path = base / name
    path.mkdir()
    return path
