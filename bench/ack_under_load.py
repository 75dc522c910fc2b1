"""Ack latency of /leads under a burst of concurrent commands, next to its floor: a bare Bolt app that only acks.

In one run, on 127.0.0.1, against the fake Slack: a real `leadbot run` process (at its production log level,
INFO) and a bare Bolt app in a process of its own, served the same way (waitress, 16 threads, the same signing
secret, the same fake Slack API URL), whose `/leads` listener only calls `ack()`. Each gets bursts of
`--commands` signed `/leads list` from as many people at once, with Heatpunk (the simulator as `leadbot
sandbox`, a process of its own) answering instantly and then in `--latency` s. The commands are sent and timed
from a stopwatch process of its own, so neither the clock nor the servers wait on one another's GIL. Prints
p50 / p95 / p99 / max of the ack round trips for both and leadbot ÷ bare, and for leadbot the reply's times
(its response_url POST reaching the fake Slack, from send).

    .venv/bin/python -m bench.ack_under_load [--commands 50] [--latency 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress.server import create_server

from leadbot.process.http import SERVER_THREADS
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.fakes.slack_requests import SlackSender, sign, slash_command_body
from tests.scenarios.harness import LeadbotProcess
from tests.support import free_port, local_env, wait_until

PEOPLE = 50


@dataclass(frozen=True)
class Sample:
    """One command: how long its ack took, and its response_url (to find its reply in the fake Slack)."""

    sent_at: float
    ack: float
    response_url: str


def person(n: int) -> tuple[str, str]:
    """The Slack user ID and email of the n-th person sending commands."""
    return f"U{n:08d}", f"person{n}@example.com"


def burst_bodies(fake: FakeSlack, commands: int) -> list[tuple[bytes, str]]:
    """`commands` signed-to-be /leads list bodies, each from its own person, with its response_url."""
    bodies = []
    for n in range(commands):
        user_id, _ = person(n % PEOPLE)
        response_url = fake.new_response_url()
        body = slash_command_body(
            f"list {n % 7 + 1}d", user_id=user_id, response_url=response_url, trigger_id=fake.new_trigger_id()
        )
        bodies.append((body, response_url))
    return bodies


def send_burst(url: str, bodies: list[bytes]) -> list[tuple[float, float]]:
    """Posts every body at once, signed; returns (sent at, ack seconds) per body, in order."""
    with httpx.Client(timeout=30, trust_env=False, limits=httpx.Limits(max_connections=len(bodies))) as http:

        def one(body: bytes) -> tuple[float, float]:
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, SIGNING_SECRET)}
            started = time.monotonic()
            answer = http.post(url, content=body, headers=headers)
            acked = time.monotonic() - started
            if answer.status_code != 200:
                raise RuntimeError(f"{answer.status_code}: {answer.text}")
            return started, acked

        with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
            return list(pool.map(one, bodies))


class Stopwatch:
    """The clients, in a process of their own (`--stopwatch`), so their clock does not wait on the GIL of the
    process that also serves the Heatpunk simulator and the fake Slack (in production those are other machines).

    Reads a JSON line (url, bodies) on stdin, answers a JSON line of (sent at, ack seconds); time.monotonic is
    one clock across processes on Linux, so the fake Slack's reply times compare with it.
    """

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.ack_under_load", "--stopwatch"],
            env=local_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def burst(self, url: str, fake: FakeSlack, commands: int) -> list[Sample]:
        bodies = burst_bodies(fake, commands)
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        request = {"url": url, "bodies": [body.decode() for body, _ in bodies]}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        times = json.loads(self.process.stdout.readline())
        return [Sample(sent, ack, rurl) for (sent, ack), (_, rurl) in zip(times, bodies, strict=True)]

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(10)


def run_stopwatch() -> None:
    """The stopwatch process: one burst per line on stdin, its times as a line on stdout."""
    for line in sys.stdin:
        request = json.loads(line)
        times = send_burst(request["url"], [body.encode() for body in request["bodies"]])
        print(json.dumps(times), flush=True)


def percentiles(values: list[float]) -> tuple[float, float, float, float]:
    """p50, p95, p99 and max (nearest rank), in ms."""
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] * 1000

    return at(0.50), at(0.95), at(0.99), ordered[-1] * 1000


def reply_times(fake: FakeSlack, samples: list[Sample], timeout: float = 60.0) -> list[float]:
    """Seconds from each command's send to its reply's arrival at the fake Slack (first POST to its URL)."""
    wanted = {sample.response_url: sample for sample in samples}
    wait_until(
        lambda: wanted.keys() <= {post.url for post in fake.responses},
        timeout=timeout,
        what="every reply",
    )
    first: dict[str, float] = {}
    for post in fake.responses:
        if post.url in wanted:
            first.setdefault(post.url, post.time)
    return [first[url] - sample.sent_at for url, sample in wanted.items()]


# ---- the bare app, in a process of its own (`--serve-bare PORT API_URL`)


def serve_bare(port: int, api_url: str) -> None:
    """A Bolt app whose /leads only acks, on waitress as leadbot is served; runs until killed."""
    app = App(
        client=WebClient(token=BOT_TOKEN, base_url=api_url),
        signing_secret=SIGNING_SECRET,
        token_verification_enabled=False,
    )

    @app.command("/leads")
    def only_ack(ack: Ack) -> None:
        ack()

    handler = SlackRequestHandler(app)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is 7" under a burst
    create_server(handler, host="127.0.0.1", port=port, threads=SERVER_THREADS, ident="bare").run()


class BareProcess:
    """The bare app as a process, with the url a sender posts to."""

    def __init__(self, fake: FakeSlack) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.ack_under_load", "--serve-bare", str(self.port), fake.api_url],
            env=local_env(),
        )

    def wait_up(self, sender: SlackSender) -> None:
        def up() -> bool:
            try:
                return sender.post(b"", signing="none").status_code == 401
            except Exception:
                return False

        wait_until(up, timeout=30, what="the bare app to answer")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class SimulatorProcess:
    """The Heatpunk simulator as `leadbot sandbox` in a process of its own: 50 answers due at the same moment
    are then served as a real API serves them, not one at a time on the GIL of the process holding the fakes."""

    def __init__(self, team: list[str], latency: float) -> None:
        self.port = free_port()
        self.api_key = "bench-key"
        command = [sys.executable, "-m", "leadbot", "sandbox", "--port", str(self.port), "--api-key"]
        command += [self.api_key, "--seed-leads", "500", "--days", "30", "--latency", str(latency)]
        self.process = subprocess.Popen(
            [*command, "--team-email", *team], env=local_env(), stdout=subprocess.PIPE
        )
        self.settings = {
            "HEATPUNK_BASE_URL": f"http://127.0.0.1:{self.port}",
            "HEATPUNK_API_KEY": self.api_key,
        }

    def __enter__(self) -> SimulatorProcess:
        assert self.process.stdout is not None
        for line in self.process.stdout:  # it prints its settings once it listens
            if b"HEATPUNK_BASE_URL=" in line:
                return self
        raise RuntimeError("the simulator did not start")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(10)


# ---- the run


def row(name: str, figures: tuple[float, ...]) -> str:
    return f"  {name:<22}" + " / ".join(f"{value:7.1f}" for value in figures)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commands", type=int, default=50)
    parser.add_argument("--latency", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3, help="bursts per case (their samples pooled)")
    parser.add_argument("--serve-bare", nargs=2, metavar=("PORT", "API_URL"), help=argparse.SUPPRESS)
    parser.add_argument("--stopwatch", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stopwatch:
        run_stopwatch()
        return
    if args.serve_bare:
        serve_bare(int(args.serve_bare[0]), args.serve_bare[1])
        return
    fake = FakeSlack(bot_token=BOT_TOKEN).start()
    emails = []
    for n in range(PEOPLE):
        user_id, email = person(n)
        fake.add_user(user_id, email, name=f"person{n}")
        emails.append(email)
    results: dict[str, dict[str, list[float]]] = {}
    bare, stopwatch = BareProcess(fake), Stopwatch()
    bare_url = f"{bare.url}/slack/events"
    try:
        with SlackSender(bare.url, SIGNING_SECRET, fake) as probe:
            bare.wait_up(probe)
        for latency in (0.0, args.latency):
            case = results.setdefault(f"{latency:g}", {"leadbot": [], "bare": [], "reply": []})
            with tempfile.TemporaryDirectory() as workdir, SimulatorProcess(emails, latency) as simulator:
                leadbot = LeadbotProcess(
                    fake, None, Path(workdir), LEADBOT_LOG_LEVEL="INFO", **simulator.settings
                ).start()
                leadbot_url = f"{leadbot.url}/slack/events"
                try:
                    for url in (leadbot_url, bare_url):  # warm up
                        stopwatch.burst(url, fake, 10)
                    time.sleep(latency + 1)
                    for _ in range(args.rounds):
                        samples = stopwatch.burst(leadbot_url, fake, args.commands)
                        case["leadbot"] += [sample.ack for sample in samples]
                        case["reply"] += reply_times(fake, samples)
                        time.sleep(0.5)
                        case["bare"] += [
                            sample.ack for sample in stopwatch.burst(bare_url, fake, args.commands)
                        ]
                finally:
                    leadbot.stop()
    finally:
        stopwatch.stop()
        bare.stop()
        fake.stop()
    print(
        f"{args.commands} concurrent signed /leads list from {PEOPLE} people, {args.rounds} bursts per case;"
        " ms, p50 / p95 / p99 / max"
    )
    for latency, case in results.items():
        ours, floor = percentiles(case["leadbot"]), percentiles(case["bare"])
        replies = percentiles(case["reply"])
        print(f"Heatpunk answering in {latency} s:")
        print(row("leadbot ack", ours))
        print(row("bare Bolt ack", floor))
        print(
            "  leadbot ÷ bare        " + " / ".join(f"{a / b:7.2f}" for a, b in zip(ours, floor, strict=True))
        )
        over = replies[1] - float(latency) * 1000
        print(row("leadbot reply", replies) + f"   (p95 − API latency: {over:.0f} ms)")


if __name__ == "__main__":
    main()
