"""Settings: read from the environment and .env, secrets hidden, every problem listed in words."""

import pytest

from leadbot.settings import DEFAULT_STATUSES, SettingsError, load_settings
from tests.support import run_command


def test_defaults_match_the_documented_table() -> None:
    settings = load_settings(env_file=None)
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.heatpunk_base_url == "https://heatpunk.co.uk/api/v1"
    assert settings.leadbot_poll_seconds == 60
    assert settings.database_url == "sqlite:///leadbot.db"
    assert settings.port == 3000
    assert settings.leadbot_statuses == DEFAULT_STATUSES
    assert settings.leadbot_alert_channel is None
    assert not settings.socket_mode


def test_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADBOT_POLL_SECONDS", "1")
    monkeypatch.setenv("LEADBOT_ADMINS", "U1, U2 ,,")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-secret")
    settings = load_settings(env_file=None)
    assert settings.leadbot_poll_seconds == 1
    assert settings.leadbot_admins == ("U1", "U2")
    assert settings.socket_mode


def test_reads_a_dotenv_file(tmp_path) -> None:
    env = tmp_path / ".env"
    env.write_text("HEATPUNK_API_KEY=from-dotenv\nLEADBOT_STATUSES=new,Won\n")
    settings = load_settings(env_file=str(env))
    assert settings.heatpunk_api_key is not None
    assert settings.heatpunk_api_key.get_secret_value() == "from-dotenv"
    assert settings.leadbot_statuses == ("new", "Won")


def test_secrets_never_appear_in_repr_or_str() -> None:
    settings = load_settings(
        env_file=None,
        slack_bot_token="xoxb-very-secret",
        slack_signing_secret="signing-very-secret",
        heatpunk_api_key="api-very-secret",
    )
    for shown in (repr(settings), str(settings), settings.model_dump_json()):
        assert "very-secret" not in shown


def test_every_invalid_setting_is_listed_with_its_fix() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None, leadbot_poll_seconds="0.5", port="99999", heatpunk_base_url="ftp://x")
    message = str(caught.value)
    assert "LEADBOT_POLL_SECONDS" in message
    assert "PORT" in message
    assert "HEATPUNK_BASE_URL" in message
    assert len(caught.value.problems) == 3


def test_invalid_secret_values_are_not_echoed() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None, port="not-a-port-secret")
    assert "not-a-port-secret" not in str(caught.value)


def test_run_needs_tokens_key_and_signing_secret() -> None:
    problems = load_settings(env_file=None).problems_for_run()
    names = " ".join(problems)
    assert "SLACK_BOT_TOKEN" in names
    assert "SLACK_SIGNING_SECRET" in names
    assert "HEATPUNK_API_KEY" in names


def test_socket_mode_needs_no_signing_secret_and_sandbox_no_key() -> None:
    settings = load_settings(env_file=None, slack_bot_token="xoxb-1", slack_app_token="xapp-1")
    assert settings.problems_for_run(sandbox=True) == []


def test_alerts_need_a_poll_email() -> None:
    settings = load_settings(
        env_file=None,
        slack_bot_token="xoxb-1",
        slack_signing_secret="s",
        heatpunk_api_key="k",
        leadbot_alert_channel="C1",
    )
    assert any("LEADBOT_POLL_EMAIL" in problem for problem in settings.problems_for_run())


def test_the_program_stops_with_one_readable_message(tmp_path, monkeypatch, capsys) -> None:
    env = {"LEADBOT_POLL_SECONDS": "zero", "PORT": "-1"}
    done = run_command(["run"], env, tmp_path, monkeypatch, capsys)  # raising would fail the test
    assert done.code == 2
    assert "LEADBOT_POLL_SECONDS" in done.err
    assert "PORT" in done.err


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LEADBOT_POLL_SECONDS", "inf"),  # a thread can't wait that long: the poller died at its first wait
        ("HEATPUNK_TIMEOUT_SECONDS", "1e300"),
        ("LEADBOT_SEARCH_DAYS", "10000000"),  # before year 1: every /leads find raised OverflowError
        ("LEADBOT_EMAIL_CACHE_SECONDS", str(10**15)),  # a timedelta that big: leadbot failed to build
        ("DATABASE_URL", "garbage"),  # SQLAlchemy's ArgumentError traceback at start
        ("SLACK_API_URL", "http://"),
        ("SLACK_BOT_TOKEN", "xoxb-\udc80-secret"),  # can't go into an HTTP header: every Slack call raised
        ("HEATPUNK_API_KEY", "key with spaces-secret"),
    ],
)
def test_a_value_leadbot_could_not_use_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None)
    [problem] = caught.value.problems
    assert problem.startswith(name)
    assert "secret" not in caught.value.render()


def test_an_env_file_that_is_not_utf8_is_refused_in_words(tmp_path) -> None:
    env = tmp_path / ".env"
    env.write_bytes(b"LEADBOT_STATUSES=caf\xe9\n")  # saved as Latin-1: UnicodeDecodeError traceback before
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=str(env))
    assert str(env) in caught.value.render()


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("leadbot_hours", "Mon-Fry 08:30-18:00", '"Fry" is not a day'),
        ("leadbot_sla", "5m shout", '"shout" in "5m shout" is not a step'),
        ("leadbot_timezone", "Mars/Olympus", '"Mars/Olympus" is not a time zone'),
        ("leadbot_holidays", "wales-only", "LEADBOT_HOLIDAYS"),
        ("leadbot_routing", "lottery", "LEADBOT_ROUTING"),
        ("leadbot_hours", "Eve \udc80", '"Eve \\udc80"'),  # half an emoji, shown as an escape
    ],
)
def test_speed_to_lead_settings_are_checked_at_start_in_words(name: str, value: str, words: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=None, **{name: value})
    assert words in str(raised.value)


def test_the_speed_to_lead_settings_have_working_defaults() -> None:
    settings = load_settings(env_file=None)
    assert (settings.leadbot_routing, settings.leadbot_hours, settings.leadbot_holidays) == (
        "claim",
        "Mon-Fri 08:30-18:00",
        "england-and-wales",
    )
    assert settings.ladder.words() == "nudge at 5 min, escalate at 15 min, reassign at 30 min"
    assert settings.working_hours() is settings.working_hours()  # one calendar per setting, not per click


def test_a_secret_pasted_into_a_schedule_setting_is_not_echoed_in_the_refusal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = "xoxb-1234567890-secret"
    monkeypatch.setenv("HEATPUNK_API_KEY", "hp-live-key-0042")
    with pytest.raises(SettingsError) as raised:
        load_settings(env_file=None, slack_bot_token=token, leadbot_hours="hp-live-key-0042 08:30-18:00")
    assert "hp-live-key-0042" not in str(raised.value)
    assert "LEADBOT_HOURS" in str(raised.value)
