"""The pool that runs work after `ack()`, fairly: a share per person, a bounded queue, people served in turn.

One person's 40 slow requests must not delay another's first one. Each job belongs to a person (`submit_for`)
or to no one (`submit`: short shared work such as notices). A person may have `per_key` jobs running or
waiting; beyond that, or when `queue_limit` jobs wait in all, `submit_for` raises `Busy` so the caller can say
so in words. A free worker takes shared work first, then the person with the fewest jobs running, the one
served longest ago (a newcomer before anyone's second job).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from contextvars import copy_context
from dataclasses import dataclass
from functools import partial
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

logger = logging.getLogger(__name__)


class Busy(Exception):
    """Refused: this person already has their share running or waiting (`mine`), or the queue is full."""

    def __init__(self, *, mine: bool) -> None:
        super().__init__("this person's share is taken" if mine else "the work queue is full")
        self.mine = mine


@dataclass(frozen=True)
class _Shared:
    """The key of work that belongs to no one."""


SHARED = _Shared()
NEVER = -1  # the last-served turn of someone not served yet: before everyone served


@dataclass
class _Job:
    key: object
    future: Future[Any]
    run: Callable[[], Any]


class FairExecutor(Executor):
    """A thread pool (threads started as needed, up to `workers`) with a share per key and a bounded queue;
    `before_each` runs on the worker before each job (e.g. to let acks in flight go first)."""

    def __init__(
        self,
        *,
        workers: int,
        per_key: int,
        queue_limit: int,
        name: str = "leadbot-work",
        before_each: Callable[[], None] | None = None,
    ) -> None:
        self._workers, self._per_key, self._queue_limit, self._name = workers, per_key, queue_limit, name
        self._before_each = before_each
        self._changed = threading.Condition()
        self._lanes: dict[object, deque[_Job]] = {}  # waiting jobs per key, in the order they came
        self._waiting = 0
        self._running: Counter[object] = Counter()
        self._last_served: dict[object, int] = {}
        self._turns = itertools.count()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._closed = False

    def submit_for(self, key: str, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Runs `fn` as `key`'s work (in the submitter's context); raises Busy when over share or full."""
        with self._changed:
            self._refuse_when_closed()
            if self._running[key] + len(self._lanes.get(key, ())) >= self._per_key:
                raise Busy(mine=True)
            if self._waiting >= self._queue_limit:
                raise Busy(mine=False)
            return self._enqueue(key, partial(fn, *args, **kwargs))

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Runs shared work (no one's share); when the queue is full it is dropped, its future failed Busy."""
        with self._changed:
            self._refuse_when_closed()
            if self._waiting >= self._queue_limit:
                logger.warning("Work queue full (%d waiting): dropped %r", self._waiting, fn)
                dropped: Future[T] = Future()
                dropped.set_exception(Busy(mine=False))
                return dropped
            return self._enqueue(SHARED, partial(fn, *args, **kwargs))

    def prestart(self) -> None:
        """Starts every worker now: a thread started mid-burst costs the listener thread that hands work over
        (and so the acks queued behind it) the time the new thread takes to start."""
        with self._changed:
            self._refuse_when_closed()
            while len(self._threads) < self._workers:
                self._start_worker()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Refuses new work; waiting work still runs (unless cancelled); with `wait`, returns when all ended."""
        with self._changed:
            self._closed = True
            if cancel_futures:
                for lane in self._lanes.values():
                    for job in lane:
                        job.future.cancel()
                self._lanes.clear()
                self._waiting = 0
            self._changed.notify_all()
            threads = list(self._threads)
        if wait:
            for thread in threads:
                thread.join()

    # --- inside, with the lock held ---------------------------------------------------------------

    def _refuse_when_closed(self) -> None:
        if self._closed:
            raise RuntimeError("cannot schedule new work after shutdown")

    def _enqueue(self, key: object, fn: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        self._lanes.setdefault(key, deque()).append(_Job(key, future, partial(copy_context().run, fn)))
        self._waiting += 1
        if self._idle < self._waiting and len(self._threads) < self._workers:
            self._start_worker()
        self._changed.notify()
        return future

    def _start_worker(self) -> None:
        thread = threading.Thread(target=self._work, name=f"{self._name}_{len(self._threads)}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _rank(self, key: object) -> tuple[int, int, int]:
        """Lower goes first: shared work, then fewer jobs running, then served longest ago."""
        if key is SHARED:
            return (0, 0, NEVER - 1)
        return (1, self._running[key], self._last_served.get(key, NEVER))

    def _take(self) -> _Job:
        key = min(self._lanes, key=self._rank)  # dicts keep insertion order: ties go to who came first
        lane = self._lanes[key]
        job = lane.popleft()
        if not lane:
            del self._lanes[key]
        self._waiting -= 1
        self._running[key] += 1
        self._last_served[key] = next(self._turns)
        return job

    def _finish(self, key: object) -> None:
        self._running[key] -= 1
        if not self._running[key]:
            del self._running[key]
            if key not in self._lanes:
                self._last_served.pop(key, None)  # forget people with nothing running or waiting

    # --- the workers --------------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            with self._changed:
                while not self._lanes and not self._closed:
                    self._idle += 1
                    self._changed.wait()
                    self._idle -= 1
                if not self._lanes:
                    return
                job = self._take()
            try:
                if self._before_each is not None:
                    self._before_each()
                if job.future.set_running_or_notify_cancel():
                    try:
                        job.future.set_result(job.run())
                    except BaseException as error:
                        job.future.set_exception(error)
            finally:
                with self._changed:
                    self._finish(job.key)
