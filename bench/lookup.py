"""`/leads show` of a lead from this week on a big account, against the full-window fetch every look-up used to pay.

Runs a real `leadbot run` process against the fake Slack and the simulator (N leads over 365 days) on 127.0.0.1.
Each round is a different person (their own email, so nothing of anyone else's is reused): their first `show`
(a cold look-up: the 7-day window), then the same `show` again (their fetch remembered), then a `find`, which
must scan the whole window. The baseline is the full-window fetch itself (what every look-up cost before), timed
in-process in the same run. Prints medians and the ratio show ÷ full fetch (target ≤ 0.10).

    .venv/bin/python -m bench.lookup [--leads 100000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr

from leadbot.heatpunk import HeatpunkClient, build_http_client
from leadbot.sandbox.service import Sandbox
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.scenarios.harness import LeadbotProcess

SEARCH_DAYS = 365
REPLY_TIMEOUT = 120.0


def replied_in(slack: SlackSender, fake: FakeSlack, text: str, user_id: str) -> float:
    """Seconds from sending the command to its reply arriving at the response_url."""
    started = time.perf_counter()
    assert slack.command(text, user_id=user_id).status_code == 200
    response_url = slack.sent[-1].response_url
    assert response_url is not None
    fake.wait_for_response(response_url, timeout=REPLY_TIMEOUT)
    return time.perf_counter() - started


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def timed(run: Callable[[], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    people = [(f"U0BENCH{n:02d}", f"bench{n}@example.com") for n in range(args.rounds)]
    started = time.perf_counter()
    sandbox = Sandbox(team={email: "owner" for _, email in people}, seed_leads=args.leads, days=SEARCH_DAYS)
    sandbox.start()
    recent = sandbox.add_lead(customerName="Bench Recent", dateCreated=datetime.now(UTC) - timedelta(days=3))
    print(
        f"simulator: {sandbox.lead_count:,} leads over {SEARCH_DAYS} days ({time.perf_counter() - started:.1f} s to seed)"
    )
    fake = FakeSlack(bot_token=BOT_TOKEN).start()
    for user_id, email in people:
        fake.add_user(user_id, email, name=user_id.lower())
    http = build_http_client(REPLY_TIMEOUT)
    client = HeatpunkClient(http, sandbox.base_url, SecretStr(sandbox.api_key))
    furthest = datetime.now(UTC).date() - timedelta(days=SEARCH_DAYS)
    cold, warm, finds = [], [], []
    with tempfile.TemporaryDirectory() as workdir:
        process = LeadbotProcess(
            fake,
            sandbox,
            Path(workdir),
            HEATPUNK_TIMEOUT_SECONDS=str(REPLY_TIMEOUT),
            LEADBOT_SEARCH_DAYS=str(SEARCH_DAYS),
            LEADBOT_LOG_LEVEL="INFO",
        ).start()
        try:
            full_leads = len(client.fetch(people[0][1], furthest))  # warm up the simulator and the client
            full = timed(lambda: client.fetch(people[0][1], furthest), args.rounds)
            with process.sender(fake) as slack:
                replied_in(slack, fake, "list 1d", people[0][0])  # warm up leadbot (imports, the store)
                for user_id, _ in people:
                    cold.append(replied_in(slack, fake, f"show {recent}", user_id))
                    warm.append(replied_in(slack, fake, f"show {recent}", user_id))
                    finds.append(replied_in(slack, fake, "find Bench Recent", user_id))
        finally:
            process.stop()
            fake.stop()
            sandbox.stop()
            http.close()
    print(
        f"full-window fetch ({SEARCH_DAYS} days, {full_leads:,} leads, in-process): median {median_ms(full):7.0f} ms"
    )
    print(f"/leads show, lead from this week, first look-up (7-day fetch): median {median_ms(cold):7.0f} ms")
    print(f"/leads show, same person again (their fetch remembered):       median {median_ms(warm):7.0f} ms")
    print(
        f"/leads find (scans the whole {SEARCH_DAYS}-day window):               median {median_ms(finds):7.0f} ms"
    )
    print(
        f"ratio show ÷ full fetch: first {statistics.median(cold) / statistics.median(full):.3f}, "
        f"again {statistics.median(warm) / statistics.median(full):.3f} (target ≤ 0.10)"
    )
    print(f"ratio find ÷ full fetch: {statistics.median(finds) / statistics.median(full):.2f}")


if __name__ == "__main__":
    main()
