"""A poll cycle hung on Heatpunk must not keep the lease: another instance takes over and alerts go on."""

from __future__ import annotations

from dataclasses import replace

from tests.alerts.rig import FAST, Rig
from tests.support import wait_until

HANG = 6.0  # seconds Heatpunk holds back one fetch answer (leadbot's Heatpunk timeout is longer)
# A hang Heatpunk's deadline doesn't end (one elsewhere in the cycle, or a deadline set longer than this).
HUNG_AFTER = 1.0


def test_a_poll_hung_on_heatpunk_lets_another_instance_take_over(rig_any_db: Rig) -> None:
    rig = rig_any_db
    settings = rig.settings(heatpunk_timeout_seconds=30)
    tuning = replace(FAST, hung_after=HUNG_AFTER)
    first, second = (
        rig.service(settings=settings, tuning=tuning),
        rig.service(settings=settings, tuning=tuning),
    )
    first.start()
    wait_until(rig.notices, what="the first-run line")
    second.start()
    holder, other = (first, second) if first.keeper.held else (second, first)
    fetches = len(rig.sandbox.requests)
    rig.sandbox.hang_next(seconds=HANG, endpoint="fetch")
    wait_until(lambda: len(rig.sandbox.requests) > fetches, what="the hung fetch")

    wait_until(lambda: other.keeper.held, timeout=HANG - 2, what="the other instance to take over")
    assert holder.poller.running_for() > 0  # still stuck in its fetch
    lead_id = rig.sandbox.add_lead()
    wait_until(lambda: rig.alerted() == {lead_id: 1}, timeout=HANG - 2, what="an alert from the new holder")
    assert holder.poller.running_for() > 0
    assert not holder.keeper.held
    assert any("poll cycle has been running" in problem for problem in holder.health_problems())

    wait_until(lambda: holder.poller.running_for() == 0, timeout=2 * HANG, what="the hung fetch to end")
    rig.settled(polls=2)  # the late cycle wrote nothing (its lease was gone) and nothing is repeated
    assert rig.alerted() == {
        lead_id: 1
    }  # (the lease may have moved again since: a 1 s lease on a busy machine)
