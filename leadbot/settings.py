"""Settings: the only place leadbot reads the environment (and `.env`)."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from leadbot import texts
from leadbot.redaction import redact
from leadbot.routing.hours import WorkingHours
from leadbot.routing.sla import DEFAULT_SLA, Ladder

# The time zone the team reads times in, and in which "today" and "since Monday" are meant.
UK = ZoneInfo("Europe/London")

DEFAULT_STATUSES = ("new", "Lead", "Quote", "Sale", "Install", "Completed", "Rejected")

CommaList = Annotated[tuple[str, ...], NoDecode]

# Upper bounds, so every span fits what it is used with: thread waits (threading.TIMEOUT_MAX), dates counted
# back from today, and timedeltas. They are far beyond any sensible value.
MAX_SECONDS = 7 * 24 * 3600.0
MAX_DAYS = 3650  # as `/leads list` (leads/grammar.py)
DATABASE_BACKENDS = ("sqlite", "postgresql")


class SettingsError(Exception):
    """Raised with every problem found in the settings, in words, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = [texts.SETTINGS_CANT_START]
        lines += [f"  • {problem}" for problem in self.problems]
        lines.append(texts.SETTINGS_SEE_EXAMPLE)
        return "\n".join(lines)


class Settings(BaseSettings):
    """Every setting leadbot has; environment names are the upper-case field names."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True, allow_inf_nan=False
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    heatpunk_api_key: SecretStr | None = None
    heatpunk_base_url: str = "https://heatpunk.co.uk/api/v1"
    heatpunk_timeout_seconds: float = Field(10.0, gt=0, le=MAX_SECONDS)
    heatpunk_deadline_seconds: float = Field(25.0, gt=0, le=MAX_SECONDS)

    leadbot_alert_channel: str | None = None
    leadbot_poll_email: str | None = None
    leadbot_poll_seconds: float = Field(60.0, ge=1, le=MAX_SECONDS)
    leadbot_poll_overlap_days: int = Field(1, ge=0, le=MAX_DAYS)
    leadbot_deep_sync_hours: float = Field(6.0, gt=0, le=MAX_DAYS * 24)
    leadbot_burst: int = Field(5, ge=1)
    leadbot_health_after: int = Field(5, ge=1)
    leadbot_admin_channel: str | None = None
    leadbot_poller: Literal["on", "off"] = "on"

    database_url: str = "sqlite:///leadbot.db"
    port: int = Field(3000, ge=1, le=65535)
    host: str = "0.0.0.0"  # noqa: S104 - a server behind a platform router listens on every interface
    leadbot_max_request_bytes: int = Field(1024 * 1024, ge=1024, le=100 * 1024 * 1024)

    leadbot_search_days: int = Field(365, ge=1, le=MAX_DAYS)
    leadbot_statuses: CommaList = DEFAULT_STATUSES
    leadbot_email_cache_seconds: int = Field(3600, ge=0, le=int(MAX_SECONDS))
    leadbot_lookup_cache_seconds: int = Field(30, ge=0, le=3600)
    leadbot_admins: CommaList = ()
    leadbot_allowed_channels: CommaList = ()
    leadbot_allowed_users: CommaList = ()
    leadbot_deleters: CommaList = ()
    leadbot_workers: int = Field(64, ge=1, le=1024)
    leadbot_user_jobs: int = Field(4, ge=1, le=1024)
    leadbot_queue: int = Field(200, ge=1, le=100_000)

    # Speed to lead (README "Routing, hours and the ladder").
    leadbot_routing: Literal["claim", "round-robin", "territory"] = "claim"
    leadbot_managers: CommaList = ()
    leadbot_hours: str = "Mon-Fri 08:30-18:00"
    leadbot_timezone: str = "Europe/London"
    leadbot_holidays: Literal["england-and-wales", "scotland", "northern-ireland", "none"] = (
        "england-and-wales"
    )
    leadbot_sla: str = DEFAULT_SLA
    leadbot_retry_minutes: int = Field(60, ge=1, le=7 * 24 * 60)
    leadbot_max_attempts: int = Field(6, ge=1, le=100)
    leadbot_stale_days: int = Field(7, ge=1, le=MAX_DAYS)
    leadbot_report_channel: str | None = None  # the weekly speed-to-lead report, Mondays at opening

    leadbot_log_format: Literal["text", "json"] = "text"
    leadbot_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator(
        "leadbot_statuses",
        "leadbot_admins",
        "leadbot_allowed_channels",
        "leadbot_allowed_users",
        "leadbot_deleters",
        "leadbot_managers",
        mode="before",
    )
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("leadbot_sla", "leadbot_hours")
    @classmethod
    def _schedule(cls, value: str, info: ValidationInfo) -> str:
        """The ladder and the working week are read by their own parsers, whose words say what is wrong."""
        try:
            if info.field_name == "leadbot_sla":
                Ladder.parse(value)
            else:
                WorkingHours.parse(value, holidays="none")
        except ValueError as error:
            raise ValueError(_writable(str(error))) from None
        return value

    @field_validator("leadbot_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
            words = f'"{value}" is not a time zone: use a name such as Europe/London'
            raise ValueError(_writable(words)) from None
        return value.strip()

    @property
    def ladder(self) -> Ladder:
        return Ladder.parse(self.leadbot_sla)

    def working_hours(self) -> WorkingHours:
        """The team's week in its time zone, minus its bank holidays (one per distinct setting: its holiday
        calendar is read once a year, not on every click)."""
        return _working_hours(self.leadbot_hours, self.leadbot_timezone, self.leadbot_holidays)

    @field_validator("slack_api_url", "heatpunk_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(texts.SETTING_NOT_HTTP_URL)
        try:
            host = urlsplit(value).hostname
        except ValueError:
            host = None
        if not host or not value.isascii() or not value.isprintable() or " " in value:
            raise ValueError(texts.SETTING_NOT_A_URL)
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            backend = make_url(value).get_backend_name()
        except (ArgumentError, ValueError):
            backend = ""
        if backend not in DATABASE_BACKENDS:
            raise ValueError(texts.SETTING_NOT_DATABASE_URL)
        return value

    @field_validator("slack_bot_token", "slack_signing_secret", "slack_app_token", "heatpunk_api_key")
    @classmethod
    def _header_safe(cls, value: SecretStr | None) -> SecretStr | None:
        if not _printable(value):
            raise ValueError(texts.SETTING_NOT_A_TOKEN)
        return value

    @field_validator(
        "leadbot_alert_channel",
        "leadbot_admin_channel",
        "leadbot_report_channel",
        "leadbot_poll_email",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def socket_mode(self) -> bool:
        """Socket Mode when an app-level token is set; HTTP otherwise."""
        return self.slack_app_token is not None

    def secret_values(self) -> list[str]:
        """Every secret value set: the Slack tokens, the signing secret, the API key, the database password.

        What the log filter, the Slack egress and the CLI's output keep out of what they write.
        """
        values = [
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.heatpunk_api_key,
        ]
        found = [value.get_secret_value() for value in values if value is not None]
        password = re.search(r"://[^:/@]*:([^@/]+)@", self.database_url)
        return found + ([password.group(1)] if password else [])

    @property
    def alerts_enabled(self) -> bool:
        return self.leadbot_alert_channel is not None

    def problems_for_run(self, *, sandbox: bool = False) -> list[str]:
        """What is missing before `leadbot run` can work, each with its fix."""
        missing: list[str] = []
        if self.slack_bot_token is None:
            missing.append("SLACK_BOT_TOKEN")
        if not self.socket_mode and self.slack_signing_secret is None:
            missing.append("SLACK_SIGNING_SECRET")
        if not sandbox and self.heatpunk_api_key is None:
            missing.append("HEATPUNK_API_KEY")
        if self.alerts_enabled and self.leadbot_poll_email is None and not sandbox:
            missing.append("LEADBOT_POLL_EMAIL")
        return [problem_missing(name) for name in missing]

    def problems_for_poll(self) -> list[str]:
        """What is missing before a poll cycle can run."""
        missing = [
            name
            for name, value in (
                ("HEATPUNK_API_KEY", self.heatpunk_api_key),
                ("LEADBOT_POLL_EMAIL", self.leadbot_poll_email),
                ("LEADBOT_ALERT_CHANNEL", self.leadbot_alert_channel),
                ("SLACK_BOT_TOKEN", self.slack_bot_token),
            )
            if value is None
        ]
        return [problem_missing(name) for name in missing]


def _writable(words: str) -> str:
    """Words quoting a setting as typed, with half an emoji shown as an escape (pydantic can't carry it)."""
    return words.encode("utf-8", "backslashreplace").decode("utf-8")


@functools.lru_cache(maxsize=16)
def _working_hours(spec: str, timezone: str, holidays: str) -> WorkingHours:
    return WorkingHours.parse(spec, timezone=timezone, holidays=holidays)


def _printable(value: SecretStr | None) -> bool:
    """A secret that can go into an HTTP header as it is: printable ASCII, no spaces."""
    text = "" if value is None else value.get_secret_value()
    return all("!" <= character <= "~" for character in text)


def problem_missing(name: str) -> str:
    """A setting that must be set and isn't, with how to fix it."""
    return texts.SETTING_MISSING.format(name=name, hint=texts.SETTING_HINTS[name])


def describe_validation_error(error: ValidationError, secrets: Iterable[str] = ()) -> list[str]:
    """Turns pydantic's errors into one readable line per setting, never echoing a value whole; a schedule's
    words quote the part that is wrong, so any secret given (e.g. pasted into the wrong variable) is redacted."""
    problems = []
    for item in error.errors(include_input=False, include_url=False):
        name = str(item["loc"][0]).upper() if item["loc"] else "settings"
        hint = texts.SETTING_HINTS.get(name, texts.SETTING_ANY_VALID)
        problem = texts.SETTING_INVALID.format(name=name, problem=item["msg"], hint=hint)
        problems.append(redact(problem, secrets))
    return problems


SECRET_SETTINGS = (
    "slack_bot_token",
    "slack_signing_secret",
    "slack_app_token",
    "heatpunk_api_key",
    "database_url",
)


def given_secrets(env_file: str | None, overrides: Mapping[str, Any]) -> list[str]:
    """The secret settings' values as given (environment, .env, arguments), to keep out of refusals."""
    values = [os.environ.get(name.upper()) for name in SECRET_SETTINGS]
    for name in SECRET_SETTINGS:
        given = overrides.get(name)
        if given is not None:
            values.append(given.get_secret_value() if isinstance(given, SecretStr) else str(given))
    if env_file is not None:
        try:
            from_file = dotenv_values(env_file)
        except (UnicodeDecodeError, OSError, ValueError):
            from_file = {}
        values += [value for key, value in from_file.items() if key.lower() in SECRET_SETTINGS]
    return [value.strip() for value in values if value and value.strip()]


def load_settings(env_file: str | None = ".env", **overrides: Any) -> Settings:
    """Reads the environment and `env_file`; raises SettingsError listing every problem."""
    try:
        return Settings(_env_file=env_file, **overrides)
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error, given_secrets(env_file, overrides))) from None
    except (UnicodeDecodeError, OSError):  # the .env file: not UTF-8, or not readable
        raise SettingsError([texts.SETTINGS_FILE_UNREADABLE.format(path=env_file)]) from None


def require(problems: list[str]) -> None:
    """Raises SettingsError when any problem was found."""
    if problems:
        raise SettingsError(problems)
