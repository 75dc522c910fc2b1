"""Soak: thousands of commands, buttons and form submissions plus thousands of poll cycles; does anything grow?

leadbot runs in this process as `leadbot run` builds it (tests.scenarios.harness.start_leadbot, a short poll
interval), against the simulator and the fake Slack on 127.0.0.1. Every few seconds it samples this process's
RSS, threads, open file descriptors and open SQLite connections (descriptors on the database file); the verdict:
RSS within +20 MB of its value after warm-up, and no thread, descriptor or connection growth.

    .venv/bin/python -m bench.soak [--commands 10000] [--cycles 3600] [--poll-seconds 0.05]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from leadbot import ids
from leadbot.blocks.values import ClaimButton, OpenButton, StatusOption
from leadbot.sandbox.service import Sandbox
from tests.fakes.heatpunk_fixtures import SANDBOX_KEY
from tests.fakes.slack import ALERTS_CHANNEL, SALES_EMAIL, FakeSlack
from tests.fakes.slack_requests import SlackSender, form_state
from tests.scenarios.harness import Leadbot, dispatching_sender, leadbot_settings, start_leadbot

ADMIN_USER, ADMIN_EMAIL = "U0ADMIN1", "admin@example.co.uk"
TEAM = {SALES_EMAIL: "admin", ADMIN_EMAIL: "owner"}
RSS_MARGIN_MB = 20.0
SETTLE_EVERY = 50  # commands between waits for leadbot's work after the ack (keeps the backlog bounded)


@dataclass(frozen=True)
class Sample:
    """One look at the process."""

    at: float
    commands: int
    cycles: int
    rss_mb: float
    threads: int
    fds: int
    db_connections: int


class ErrorCount(logging.Handler):
    """Counts error records by logger (a Claim on a card the fake Slack has forgotten logs one) without keeping
    them: a kept record would itself be growth."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.name] += 1


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def open_files(database: Path) -> tuple[int, int]:
    """Open descriptors, and how many of them are on the database file (SQLite: one per connection)."""
    fds = db = 0
    for name in os.listdir("/proc/self/fd"):
        fds += 1
        with contextlib.suppress(OSError):  # closed since listed
            db += os.readlink(f"/proc/self/fd/{name}") == str(database)
    return fds, db


class Traffic:
    """Sends the command mix, one after another, as a person clicking around would."""

    def __init__(self, slack: SlackSender, leadbot: Leadbot, lead_ids: list[str], page: str) -> None:
        self.slack, self.leadbot, self.lead_ids, self.page = slack, leadbot, lead_ids, page
        self.sent = 0
        self.statuses: Counter[int] = Counter()
        self.kinds: Counter[str] = Counter()

    def mix(self) -> list[tuple[str, Callable[[str], object]]]:
        slack = self.slack
        return [
            ("/leads list", lambda lead: slack.command("list 2w")),
            ("/leads find", lambda lead: slack.command("find smith")),
            ("/leads show", lambda lead: slack.command(f"show {lead}")),
            ("/leads status", lambda lead: slack.command(f"status {lead} Quote")),
            ("/leads whoami", lambda lead: slack.command("whoami")),
            ("/leads help", lambda lead: slack.command("help")),
            ("Open", lambda lead: slack.action(ids.OPEN_LEAD, OpenButton(lead).to_value())),
            (
                "Claim",
                lambda lead: slack.action(
                    ids.CLAIM_LEAD, ClaimButton(lead).to_value(), channel_id=ALERTS_CHANNEL
                ),
            ),
            (
                "Set status",
                lambda lead: slack.action(
                    ids.SET_STATUS, StatusOption(lead, "Survey").to_value(), action_type="static_select"
                ),
            ),
            ("page", lambda lead: slack.action(ids.PAGE_NEXT, self.page)),
            (
                "form (refused)",
                lambda lead: slack.submit(ids.CREATE_VIEW, form_state(customer_name=""), answer=None),
            ),
        ]

    def run(self, count: int) -> None:
        mix = self.mix()
        for number in range(count):
            kind, send = mix[number % len(mix)]
            response = send(self.lead_ids[number % len(self.lead_ids)])
            self.statuses[getattr(response, "status_code", 0)] += 1
            self.kinds[kind] += 1
            self.sent = number + 1
            if self.sent % SETTLE_EVERY == 0:
                self.leadbot.settle(timeout=60)
                self.slack.sent.clear()  # the test sender keeps every request it signed: not leadbot's memory


