"""`leadbot check` against the fake Slack, the Heatpunk simulator and real databases, one failure at a time."""

from __future__ import annotations

import argparse
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from slack_sdk import WebClient
from sqlalchemy import create_engine, text

from leadbot.heatpunk import HeatpunkClient, build_http_client
from leadbot.ops import check_texts as t
from leadbot.ops.check import Check, render, run_check_command, run_checks
from leadbot.sandbox.service import Sandbox
from leadbot.settings import Settings
from leadbot.store import Store
from leadbot.store.engine import make_engine
from tests.fakes.heatpunk_fixtures import OUTSIDER_EMAIL, SANDBOX_KEY, TEAM_EMAIL
from tests.fakes.slack import ALERTS_CHANNEL, APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.support import run_command

UNREACHABLE_DB = "postgresql+psycopg://leadbot:db-password-123@127.0.0.1:1/leadbot"


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def settings(fake_slack: FakeSlack, sandbox: Sandbox, sqlite_url: str) -> Settings:
    """Settings for HTTP mode pointing at the fakes, where every check passes."""
    return Settings(
        _env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        heatpunk_api_key=SANDBOX_KEY,
        heatpunk_base_url=sandbox.base_url,
        leadbot_alert_channel=ALERTS_CHANNEL,
        leadbot_poll_email=TEAM_EMAIL,
        database_url=sqlite_url,
    )


@pytest.fixture
def slack(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)


def checks(
    settings: Settings,
    slack: WebClient | None,
    heatpunk: HeatpunkClient | None,
    **changes: Any,
) -> dict[str, Check]:
    found = run_checks(
        settings.model_copy(update=changes), slack=slack, heatpunk=heatpunk, clock=now, open_store=Store.open
    )
    return {check.name: check for check in found}


