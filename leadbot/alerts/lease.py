"""One poller at a time: this process's claim on the database lease, kept fresh by a heartbeat."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from leadbot.store import Store

logger = logging.getLogger(__name__)


def new_holder_id() -> str:
    """Unique per process start, and readable in the database: host, pid, random suffix."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaseKeeper:
    """Takes or renews the lease on each `renew()`; `held` says whether this process may poll and send.

    `making_progress` says whether the work the lease guards is moving: while it says no (a poll cycle hung
    on a call that never ends), the lease is not renewed, so it runs out and another instance takes over.
    """

    def __init__(
        self,
        store: Store,
        *,
        holder: str,
        ttl: timedelta,
        clock: Callable[[], datetime],
        on_acquired: Callable[[], None] = lambda: None,
        making_progress: Callable[[], bool] = lambda: True,
    ) -> None:
        self.holder = holder
        self._store, self._ttl, self._clock, self._on_acquired = store, ttl, clock, on_acquired
        self._making_progress = making_progress
        self._held = threading.Event()
        self._held_since = 0.0  # time.monotonic() when this instance last took the lease

    @property
    def held(self) -> bool:
        return self._held.is_set()

    def held_for(self) -> float:
        """Seconds since this instance took the lease (0 when it doesn't hold it)."""
        return time.monotonic() - self._held_since if self.held else 0.0

    def renew(self) -> bool:
        """One heartbeat; a database failure counts as not holding (never poll or send unsure)."""
        if not self._making_progress():
            if self.held:
                logger.warning(
                    "This instance's poll cycle has run longer than the poller lease: no longer renewing "
                    "it, so another instance can take over"
                )
            self._held.clear()
            return False
        try:
            now_held = self._store.acquire_lease(self.holder, ttl=self._ttl, now=self._clock())
        except Exception:
            logger.exception("Failed to renew the poller lease")
            now_held = False
        if now_held and not self.held:
            logger.info("This instance (%s) now polls Heatpunk and posts alerts", self.holder)
            self._held_since = time.monotonic()
            self._held.set()
            self._on_acquired()
        elif not now_held and self.held:
            self.lost()
        return now_held

    def lost(self) -> None:
        """Another instance took over (or the database is unreachable): stop polling and sending."""
        if self.held:
            logger.warning("This instance (%s) no longer holds the poller lease", self.holder)
        self._held.clear()

    def release(self) -> None:
        """Hands the lease back so another instance can take over at once."""
        self._held.clear()
        try:
            self._store.release_lease(self.holder)
        except Exception:
            logger.exception("Failed to release the poller lease")


class Heartbeat:
    """A daemon thread renewing the lease every `every` seconds until stopped."""

    def __init__(self, keeper: LeaseKeeper, *, every: float) -> None:
        self._keeper, self._every = keeper, every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Renews once now (so `held` is known on return), then every `every` seconds."""
        self._stop = threading.Event()
        self._keeper.renew()
        self._thread = threading.Thread(
            target=self._run, args=(self._stop,), name="leadbot-lease", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self, stop: threading.Event) -> None:
        while not stop.wait(self._every):
            self._keeper.renew()