def next_page(fake: FakeSlack, slack: SlackSender) -> str:
    """The Next button's value under a long list."""
    response = slack.command("list 60d")
    if response.content:
        body = response.json()
    else:
        [post] = fake.wait_for_response(slack.last.response_url, timeout=30)
        body = post.body
    paging = next(block for block in body["blocks"] if block.get("block_id") == ids.PAGE_BLOCK)
    return str(paging["elements"][-1]["value"])


def poll_cycles(sandbox: Sandbox, poll_email: str) -> int:
    """Fetches the poller made since the last call (the simulator's record is then cleared: it would grow)."""
    fetches = [
        r
        for r in sandbox.requests
        if r.path.endswith("/fetch") and (r.body or {}).get("userEmail") == poll_email
    ]
    sandbox.clear_requests()
    return len(fetches)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commands", type=int, default=10_000)
    parser.add_argument("--cycles", type=int, default=3_600)
    parser.add_argument("--poll-seconds", type=float, default=0.05)
    parser.add_argument("--sample-seconds", type=float, default=10.0)
    parser.add_argument("--warmup-commands", type=int, default=2_000)
    args = parser.parse_args()
    errors = ErrorCount()
    logging.getLogger().handlers[:] = [errors]
    logging.getLogger().setLevel(logging.WARNING)
    started = time.monotonic()
    fake = FakeSlack.usual().start()
    fake.add_user(ADMIN_USER, ADMIN_EMAIL, name="admin")
    sandbox = Sandbox(api_key=SANDBOX_KEY, team=TEAM, seed_leads=200, days=60).start()
    samples: list[Sample] = []
    with tempfile.TemporaryDirectory() as workdir:
        settings = leadbot_settings(
            fake,
            sandbox,
            Path(workdir),
            poll_seconds=args.poll_seconds,
            LEADBOT_ADMINS=ADMIN_USER,
            LEADBOT_ALERT_CHANNEL=ALERTS_CHANNEL,
            LEADBOT_POLL_EMAIL=ADMIN_EMAIL,
        )
        database = Path(workdir) / "leadbot.db"
        leadbot = start_leadbot(settings)
        slack = dispatching_sender(leadbot, fake)
        lead_ids = [str(lead["ID"]) for lead in sandbox.leads][:50]
        traffic = Traffic(slack, leadbot, lead_ids, next_page(fake, slack))
        sender = threading.Thread(target=traffic.run, args=(args.commands,), daemon=True)
        sender.start()
        cycles = 0
        try:
            while sender.is_alive() or cycles < args.cycles:
                time.sleep(args.sample_seconds)
                cycles += poll_cycles(sandbox, ADMIN_EMAIL)
                fake.clear()  # the fake Slack keeps every call: its memory is not leadbot's
                gc.collect()
                fds, db = open_files(database)
                sample = Sample(
                    time.monotonic() - started,
                    traffic.sent,
                    cycles,
                    rss_mb(),
                    threading.active_count(),
                    fds,
                    db,
                )
                samples.append(sample)
                print(
                    f"{sample.at:6.0f} s  commands {sample.commands:6,}  cycles {sample.cycles:5,}  "
                    f"RSS {sample.rss_mb:6.1f} MB  threads {sample.threads:3}  fds {sample.fds:3}  "
                    f"db connections {sample.db_connections}",
                    flush=True,
                )
        finally:
            slack.close()
            leadbot.stop()
            fake.stop()
            sandbox.stop()
    print(
        f"sent: {dict(traffic.kinds)}; statuses {dict(traffic.statuses)}; errors logged {dict(errors.counts)}"
    )
    verdict(samples, args.warmup_commands)


def verdict(samples: list[Sample], warmup_commands: int) -> None:
    """RSS against its value after warm-up; threads, fds and connections: the second half of the run against
    the first (pools grow to their bound on demand, so a leak is what keeps climbing after that)."""
    warm = next((s for s in samples if s.commands >= warmup_commands), samples[0])
    later = [s for s in samples if s.at > warm.at] or [warm]
    first, second = later[: max(1, len(later) // 2)], later[len(later) // 2 :]
    rss_growth = max(s.rss_mb for s in later) - warm.rss_mb
    grew = {
        name: max(getattr(s, name) for s in second) - max(getattr(s, name) for s in first)
        for name in ("threads", "fds", "db_connections")
    }
    ok = rss_growth <= RSS_MARGIN_MB and all(growth <= 0 for growth in grew.values())
    print(
        f"after warm-up ({warm.commands:,} commands, {warm.cycles:,} cycles, RSS {warm.rss_mb:.1f} MB): RSS "
        f"+{rss_growth:.1f} MB at most (limit +{RSS_MARGIN_MB:.0f}); second half's highest minus first half's: "
        f"{grew}"
    )
    print(f"verdict: {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
