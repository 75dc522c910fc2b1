"""Any environment (and any .env file) either gives Settings leadbot can run on, or stops it with the readable
message `leadbot` prints (SettingsError), naming each variable and echoing no secret; never anything else."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from leadbot import texts
from leadbot.settings import Settings, SettingsError, load_settings
from tests.fuzz import strategies as fuzz

FUZZ = settings(
    max_examples=max(20, settings().max_examples),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NAMES = tuple(name.upper() for name in Settings.model_fields)
SECRET_NAMES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "HEATPUNK_API_KEY")
NUMBERS = (
    "0",
    "1",
    "-1",
    "1.5",
    "60",
    "65535",
    "65536",
    "inf",
    "-inf",
    "nan",
    "1e300",
    "1e9",
    str(10**20),
    "0x10",
)
SAMPLES = (
    "xoxb-0000-secret-value",
    "xapp-1-secret-value",
    "https://slack.com/api/",
    "http://",
    "http://\x7f",
    "https://heatpunk.co.uk/api/v1",
    "sqlite:///leadbot.db",
    "postgresql+psycopg://u:pw-secret-value@127.0.0.1/db",
    "mysql://u:pw-secret-value@h/db",
    "garbage://",
    "on",
    "off",
    "json",
    "DEBUG",
    "U1,U2, ,",
    "C0ALERTS",
    "me@example.com",
)


def environment_text() -> st.SearchStrategy[str]:
    """What an environment variable can hold: no NUL, and only what the OS encoding can carry."""

    def fits(text: str) -> bool:
        try:
            os.fsencode(text)
        except UnicodeError:
            return False
        return "\x00" not in text

    return st.one_of(st.sampled_from(NUMBERS + SAMPLES), fuzz.hostile_text(40)).filter(fits)


environments = st.dictionaries(st.sampled_from(NAMES), environment_text(), max_size=8)


def assert_usable(built: Settings) -> None:
    """Every value can be used as leadbot uses it: waited on, counted back in days, parsed as a URL."""
    for seconds in (
        built.leadbot_poll_seconds,
        built.heatpunk_timeout_seconds,
        built.leadbot_poll_seconds / 4,
    ):
        assert 0 < seconds <= threading.TIMEOUT_MAX
    now = datetime.now(UTC)
    days = built.leadbot_search_days + built.leadbot_poll_overlap_days
    assert now - timedelta(days=days) < now + timedelta(seconds=built.leadbot_email_cache_seconds)
    assert timedelta(hours=built.leadbot_deep_sync_hours) > timedelta(0)
    assert make_url(built.database_url).get_backend_name() in ("sqlite", "postgresql")
    for url in (built.slack_api_url, built.heatpunk_base_url):
        assert httpx.URL(url).host
    for secret in (
        built.slack_bot_token,
        built.slack_signing_secret,
        built.slack_app_token,
        built.heatpunk_api_key,
    ):
        if secret is not None:
            secret.get_secret_value().encode("ascii")  # it goes into HTTP headers


def assert_readable(error: SettingsError, environment: dict[str, str]) -> None:
    """One line per problem, each naming a variable that was set, and no secret's value."""
    assert error.problems
    for problem in error.problems:
        assert any(name in problem for name in environment), problem
    assert_no_secret_echoed(error, environment)


def assert_no_secret_echoed(error: SettingsError, environment: dict[str, str]) -> None:
    message = error.render()
    own_words = [
        text
        for value in vars(texts).values()
        for text in ([value] if isinstance(value, str) else value.values() if isinstance(value, dict) else [])
        if isinstance(text, str)
    ]
    for name in SECRET_NAMES:
        value = environment.get(name, "").strip()
        if len(value) >= 6 and not any(
            value in words for words in own_words
        ):  # e.g. a token set to an example URL
            assert value not in message, f"{name}'s value was echoed"


@FUZZ
@given(environment=environments)
def test_any_environment_gives_usable_settings_or_a_readable_refusal(environment: dict[str, str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        for name in NAMES:
            patch.delenv(name, raising=False)
        for name, value in environment.items():
            patch.setenv(name, value)
        try:
            built = load_settings(env_file=None)
        except SettingsError as error:
            assert_readable(error, environment)
            return
    assert_usable(built)


@FUZZ
@given(
    lines=st.lists(st.tuples(st.sampled_from(NAMES), environment_text()), max_size=5),
    junk=st.binary(max_size=20),
)
def test_any_env_file_gives_usable_settings_or_a_readable_refusal(
    tmp_path_factory: pytest.TempPathFactory, lines: list[tuple[str, str]], junk: bytes
) -> None:
    env = Path(tmp_path_factory.mktemp("env")) / ".env"
    text = "".join(f"{name}={value.replace(chr(10), ' ')}\n" for name, value in lines)
    env.write_bytes(text.encode("utf-8", "surrogateescape") + junk)
    with pytest.MonkeyPatch.context() as patch:
        for name in NAMES:
            patch.delenv(name, raising=False)
        try:
            built = load_settings(env_file=str(env))
        except SettingsError as error:
            assert_no_secret_echoed(error, dict(lines))
            return
    assert_usable(built)
