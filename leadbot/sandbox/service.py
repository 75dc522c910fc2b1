"""The Heatpunk leads API simulator (tests, benchmarks, try-outs), and `leadbot sandbox` to run it.

The API itself lives in api.py (rules in rules.py, leads in store.py and data.py, HTTP plumbing in
http.py); import `Sandbox` from `leadbot.sandbox`.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from leadbot.heatpunk.sandbox import DEFAULT_API_KEY
from leadbot.process.signals import stopped_by_signals
from leadbot.sandbox.api import (
    ADMIN_EMAIL,
    DEFAULT_STATUSES,
    DEFAULT_TEAM,
    OWNER_EMAIL,
    STANDARD_EMAIL,
    Sandbox,
)
from leadbot.sandbox.http import RecordedRequest

__all__ = [
    "ADMIN_EMAIL",
    "DEFAULT_API_KEY",
    "DEFAULT_STATUSES",
    "DEFAULT_TEAM",
    "OWNER_EMAIL",
    "STANDARD_EMAIL",
    "RecordedRequest",
    "Sandbox",
    "add_sandbox_arguments",
    "run_sandbox_command",
]


def _at_least(minimum: float, kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum:g}")
        return value

    return parse


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `leadbot sandbox`."""
    parser.add_argument("--port", type=int, default=8099, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="the key clients must send as X-API-KEY")
    parser.add_argument(
        "--team-email",
        action="extend",
        nargs="+",
        metavar="EMAIL",
        help="team members (all admins); default: an owner, an admin and a standard member",
    )
    parser.add_argument(
        "--new-lead-every", type=_at_least(0.01, float), metavar="SECONDS", help="add a lead this often"
    )
    parser.add_argument(
        "--seed-leads", type=_at_least(0, int), default=100, metavar="N", help="leads to start with"
    )
    parser.add_argument(
        "--days", type=_at_least(0, float), default=90.0, help="spread seeded leads over N days"
    )
    parser.add_argument("--shape", choices=("rows", "array"), default="rows", help="fetch answer shape")
    parser.add_argument(
        "--latency", type=_at_least(0, float), default=0.0, metavar="S", help="added per request"
    )
    parser.add_argument("--rng-seed", type=int, default=0, help="seed of the generated leads")
    parser.add_argument("--nasty", action="store_true", help="include hostile values (<!channel>, huge text)")


def run_sandbox_command(args: argparse.Namespace, *, stop: threading.Event | None = None) -> int:
    """`leadbot sandbox`: serve until SIGINT/SIGTERM (or `stop`), printing what a client needs to connect."""
    sandbox = Sandbox(
        api_key=args.api_key,
        team=args.team_email or DEFAULT_TEAM,
        seed_leads=args.seed_leads,
        rng_seed=args.rng_seed,
        days=args.days,
        nasty=args.nasty,
        shape=args.shape,
        latency=args.latency,
        new_lead_every=args.new_lead_every,
    )
    try:
        sandbox.start(port=args.port)
    except OSError as error:
        print(
            f"Couldn't start the Heatpunk sandbox on port {args.port}: {error.strerror or error}.",
            file=sys.stderr,
        )
        return 1
    stop = stop or threading.Event()
    team = ", ".join(f"{email} ({role})" for email, role in sandbox.team.items())
    week_ago = (datetime.now(UTC) - timedelta(days=7)).date().isoformat()
    example = json.dumps({"userEmail": next(iter(sandbox.team), OWNER_EMAIL), "furthestDate": week_ago})
    try:
        with stopped_by_signals(stop):
            print(
                f"Heatpunk sandbox: {sandbox.lead_count} leads at {sandbox.base_url}\n"
                f"  HEATPUNK_BASE_URL={sandbox.base_url}\n"
                f"  HEATPUNK_API_KEY={sandbox.api_key}\n"
                f"  team: {team}\n"
                f"  try: curl -X POST '{sandbox.base_url}/leads/fetch' \\\n"
                f"         -H 'x-api-key: {sandbox.api_key}' -d '{example}'\n"
                "Press Ctrl+C to stop.",
                flush=True,
            )
            while not stop.wait(0.5):
                pass
    finally:
        sandbox.stop()
    print("Heatpunk sandbox stopped.", flush=True)
    return 0