def command(settings: Settings, *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sandbox", action="store_true")
    out = io.StringIO()
    code = run_check_command(parser.parse_args(argv), settings, out=out, clock=now)
    return code, out.getvalue()


def test_all_pass_exit_0_and_no_secret_printed(settings: Settings, fake_slack: FakeSlack) -> None:
    code, out = command(settings)
    assert code == 0, out
    assert out.count("✓") == 6
    assert t.SUMMARY_OK.format(total=6) in out
    for secret in (BOT_TOKEN, SIGNING_SECRET, SANDBOX_KEY):
        assert secret not in out
    assert fake_slack.messages(ALERTS_CHANNEL) == []  # the test message was deleted


def test_a_failure_exits_1_with_its_fix_beside_it(settings: Settings, fake_slack: FakeSlack) -> None:
    fake_slack.revoke_scope("users:read.email")
    code, out = command(settings)
    assert code == 1
    lines = out.splitlines()
    failed = next(i for i, line in enumerate(lines) if line.startswith("✗"))
    assert lines[failed].startswith(f"✗ {t.SLACK_SCOPES}: ")
    assert lines[failed + 1] == f"    → {t.SCOPES_FIX.format(scopes='users:read.email')}"
    assert t.SUMMARY_FAILED.format(failed=1, total=6) in out


def test_names_each_missing_scope(
    settings: Settings, slack: WebClient, heatpunk_client: HeatpunkClient, fake_slack: FakeSlack
) -> None:
    fake_slack.revoke_scope("users:read.email", "commands")
    scopes = checks(settings, slack, heatpunk_client)[t.SLACK_SCOPES]
    assert not scopes.ok
    for scope in ("users:read.email", "commands"):
        assert t.SCOPE_MISSING.format(scope=scope, purpose=t.SCOPES[scope]) in scopes.detail
    assert scopes.fix == t.SCOPES_FIX.format(scopes="commands, users:read.email")


@pytest.mark.parametrize(
    ("token", "sentence", "fix", "error"),
    [
        ("xoxb-not-the-right-one", t.TOKEN_INVALID, t.TOKEN_INVALID_FIX, "invalid_auth"),
        (APP_TOKEN, t.WRONG_TOKEN_TYPE, t.WRONG_TOKEN_TYPE_FIX, "not_allowed_token_type"),
    ],
)
def test_bad_token(
    settings: Settings,
    fake_slack: FakeSlack,
    heatpunk_client: HeatpunkClient,
    token: str,
    sentence: str,
    fix: str,
    error: str,
) -> None:
    found = checks(settings, WebClient(token=token, base_url=fake_slack.api_url), heatpunk_client)
    assert found[t.SLACK_TOKEN] == Check(t.SLACK_TOKEN, False, sentence.format(error=error), fix)
    assert found[t.SLACK_SCOPES].skipped
    assert found[t.ALERT_CHANNEL].skipped
    assert found[t.HEATPUNK].ok


def test_revoked_token(
    settings: Settings, slack: WebClient, heatpunk_client: HeatpunkClient, fake_slack: FakeSlack
) -> None:
    fake_slack.revoke_token()
    token = checks(settings, slack, heatpunk_client)[t.SLACK_TOKEN]
    assert token == Check(
        t.SLACK_TOKEN, False, t.TOKEN_REVOKED.format(error="token_revoked"), t.TOKEN_REVOKED_FIX
    )


def test_slack_unreachable(
    settings: Settings, slack: WebClient, heatpunk_client: HeatpunkClient, fake_slack: FakeSlack
) -> None:
    fake_slack.go_down()
    token = checks(settings, slack, heatpunk_client)[t.SLACK_TOKEN]
    assert not token.ok
    assert token.detail.startswith(t.SLACK_UNREACHABLE.split("{")[0])
    assert token.fix == t.SLACK_UNREACHABLE_FIX


@pytest.mark.parametrize(
    ("channel", "sentence", "fix"),
    [
        (None, t.CHANNEL_NOT_FOUND, t.CHANNEL_NOT_FOUND_FIX),  # a channel Slack doesn't know
        ({"is_private": True, "is_member": False}, t.CHANNEL_NOT_FOUND, t.CHANNEL_NOT_FOUND_FIX),
        ({"is_archived": True}, t.CHANNEL_ARCHIVED, t.CHANNEL_ARCHIVED_FIX),
    ],
)
def test_channel_leadbot_cannot_post_in(
    settings: Settings,
    slack: WebClient,
    heatpunk_client: HeatpunkClient,
    fake_slack: FakeSlack,
    channel: dict[str, bool] | None,
    sentence: str,
    fix: str,
) -> None:
    if channel is not None:
        fake_slack.add_channel("C0OTHER", "other", **channel)
    found = checks(settings, slack, heatpunk_client, leadbot_alert_channel="C0OTHER")[t.ALERT_CHANNEL]
    assert found == Check(t.ALERT_CHANNEL, False, sentence.format(channel="C0OTHER"), fix)


def test_public_channel_without_the_bot_needs_chat_write_public(
    settings: Settings, slack: WebClient, heatpunk_client: HeatpunkClient, fake_slack: FakeSlack
) -> None:
    fake_slack.add_channel("C0PUBLIC", "public", is_member=False)
    passed = checks(settings, slack, heatpunk_client, leadbot_alert_channel="C0PUBLIC")[t.ALERT_CHANNEL]
    assert passed == Check(t.ALERT_CHANNEL, True, t.CHANNEL_OK.format(channel="C0PUBLIC"))
    assert {call.method for call in fake_slack.calls} >= {"chat.postMessage", "chat.delete"}
    assert not fake_slack.calls_to("conversations.join")  # no channels:join: chat:write.public instead

    fake_slack.revoke_scope("chat:write.public")
    found = checks(settings, slack, heatpunk_client, leadbot_alert_channel="C0PUBLIC")[t.ALERT_CHANNEL]
    assert found == Check(
        t.ALERT_CHANNEL, False, t.NOT_IN_CHANNEL.format(channel="C0PUBLIC"), t.NOT_IN_CHANNEL_FIX
    )


def test_private_channel_with_the_bot(settings: Settings, slack: WebClient, fake_slack: FakeSlack) -> None:
    fake_slack.add_channel("G0PRIVATE", "private", is_private=True)
    found = checks(settings, slack, None, leadbot_alert_channel="G0PRIVATE")[t.ALERT_CHANNEL]
    assert found.ok


def test_alerts_off_and_no_token_are_skipped(settings: Settings) -> None:
    found = checks(settings, None, None, leadbot_alert_channel=None, slack_bot_token=None)
    assert [found[name].skipped for name in (t.SLACK_TOKEN, t.SLACK_SCOPES, t.ALERT_CHANNEL)] == [True] * 3
    assert found[t.ALERT_CHANNEL].detail == t.ALERTS_OFF
    assert not found[t.SETTINGS].ok  # SLACK_BOT_TOKEN is missing


def test_key_refused(settings: Settings, slack: WebClient, sandbox: Sandbox) -> None:
    with build_http_client(1.0) as http:
        client = HeatpunkClient(
            http, sandbox.base_url, SecretStr("hp-wrong-key-000000"), backoff_seconds=0.01
        )
        found = checks(settings, slack, client)[t.HEATPUNK]
    assert found == Check(t.HEATPUNK, False, t.KEY_REFUSED, t.KEY_REFUSED_FIX)


def test_email_without_access(settings: Settings, slack: WebClient, heatpunk_client: HeatpunkClient) -> None:
    found = checks(settings, slack, heatpunk_client, leadbot_poll_email=OUTSIDER_EMAIL)[t.HEATPUNK]
    assert found == Check(
        t.HEATPUNK,
        False,
        t.EMAIL_NO_ACCESS.format(email=OUTSIDER_EMAIL),
        t.EMAIL_NO_ACCESS_FIX.format(email=OUTSIDER_EMAIL),
    )


@pytest.mark.parametrize("how", ["stopped", "error 503"])
def test_api_down(
    settings: Settings, slack: WebClient, heatpunk_client: HeatpunkClient, sandbox: Sandbox, how: str
) -> None:
    if how == "stopped":
        sandbox.stop()
    else:
        sandbox.fail_next(count=3, status=503)
    found = checks(settings, slack, heatpunk_client)[t.HEATPUNK]
    assert not found.ok
    assert found.detail.startswith(t.HEATPUNK_DOWN.format(url=settings.heatpunk_base_url, message=""))
    assert found.fix == t.HEATPUNK_DOWN_FIX


def test_heatpunk_answers(settings: Settings, slack: WebClient, heatpunk_client: HeatpunkClient) -> None:
    found = checks(settings, slack, heatpunk_client)[t.HEATPUNK]
    assert found.ok
    assert TEAM_EMAIL in found.detail


def test_sandbox_needs_no_key(settings: Settings) -> None:
    code, out = command(settings.model_copy(update={"heatpunk_api_key": None}), "--sandbox")
    assert code == 0, out
    assert f"– {t.HEATPUNK}: {t.SANDBOX}" in out
    code, out = command(settings.model_copy(update={"heatpunk_api_key": None}))
    assert code == 1
    assert f"– {t.HEATPUNK}: {t.NOT_CHECKED_NO_KEY}" in out


def test_database_reachable_and_migrated(settings: Settings, database_url: str) -> None:
    found = checks(settings, None, None, database_url=database_url, slack_bot_token=None)[t.DATABASE]
    assert found.ok, found.detail
    store = Store(make_engine(database_url))  # read as it is, not migrated again
    assert store.is_current()
    store.close()


def test_database_unreachable(settings: Settings) -> None:
    code, out = command(settings.model_copy(update={"database_url": UNREACHABLE_DB}))
    assert code == 1
    assert (
        "✗ Database: Couldn't open the database at postgresql+psycopg://leadbot:***@127.0.0.1:1/leadbot"
        in out
    )
    assert f"    → {t.DATABASE_UNREACHABLE_FIX}" in out
    assert "db-password-123" not in out


def test_database_from_a_newer_leadbot(settings: Settings, sqlite_url: str) -> None:
    Store.open(sqlite_url).close()
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    engine.dispose()
    found = checks(settings, None, None, database_url=sqlite_url, slack_bot_token=None)[t.DATABASE]
    assert not found.ok
    assert found.fix == t.DATABASE_NEWER_FIX


def test_render_marks() -> None:
    text_ = render(
        [
            Check("A", True, "fine"),
            Check("B", False, "broken", "mend it"),
            Check("C", True, "n/a", skipped=True),
        ]
    )
    assert text_.splitlines() == [
        t.CHECK_HEADER,
        "✓ A: fine",
        "✗ B: broken",
        "    → mend it",
        "– C: n/a",
        t.SUMMARY_FAILED.format(failed=1, total=3),
    ]


def test_socket_mode_token_works(
    settings: Settings, slack: WebClient, heatpunk_client: HeatpunkClient, socket_mode: object
) -> None:
    found = checks(settings, slack, heatpunk_client, slack_app_token=SecretStr(APP_TOKEN))
    assert found[t.SOCKET_MODE].ok
    assert found[t.SOCKET_MODE].detail == t.APP_TOKEN_OK


@pytest.mark.parametrize("token", [BOT_TOKEN, "xapp-1-not-the-real-one"])
def test_socket_mode_token_refused(
    settings: Settings, slack: WebClient, heatpunk_client: HeatpunkClient, token: str
) -> None:
    found = checks(settings, slack, heatpunk_client, slack_app_token=SecretStr(token))
    assert not found[t.SOCKET_MODE].ok
    assert found[t.SOCKET_MODE].fix == t.APP_TOKEN_FIX
    assert token not in found[t.SOCKET_MODE].detail


def test_no_socket_mode_check_in_http_mode(
    settings: Settings, slack: WebClient, heatpunk_client: HeatpunkClient
) -> None:
    assert t.SOCKET_MODE not in checks(settings, slack, heatpunk_client)


def test_the_command_prints_the_checklist_and_no_migration_lines(
    settings: Settings,
    tmp_path: Path,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`leadbot check` on a new database: the migrations run, but Alembic's INFO lines stay out."""
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.api_url,
        "HEATPUNK_API_KEY": SANDBOX_KEY,
        "HEATPUNK_BASE_URL": settings.heatpunk_base_url,
        "LEADBOT_ALERT_CHANNEL": ALERTS_CHANNEL,
        "LEADBOT_POLL_EMAIL": TEAM_EMAIL,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}",
        "LEADBOT_LOG_LEVEL": "INFO",
    }
    done = run_command(["check"], env, tmp_path, monkeypatch, capsys)
    assert done.code == 0, done.out + done.err
    assert done.out.splitlines()[-1] == t.SUMMARY_OK.format(total=6)
    assert "alembic" not in done.out + done.err
    assert done.err == ""
