"""`leadbot poll --once`: exit codes and causes, in-process and as a real process."""

from __future__ import annotations

import argparse

import pytest
from pydantic import SecretStr

from leadbot.ops.poll import (
    EXIT_OK,
    EXIT_POLL_FAILED,
    EXIT_SETUP,
    EXIT_UNSENT,
    add_poll_arguments,
    run_poll_command,
)
from tests.alerts.rig import FAST, PollProcess, Rig


def once() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_poll_arguments(parser)
    return parser.parse_args(["--once"])


def test_once_succeeds_and_says_what_it_did(rig: Rig, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_poll_command(once(), rig.settings(), tuning=FAST) == EXIT_OK
    assert "first run" in capsys.readouterr().out
    lead_id = rig.sandbox.add_lead()
    assert run_poll_command(once(), rig.settings(), tuning=FAST) == EXIT_OK
    assert "1 new" in capsys.readouterr().out
    assert rig.alerted() == {lead_id: 1}


def test_once_fails_with_the_cause(rig: Rig, capsys: pytest.CaptureFixture[str]) -> None:
    settings = rig.settings(heatpunk_api_key=SecretStr("wrong-key"))
    assert run_poll_command(once(), settings, tuning=FAST) == EXIT_POLL_FAILED
    err = capsys.readouterr().err
    assert "rejected leadbot's API key" in err
    assert "wrong-key" not in err


def test_once_reports_alerts_it_could_not_post(rig: Rig, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_poll_command(once(), rig.settings(), tuning=FAST) == EXIT_OK
    rig.sandbox.add_lead()
    rig.slack.go_down()
    assert run_poll_command(once(), rig.settings(), tuning=FAST) == EXIT_UNSENT
    assert "not posted yet" in capsys.readouterr().err
    rig.slack.come_back()
    assert run_poll_command(once(), rig.settings(), tuning=FAST) == EXIT_OK
    assert len(rig.alerted()) == 1


def test_once_names_missing_settings(rig: Rig, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_poll_command(once(), rig.settings(leadbot_alert_channel=None), tuning=FAST) == EXIT_SETUP
    assert "LEADBOT_ALERT_CHANNEL is missing" in capsys.readouterr().err


def test_once_as_a_real_process(rig: Rig) -> None:
    process = PollProcess(rig, "once")
    first = process.run("--once")
    assert first.returncode == 0, first.stdout + first.stderr
    lead_id = rig.sandbox.add_lead()
    second = process.run("--once")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "1 new" in second.stdout
    assert rig.alerted() == {lead_id: 1}
    broken = PollProcess(rig, "broken", HEATPUNK_API_KEY="wrong-key").run("--once")
    assert broken.returncode == EXIT_POLL_FAILED
    assert "API key" in broken.stderr
