"""`leadbot run | poll --once | check | manifest | sandbox`: parse arguments, load settings, hand over."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from leadbot import __version__
from leadbot.settings import SettingsError, load_settings, require

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    from leadbot.ops.check import add_check_arguments
    from leadbot.ops.manifest import add_manifest_arguments
    from leadbot.ops.poll import add_poll_arguments
    from leadbot.sandbox.service import add_sandbox_arguments

    parser = argparse.ArgumentParser(prog="leadbot", description="Heatpunk / Easy PV leads in Slack.")
    parser.add_argument("--version", action="version", version=f"leadbot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="serve Slack (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)")
    run.add_argument(
        "--sandbox", action="store_true", help="try leadbot on a built-in simulated API with demo leads"
    )
    add_poll_arguments(
        commands.add_parser("poll", help="run the new-lead poller (--once: one cycle, for cron)")
    )
    add_check_arguments(
        commands.add_parser("check", help="check the Slack app, channel, API key and database")
    )
    add_manifest_arguments(commands.add_parser("manifest", help="print the Slack app manifest"))
    add_sandbox_arguments(commands.add_parser("sandbox", help="serve the simulated Heatpunk API"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return dispatch(args)
    except SettingsError as error:
        print(error.render(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "sandbox":
        from leadbot.sandbox.service import run_sandbox_command

        return run_sandbox_command(args)
    if args.command == "manifest":
        from leadbot.ops.manifest import run_manifest_command

        return run_manifest_command(args)
    settings = load_settings()
    from leadbot.process.logs import configure_from_settings

    configure_from_settings(settings)
    if args.command == "run":
        from leadbot.runtime import Runtime

        require(settings.problems_for_run(sandbox=args.sandbox))
        Runtime(settings, sandbox=args.sandbox).run_until_signalled()
        return 0
    if args.command == "poll":
        from leadbot.ops.poll import run_poll_command

        return run_poll_command(args, settings)
    from leadbot.ops.check import run_check_command

    return run_check_command(args, settings)
