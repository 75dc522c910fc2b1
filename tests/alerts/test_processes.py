"""Real `leadbot poll` processes: kill -9 at varied moments, and two processes on one database."""

from __future__ import annotations

import random
import time

from leadbot.store import Store
from tests.alerts.rig import PollProcess, Rig
from tests.support import wait_until


def holder_pid(store: Store) -> int | None:
    holder = store.lease().holder
    return int(holder.split(":")[1]) if holder else None


def test_kill_9_at_varied_moments_loses_and_repeats_nothing(rig: Rig) -> None:
    rig.sandbox.latency = 0.05
    rig.slack.set_latency(0.3, "chat.postMessage")  # posts in flight long enough to be killed mid-way
    process = PollProcess(rig, "killed").start()
    wait_until(rig.notices, timeout=30, what="the first-run line")
    rng = random.Random(20250311)
    added: list[str] = []
    for round_number in range(10):
        burst = 7 if round_number == 4 else rng.randint(1, 3)  # one burst makes a digest
        added += [rig.sandbox.add_lead() for _ in range(burst)]
        time.sleep(rng.uniform(0.3, 2.5))
        process.kill()
        process = PollProcess(rig, "killed").start()
    try:
        wait_until(lambda: set(rig.alerted()) >= set(added), timeout=60, what="every lead alerted")
        time.sleep(2.5)  # more cycles: anything repeated would show now
    finally:
        exit_code = process.terminate()
    assert rig.alerted() == dict.fromkeys(added, 1), process.log()[-3000:]
    assert exit_code == 0  # SIGTERM: the cycle in flight finishes, then a clean exit
    assert len(rig.notices()) == 1
    assert rig.store().unsent_count() == 0


def test_two_processes_on_one_database_alert_once(rig_any_db: Rig) -> None:
    """Exactly one polls; when it dies, the other takes over within two poll intervals."""
    rig = rig_any_db
    first = PollProcess(rig, "first", LEADBOT_POLL_SECONDS="2").start()
    second = PollProcess(rig, "second", LEADBOT_POLL_SECONDS="2").start()
    processes = {p.process.pid: p for p in (first, second) if p.process is not None}
    store = rig.store()
    try:
        wait_until(rig.notices, timeout=30, what="the first-run line")
        added = []
        for _ in range(4):
            added.append(rig.sandbox.add_lead())
            time.sleep(0.8)
        added += [rig.sandbox.add_lead() for _ in range(6)]  # a burst: one digest
        wait_until(lambda: set(rig.alerted()) >= set(added), timeout=40, what="every lead alerted")

        pid = wait_until(lambda: holder_pid(store), what="a lease holder")
        processes[pid].kill()
        killed_at = time.monotonic()
        survivor = next(p for other, p in processes.items() if other != pid)
        try:
            wait_until(lambda: holder_pid(store) not in (None, pid), timeout=10, what="takeover")
        except AssertionError as timed_out:
            raise AssertionError(
                f"{timed_out}; lease {store.lease()}, survivor exit code {survivor.process and survivor.process.poll()}\n{survivor.log()[-4000:]}"
            ) from None
        assert time.monotonic() - killed_at < 2 * 2.0  # within two poll intervals
        added += [rig.sandbox.add_lead() for _ in range(2)]
        wait_until(lambda: set(rig.alerted()) >= set(added), timeout=30, what="alerts from the survivor")
        time.sleep(3)
        assert survivor.process is not None
        assert survivor.process.poll() is None
    finally:
        for process in processes.values():
            process.terminate()
    assert rig.alerted() == dict.fromkeys(added, 1), first.log()[-2000:] + second.log()[-2000:]
    assert len(rig.notices()) == 1
