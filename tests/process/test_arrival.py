"""Acks first: work handed over after an ack waits while other requests are still being acked, never for long."""

from __future__ import annotations

import threading
import time

from leadbot.process.arrival import AcksFirst
from leadbot.process.work import FairExecutor

WAIT = 10.0  # only ever reached when a test is failing


def test_work_waits_until_no_request_is_being_acked() -> None:
    acks = AcksFirst(patience=WAIT)
    work = FairExecutor(workers=2, per_key=4, queue_limit=10, before_each=acks.wait_for_acks)
    ran = threading.Event()
    try:
        with acks.acking():
            with acks.acking():
                future = work.submit(ran.set)
                assert not ran.wait(0.2)  # two requests still being acked
            assert not ran.wait(0.2)  # one still is
        assert ran.wait(WAIT)  # the last ack went out: the work runs
        future.result(WAIT)
    finally:
        work.shutdown()


def test_a_stream_of_requests_delays_work_only_by_the_patience() -> None:
    acks = AcksFirst(patience=0.1)
    ran = threading.Event()
    work = FairExecutor(workers=1, per_key=4, queue_limit=10, before_each=acks.wait_for_acks)
    try:
        with acks.acking():  # never quiet while the work waits
            started = time.monotonic()
            work.submit(ran.set)
            assert ran.wait(WAIT)
            assert time.monotonic() - started >= 0.1
    finally:
        work.shutdown()


def test_with_nothing_being_acked_work_starts_at_once() -> None:
    acks = AcksFirst(patience=WAIT)
    work = FairExecutor(workers=1, per_key=4, queue_limit=10, before_each=acks.wait_for_acks)
    try:
        assert work.submit(lambda: "done").result(WAIT / 2) == "done"
    finally:
        work.shutdown()


def test_a_failing_request_still_counts_its_ack_out() -> None:
    acks = AcksFirst(patience=WAIT)
    try:
        with acks.acking():
            raise ValueError("the handler failed")
    except ValueError:
        pass
    started = time.monotonic()
    acks.wait_for_acks()
    assert time.monotonic() - started < WAIT / 2
