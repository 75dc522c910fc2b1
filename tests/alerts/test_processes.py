"""Real `leadbot poll` processes: kill -9 at each moment that matters, and two processes on one database."""

from __future__ import annotations

import time
from collections.abc import Callable

from leadbot.store import Store
from tests.alerts.rig import PollProcess, Rig
from tests.fakes.slack import Arrival
from tests.support import wait_until


def holder_pid(store: Store) -> int | None:
    holder = store.lease().holder
    return int(holder.split(":")[1]) if holder else None


def alert_for(leads: list[str]) -> Callable[[Arrival], bool]:
    """Matches a post (card or digest) carrying any of these leads, as it arrives at Slack."""

    def matches(arrival: Arrival) -> bool:
        payload = (arrival.params.get("metadata") or {}).get("event_payload") or {}
        carried = payload.get("lead_ids") or [payload.get("lead_id")]
        return arrival.method == "chat.postMessage" and any(lead in carried for lead in leads)

    return matches


def test_kill_9_at_each_moment_loses_and_repeats_nothing(rig: Rig) -> None:
    """Killed while fetching; while posting a card, with the next card queued behind it; while posting a
    digest; and with alerts queued while Slack refuses them. Each time the next process (started at once,
    while the dead one's lease runs out) sends what was left, exactly once."""
    rig.slack.set_latency(0.5, "chat.postMessage")  # posts in flight long enough to be killed mid-way
    process = PollProcess(rig, "killed").start()
    wait_until(rig.notices, timeout=30, what="the first-run line")
    added: list[str] = []
    store = rig.store()

    def kill_and_restart() -> None:
        nonlocal process
        process.kill()
        process = PollProcess(rig, "killed").start()

    def all_alerted() -> None:
        """Every lead so far reached Slack, and the process now running has nothing left to send."""
        wait_until(lambda: set(rig.alerted()) >= set(added), timeout=30, what="every lead alerted")
        wait_until(lambda: store.unsent_count() == 0, timeout=30, what="the outbox to empty")

    # while fetching: the new lead is not seen yet, so nothing about it is queued
    rig.sandbox.latency = 0.5
    fetches = len(rig.sandbox.requests)
    added.append(rig.sandbox.add_lead())
    wait_until(lambda: len(rig.sandbox.requests) > fetches, what="a fetch in flight")
    kill_and_restart()
    rig.sandbox.latency = 0.0
    all_alerted()

    # while posting a card (Slack still posts it: the dead process never recorded that), another queued
    cards = [rig.sandbox.add_lead(), rig.sandbox.add_lead()]
    added += cards
    rig.slack.wait_for_arrival(alert_for(cards), timeout=30)
    kill_and_restart()
    all_alerted()

    # while posting a digest (seven at once, more than LEADBOT_BURST)
    burst = [rig.sandbox.add_lead() for _ in range(7)]
    added += burst
    rig.slack.wait_for_arrival(alert_for(burst), timeout=30)
    kill_and_restart()
    all_alerted()

    # with an alert queued and retrying while Slack refuses connections
    rig.slack.go_down()
    waiting = rig.sandbox.add_lead()
    added.append(waiting)
    wait_until(lambda: any(a.attempts for a in store.alerts(kind="new") if a.lead_id == waiting), timeout=30)
    process.kill()
    rig.slack.come_back()
    process = PollProcess(rig, "killed").start()
    try:
        all_alerted()
        rig.settled()  # a later poll and an empty outbox: anything repeated would show by now
    finally:
        exit_code = process.terminate()
    assert rig.alerted() == dict.fromkeys(added, 1), process.log()[-3000:]
    assert exit_code == 0  # SIGTERM: the cycle in flight finishes, then a clean exit
    assert len(rig.notices()) == 1
    assert store.unsent_count() == 0


def test_two_processes_on_one_database_alert_once(rig_any_db: Rig) -> None:
    """Exactly one polls; when it dies, the other takes over within two poll intervals."""
    rig = rig_any_db
    first = PollProcess(rig, "first").start()
    second = PollProcess(rig, "second").start()
    processes = {p.process.pid: p for p in (first, second) if p.process is not None}
    store = rig.store()
    try:
        wait_until(rig.notices, timeout=30, what="the first-run line")
        added = []
        for _ in range(3):  # one at a time, each alerted before the next arrives
            added.append(rig.sandbox.add_lead())
            wait_until(lambda: set(rig.alerted()) >= set(added), what="the alert")
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
        assert time.monotonic() - killed_at < 2 * 1.0  # within two poll intervals (LEADBOT_POLL_SECONDS=1)
        added += [rig.sandbox.add_lead() for _ in range(2)]
        wait_until(lambda: set(rig.alerted()) >= set(added), timeout=30, what="alerts from the survivor")
        rig.settled()
        assert survivor.process is not None
        assert survivor.process.poll() is None
    finally:
        for process in processes.values():
            process.terminate()
    assert rig.alerted() == dict.fromkeys(added, 1), first.log()[-2000:] + second.log()[-2000:]
    assert len(rig.notices()) == 1
