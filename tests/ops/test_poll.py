"""`leadbot poll --once`: exit codes and causes (the process itself: tests/alerts/test_processes.py)."""

from __future__ import annotations

import argparse
import json

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
from tests.support import CommandRun, run_command


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


def test_once_from_the_command_line_configured_by_the_environment(
    rig: Rig, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = PollProcess(rig, "once").settings_env

    def once(**changes: str) -> CommandRun:
        return run_command(["poll", "--once"], env | changes, rig.workdir, monkeypatch, capsys)

    first = once()
    assert first.code == EXIT_OK, first.out + first.err
    lead_id = rig.sandbox.add_lead()
    second = once()
    assert second.code == EXIT_OK, second.out + second.err
    assert "1 new" in second.out
    assert rig.alerted() == {lead_id: 1}
    broken = once(HEATPUNK_API_KEY="wrong-key")
    assert broken.code == EXIT_POLL_FAILED
    assert "API key" in broken.err
    assert "wrong-key" not in broken.err


def test_once_prints_no_secret_that_heatpunk_echoes(rig: Rig, capsys: pytest.CaptureFixture[str]) -> None:
    settings = rig.settings()
    secrets = [
        value.get_secret_value() for value in (settings.slack_signing_secret, settings.slack_bot_token)
    ]
    rig.sandbox.fail_next(count=10, status=400, body={"message": "Bad request from " + " ".join(secrets)})
    assert run_poll_command(once(), settings, tuning=FAST) == EXIT_POLL_FAILED
    printed = capsys.readouterr()
    assert "Bad request from" in printed.err
    for secret in secrets:
        assert secret not in printed.out + printed.err


def test_no_secret_in_a_lead_reaches_the_alert_channel(rig: Rig) -> None:
    settings = rig.settings()
    secrets = [
        value.get_secret_value()
        for value in (settings.slack_signing_secret, settings.slack_bot_token, settings.heatpunk_api_key)
        if value is not None
    ]
    assert run_poll_command(once(), settings, tuning=FAST) == EXIT_OK
    rig.sandbox.add_lead(customerName="Eve " + " ".join(secrets), address=" ".join(secrets))
    assert run_poll_command(once(), settings, tuning=FAST) == EXIT_OK
    sent = json.dumps([call.params for call in rig.slack.calls])
    assert "Eve" in sent
    for secret in secrets:
        assert secret not in sent
