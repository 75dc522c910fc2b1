"""Ack latency of /leads under a burst of concurrent commands, with Heatpunk fast vs. slow (2 s per call).

Runs a real `leadbot run` process against the fake Slack and the simulator on 127.0.0.1 and reports
p50 / p95 / max ack times for each case and their ratio (slow ÷ fast): acks must not wait for Heatpunk.

    .venv/bin/python -m bench.ack_under_load [--commands 50] [--latency 2]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from leadbot.sandbox.service import Sandbox
from tests.fakes.slack import BOT_TOKEN, SALES_EMAIL, SALES_USER, FakeSlack
from tests.scenarios.harness import LeadbotProcess


def burst(process: LeadbotProcess, fake: FakeSlack, commands: int) -> list[float]:
    """Sends `commands` slash commands at once; returns each ack's round trip in seconds."""
    with process.sender(fake) as slack:

        def one(n: int) -> float:
            started = time.perf_counter()
            assert slack.command(f"list {n % 7 + 1}d").status_code == 200
            return time.perf_counter() - started

        with ThreadPoolExecutor(max_workers=commands) as pool:
            return list(pool.map(one, range(commands)))


def summary(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))], ordered[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commands", type=int, default=50)
    parser.add_argument("--latency", type=float, default=2.0)
    args = parser.parse_args()
    fake = FakeSlack(bot_token=BOT_TOKEN).start()
    fake.add_user(SALES_USER, SALES_EMAIL, name="sales")
    sandbox = Sandbox(team=[SALES_EMAIL], seed_leads=500, days=30).start()
    with tempfile.TemporaryDirectory() as workdir:
        process = LeadbotProcess(fake, sandbox, Path(workdir)).start()
        try:
            burst(process, fake, 10)  # warm up
            fast = summary(burst(process, fake, args.commands))
            sandbox.latency = args.latency
            slow = summary(burst(process, fake, args.commands))
        finally:
            process.stop()
            fake.stop()
            sandbox.stop()
    print(f"{args.commands} concurrent /leads commands; ack round trip in ms (p50 / p95 / max)")
    print(f"  Heatpunk instant : {fast[0] * 1000:7.1f} / {fast[1] * 1000:7.1f} / {fast[2] * 1000:7.1f}")
    print(
        f"  Heatpunk {args.latency:g} s each: {slow[0] * 1000:7.1f} / {slow[1] * 1000:7.1f} / {slow[2] * 1000:7.1f}"
    )
    print(
        f"  ratio slow/fast  : {slow[0] / fast[0]:7.2f} / {slow[1] / fast[1]:7.2f} / {slow[2] / fast[2]:7.2f}"
    )


if __name__ == "__main__":
    main()
