"""A burst of new leads in one poll cycle: how many messages reach the channel, how fast, how paced.

Runs the simulator and the fake Slack on 127.0.0.1, a real store (SQLite file) and the alert service as
production builds it (production pacing: 1 message a second a channel; Slack's retry handlers). One 429 with
Retry-After is injected on the first post of the burst. Prints the message count, the time from the cycle's
start to the last message, the most messages in any 1 s window per channel, and the 429s seen and handled.

    .venv/bin/python -m bench.burst [--leads 500] [--retry-after 1]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from leadbot import ids
from leadbot.alerts import Tuning
from leadbot.sandbox.service import Sandbox
from tests.alerts.rig import Rig
from tests.fakes.heatpunk_fixtures import SANDBOX_KEY
from tests.fakes.slack import FakeSlack
from tests.fakes.slack_fixtures import PROXY_VARIABLES


def most_in_a_second(times: list[float]) -> int:
    """The most arrivals in any window of 1 s (closed at its start, open at its end)."""
    return max((sum(1 for t in times if start <= t < start + 1.0) for start in times), default=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=500)
    parser.add_argument(
        "--retry-after", type=int, default=1, help="seconds in the injected 429's Retry-After"
    )
    args = parser.parse_args()
    for name in PROXY_VARIABLES:
        os.environ.pop(name, None)
    sandbox = Sandbox(api_key=SANDBOX_KEY, seed_leads=20, days=7).start()
    with FakeSlack.usual() as slack, tempfile.TemporaryDirectory() as workdir:
        rig = Rig(sandbox, slack, f"sqlite:///{Path(workdir) / 'bench.db'}", Path(workdir))
        try:
            service = rig.service(tuning=Tuning())  # production pacing and retries
            assert service.run_once().ok  # first run: one line
            added = [sandbox.add_lead() for _ in range(args.leads)]
            slack.rate_limit_next("chat.postMessage", retry_after=args.retry_after)
            before = len(slack.calls)
            started = time.monotonic()
            store = rig.store()
            for _ in range(60):
                service.run_once()
                if store.unsent_count() == 0:
                    break
            posts = [call for call in slack.calls[before:] if call.method == "chat.postMessage"]
            alerted = rig.alerted()
        finally:
            rig.close()
            sandbox.stop()
    delivered = [call for call in posts if call.ok]
    limited = [call for call in posts if call.status == 429]
    per_channel: dict[str, list[float]] = {}
    for call in delivered:
        per_channel.setdefault(str(call.params.get("channel")), []).append(call.time)
    digests = [
        c for c in delivered if (c.params.get("metadata") or {}).get("event_type") == ids.ALERT_EVENT_TYPE
    ]
    counts = Counter(alerted)
    lost = [lead for lead in added if counts[lead] == 0]
    repeated = [lead for lead in added if counts[lead] > 1]
    print(f"burst: {args.leads} new leads in one cycle")
    kinds = Counter(
        str((c.params.get("metadata") or {}).get("event_payload", {}).get("kind")) for c in delivered
    )
    print(f"messages: {len(digests)} digests (posts by kind: {dict(kinds)})")
    print(f"time to last message: {max(c.time for c in delivered) - started:.1f} s (from the cycle's start)")
    print(
        "max messages in any 1 s per channel: "
        + ", ".join(f"{channel} {most_in_a_second(times)}" for channel, times in per_channel.items())
    )
    print(f"429s seen: {len(limited)}, handled (the post then arrived): {len(limited) if not lost else 0}")
    refused = [f"{c.status} {c.response.get('error')}" for c in posts if not c.ok and c.status != 429]
    print(f"posts refused otherwise: {refused or 0}")
    print(f"leads lost: {len(lost)}, repeated: {len(repeated)}")


if __name__ == "__main__":
    main()
