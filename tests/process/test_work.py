"""The fair work pool: a share per person, a bounded queue, people served in turn and shared work first."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import pytest

from leadbot.process.work import Busy, FairExecutor

WAIT = 10.0  # only ever reached when a test is failing
SEEN: ContextVar[str] = ContextVar("seen", default="unset")


class Gate:
    """A job that records its start, then waits until the test opens it."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name, self.log = name, log
        self.started = threading.Event()
        self.opened = threading.Event()

    def __call__(self) -> str:
        self.log.append(self.name)
        self.started.set()
        assert self.opened.wait(WAIT)
        return self.name

    def open(self) -> None:
        self.opened.set()


@pytest.fixture
def make_pool() -> Iterator[Callable[..., FairExecutor]]:
    pools: list[FairExecutor] = []

    def make(*, workers: int = 1, per_key: int = 3, queue_limit: int = 100) -> FairExecutor:
        pool = FairExecutor(workers=workers, per_key=per_key, queue_limit=queue_limit, name="test-work")
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.shutdown(wait=True)


def recorder(log: list[str], name: str) -> Callable[[], None]:
    return lambda: log.append(name)


def test_a_newcomers_first_job_runs_before_anyone_elses_backlog(
    make_pool: Callable[..., FairExecutor],
) -> None:
    pool, log = make_pool(workers=1), []
    first = Gate("A1", log)
    pool.submit_for("A", first)
    assert first.started.wait(WAIT)
    done = [pool.submit_for("A", recorder(log, "A2")), pool.submit_for("A", recorder(log, "A3"))]
    done += [pool.submit_for("B", recorder(log, "B1")), pool.submit_for("C", recorder(log, "C1"))]
    done.append(pool.submit_for("B", recorder(log, "B2")))
    first.open()
    for future in done:
        future.result(WAIT)
    assert log == ["A1", "B1", "C1", "A2", "B2", "A3"]


def test_shared_work_is_never_queued_behind_peoples_work(make_pool: Callable[..., FairExecutor]) -> None:
    pool, log = make_pool(workers=1), []
    first = Gate("A1", log)
    pool.submit_for("A", first)
    assert first.started.wait(WAIT)
    later = [pool.submit_for("B", recorder(log, "B1")), pool.submit(recorder(log, "notice"))]
    first.open()
    for future in later:
        future.result(WAIT)
    assert log == ["A1", "notice", "B1"]


def test_a_person_beyond_their_share_is_refused_and_others_are_not(
    make_pool: Callable[..., FairExecutor],
) -> None:
    pool, log = make_pool(workers=1, per_key=2), []
    first = Gate("A1", log)
    pool.submit_for("A", first)
    pool.submit_for("A", recorder(log, "A2"))  # running and waiting count alike
    with pytest.raises(Busy) as refused:
        pool.submit_for("A", recorder(log, "A3"))
    assert refused.value.mine
    other = pool.submit_for("B", recorder(log, "B1"))
    first.open()
    other.result(WAIT)
    assert "A3" not in log


def test_a_share_comes_back_when_a_job_ends(make_pool: Callable[..., FairExecutor]) -> None:
    pool = make_pool(workers=1, per_key=1)
    pool.submit_for("A", lambda: None).result(WAIT)
    assert pool.submit_for("A", lambda: "again").result(WAIT) == "again"


def test_a_full_queue_refuses_everyone(make_pool: Callable[..., FairExecutor]) -> None:
    pool, log = make_pool(workers=1, queue_limit=2), []
    first = Gate("A1", log)
    pool.submit_for("A", first)
    assert first.started.wait(WAIT)
    pool.submit_for("B", recorder(log, "B1"))
    pool.submit_for("C", recorder(log, "C1"))
    with pytest.raises(Busy) as refused:
        pool.submit_for("D", recorder(log, "D1"))
    assert not refused.value.mine
    dropped = pool.submit(recorder(log, "notice"))  # shared work is not refused by raising: it is dropped
    assert isinstance(dropped.exception(WAIT), Busy)
    first.open()


def test_a_failing_job_fails_its_future_and_the_worker_goes_on(
    make_pool: Callable[..., FairExecutor],
) -> None:
    pool = make_pool(workers=1)

    def broken() -> None:
        raise ValueError("broken")

    assert isinstance(pool.submit_for("A", broken).exception(WAIT), ValueError)
    assert pool.submit_for("A", lambda: 2).result(WAIT) == 2


def test_jobs_see_the_submitters_context(make_pool: Callable[..., FairExecutor]) -> None:
    pool = make_pool(workers=2)
    SEEN.set("request-7")
    assert pool.submit_for("A", SEEN.get).result(WAIT) == "request-7"
    assert pool.submit(SEEN.get).result(WAIT) == "request-7"


def test_shutdown_waits_for_running_and_waiting_work_then_refuses_more(
    make_pool: Callable[..., FairExecutor],
) -> None:
    pool, log = make_pool(workers=1), []
    first = Gate("A1", log)
    pool.submit_for("A", first)
    pool.submit_for("B", recorder(log, "B1"))
    pool.shutdown(wait=False)
    with pytest.raises(RuntimeError):
        pool.submit_for("C", recorder(log, "C1"))
    closing = threading.Thread(target=pool.shutdown)  # waits, as close() does
    closing.start()
    first.open()
    closing.join(WAIT)
    assert not closing.is_alive()
    assert log == ["A1", "B1"]


def test_no_more_threads_than_workers(make_pool: Callable[..., FairExecutor]) -> None:
    pool, log = make_pool(workers=2, per_key=5), []
    gates = [Gate(f"A{n}", log) for n in range(4)]
    for gate in gates:
        pool.submit_for("A", gate)
    assert gates[0].started.wait(WAIT)
    assert gates[1].started.wait(WAIT)
    names = {thread.name for thread in threading.enumerate() if thread.name.startswith("test-work")}
    assert len(names) == 2
    for gate in gates:
        gate.open()


def _args(*args: Any, **kwargs: Any) -> tuple[Any, ...]:
    return args, kwargs


def test_arguments_reach_the_job(make_pool: Callable[..., FairExecutor]) -> None:
    pool = make_pool()
    assert pool.submit_for("A", _args, 1, two=2).result(WAIT) == ((1,), {"two": 2})


def test_prestarted_workers_are_all_running_before_any_work() -> None:
    pool = FairExecutor(workers=3, per_key=2, queue_limit=5, name="pre")
    try:
        pool.prestart()
        names = {thread.name for thread in threading.enumerate()}
        assert {"pre_0", "pre_1", "pre_2"} <= names
        assert pool.submit(lambda: "done").result(WAIT) == "done"
        assert "pre_3" not in {thread.name for thread in threading.enumerate()}  # no more than `workers`
    finally:
        pool.shutdown()
