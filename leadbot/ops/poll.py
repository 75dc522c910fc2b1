"""`leadbot poll [--once]`: the alert service from the composition root, run until stopped or for one cycle."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import datetime
from typing import TextIO

from leadbot.alerts.service import DEFAULT_TUNING, OnceResult, Tuning
from leadbot.deps import Root, utc_now
from leadbot.ops import check_texts as t
from leadbot.process.signals import stopped_by_signals
from leadbot.redaction import redact
from leadbot.settings import Settings, SettingsError

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_POLL_FAILED, EXIT_SETUP, EXIT_UNSENT = 0, 1, 2, 3


def add_poll_arguments(parser: argparse.ArgumentParser) -> None:
    """`leadbot poll` runs the poller and sender until stopped; `--once` runs one cycle and exits."""
    parser.add_argument(
        "--once",
        action="store_true",
        help="run one poll cycle, post what it found, and exit: 0 on success, non-zero with the cause",
    )


def report_once(result: OnceResult, secrets: Sequence[str] = ()) -> int:
    """Prints what `--once` did (its causes may quote Heatpunk or Slack: `secrets` are kept out) and
    returns the exit code."""

    def say(text: str, stream: TextIO = sys.stdout) -> None:
        print(redact(text, secrets), file=stream)

    if result.skipped:
        say(t.POLL_SKIPPED)
        return EXIT_OK
    if result.poll_error:
        say(t.POLL_FAILED.format(cause=result.poll_error), sys.stderr)
    elif result.report:
        say(t.POLL_DONE.format(report=result.report.describe(), unsent=result.unsent))
    if result.send_error:
        say(t.POLL_UNSENT.format(count=result.unsent, cause=result.send_error), sys.stderr)
    if result.poll_error:
        return EXIT_POLL_FAILED
    return EXIT_UNSENT if result.send_error else EXIT_OK


def run_poll_command(
    args: argparse.Namespace,
    settings: Settings,
    *,
    tuning: Tuning = DEFAULT_TUNING,
    clock: Callable[[], datetime] = utc_now,
    stop: threading.Event | None = None,
) -> int:
    """`leadbot poll [--once]`: 0 on success; non-zero with the cause printed (1 poll, 2 setup, 3 Slack)."""
    problems = settings.problems_for_poll()
    if problems:
        print(SettingsError(problems).render(), file=sys.stderr)
        return EXIT_SETUP
    with closing(Root(settings, clock=clock, tuning=tuning)) as root:
        try:
            root.store  # noqa: B018 - opened first, so a database problem is reported as one
        except Exception as error:
            logger.exception("Failed to open the database")
            print(t.POLL_NO_DATABASE.format(error=type(error).__name__), file=sys.stderr)
            return EXIT_SETUP
        service = root.alerts
        if args.once:
            return report_once(service.run_once(), settings.secret_values())
        stop = stop or threading.Event()
        with stopped_by_signals(stop):
            service.start()
            print(t.POLL_RUNNING, flush=True)
            while not stop.wait(0.5):
                pass
            service.stop()
        return EXIT_OK
