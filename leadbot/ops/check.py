"""`leadbot check`: a checklist of everything leadbot needs, with the fix beside every failure."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TextIO

from alembic.util import CommandError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import make_url

from leadbot.deps import Root, utc_now
from leadbot.heatpunk import AuthError, HeatpunkClient, HeatpunkError, Reason, Unavailable
from leadbot.ops import check_texts as t
from leadbot.process.logs import secrets_of
from leadbot.redaction import redact
from leadbot.settings import Settings
from leadbot.slack.client import granted_scopes, slack_error_code
from leadbot.texts import heatpunk_failure


@dataclass(frozen=True)
class Check:
    """One line of the checklist: what was checked, whether it passed, and how to fix it if not."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    skipped: bool = False


class StoreStatus(Protocol):
    """What the database check needs from an opened store."""

    def is_current(self) -> bool: ...

    def revision(self) -> str | None: ...

    def close(self) -> None: ...


OpenStore = Callable[[str], StoreStatus]


def skipped(name: str, detail: str) -> Check:
    """A check that couldn't run; whatever stopped it is reported on its own line."""
    return Check(name, True, detail, skipped=True)


def check_settings(settings: Settings, *, sandbox: bool) -> Check:
    """Whatever `leadbot run` would refuse to start without, in this mode."""
    mode = ("Socket Mode" if settings.socket_mode else "HTTP mode") + (" with the sandbox" if sandbox else "")
    problems = settings.problems_for_run(sandbox=sandbox)
    if problems:
        return Check(t.SETTINGS, False, " ".join(problems), t.SETTINGS_FIX)
    return Check(t.SETTINGS, True, t.SETTINGS_OK.format(mode=mode))


def slack_error(error: Exception) -> str | None:
    """Slack's error code (`invalid_auth`…), `HTTP 500` for a non-JSON answer, None with no answer."""
    if not isinstance(error, SlackApiError):
        return None
    return slack_error_code(error) or f"HTTP {error.response.status_code}"


def slack_failure(name: str, method: str, error: Exception, api_url: str) -> Check:
    """A failed Web API call in words: a bad or revoked token, Slack's own error code, or no connection."""
    code = slack_error(error)
    if code is None:
        reason = str(getattr(error, "reason", "") or error) or type(error).__name__
        return Check(
            name, False, t.SLACK_UNREACHABLE.format(url=api_url, reason=reason), t.SLACK_UNREACHABLE_FIX
        )
    if code in {"invalid_auth", "not_authed"}:
        return Check(name, False, t.TOKEN_INVALID.format(error=code), t.TOKEN_INVALID_FIX)
    if code in {"token_revoked", "account_inactive", "token_expired"}:
        return Check(name, False, t.TOKEN_REVOKED.format(error=code), t.TOKEN_REVOKED_FIX)
    if code == "not_allowed_token_type":
        return Check(name, False, t.WRONG_TOKEN_TYPE.format(error=code), t.WRONG_TOKEN_TYPE_FIX)
    return Check(name, False, t.SLACK_REFUSED.format(method=method, error=code), t.SLACK_UNREACHABLE_FIX)


def check_slack(slack: WebClient, api_url: str) -> tuple[Check, Check]:
    """auth.test, then the scopes Slack says the token has in its `x-oauth-scopes` header."""
    try:
        response = slack.auth_test()
    except Exception as error:
        return slack_failure(t.SLACK_TOKEN, "auth.test", error, api_url), skipped(
            t.SLACK_SCOPES, t.NOT_CHECKED_AUTH
        )
    token = Check(
        t.SLACK_TOKEN, True, t.TOKEN_OK.format(team=response.get("team"), user=response.get("user"))
    )
    granted = granted_scopes(response.headers)
    if granted is None:
        return token, skipped(t.SLACK_SCOPES, t.SCOPES_UNKNOWN)
    missing = [scope for scope in t.SCOPES if scope not in granted]
    if not missing:
        return token, Check(t.SLACK_SCOPES, True, t.SCOPES_OK)
    detail = " ".join(t.SCOPE_MISSING.format(scope=scope, purpose=t.SCOPES[scope]) for scope in missing)
    return token, Check(t.SLACK_SCOPES, False, detail, t.SCOPES_FIX.format(scopes=", ".join(missing)))


def check_socket_mode(slack: WebClient, app_token: str, api_url: str) -> Check:
    """apps.connections.open with the app-level token: what Socket Mode does first when it connects."""
    try:
        slack.apps_connections_open(app_token=app_token)
    except Exception as error:
        code = slack_error(error)
        if code is None:
            return slack_failure(t.SOCKET_MODE, "apps.connections.open", error, api_url)
        return Check(t.SOCKET_MODE, False, t.APP_TOKEN_REFUSED.format(error=code), t.APP_TOKEN_FIX)
    return Check(t.SOCKET_MODE, True, t.APP_TOKEN_OK)


CHANNEL_ERRORS: Mapping[str, tuple[str, str]] = {
    "channel_not_found": (t.CHANNEL_NOT_FOUND, t.CHANNEL_NOT_FOUND_FIX),
    "not_in_channel": (t.NOT_IN_CHANNEL, t.NOT_IN_CHANNEL_FIX),
    "is_archived": (t.CHANNEL_ARCHIVED, t.CHANNEL_ARCHIVED_FIX),
}


def check_channel(slack: WebClient, channel: str, api_url: str) -> Check:
    """Posts a test message and deletes it: with leadbot's scopes, the one way to know alerts can land.

    conversations.info needs channels:read / groups:read and conversations.join needs channels:join, which
    leadbot doesn't ask for; chat:write.public lets it post in public channels without joining them.
    """
    try:
        posted = slack.chat_postMessage(channel=channel, text=t.TEST_MESSAGE)
    except Exception as error:
        code = slack_error(error)
        if code is not None and code in CHANNEL_ERRORS:
            sentence, fix = CHANNEL_ERRORS[code]
            return Check(t.ALERT_CHANNEL, False, sentence.format(channel=channel), fix)
        failed = slack_failure(t.ALERT_CHANNEL, "chat.postMessage", error, api_url)
        return Check(t.ALERT_CHANNEL, False, failed.detail, t.CHANNEL_REFUSED_FIX if code else failed.fix)
    try:
        slack.chat_delete(channel=str(posted.get("channel") or channel), ts=str(posted.get("ts")))
    except Exception:  # the post worked, which is what this check is about
        return Check(t.ALERT_CHANNEL, True, t.CHANNEL_OK_NOT_DELETED.format(channel=channel))
    return Check(t.ALERT_CHANNEL, True, t.CHANNEL_OK.format(channel=channel))


def check_heatpunk(
    heatpunk: HeatpunkClient, email: str, base_url: str, clock: Callable[[], datetime]
) -> Check:
    """Fetches one day of leads as LEADBOT_POLL_EMAIL, as the poller does, and explains a refusal."""
    day = (clock() - timedelta(days=1)).date()
    try:
        leads = heatpunk.fetch(email, day)
    except AuthError as error:
        if error.reason is Reason.KEY_REJECTED:
            return Check(t.HEATPUNK, False, t.KEY_REFUSED, t.KEY_REFUSED_FIX)
        return Check(
            t.HEATPUNK,
            False,
            t.EMAIL_NO_ACCESS.format(email=email),
            t.EMAIL_NO_ACCESS_FIX.format(email=email),
        )
    except Unavailable as error:
        detail = t.HEATPUNK_DOWN.format(url=base_url, message=heatpunk_failure(error))
        return Check(t.HEATPUNK, False, detail, t.HEATPUNK_DOWN_FIX)
    except HeatpunkError as error:
        return Check(
            t.HEATPUNK,
            False,
            t.HEATPUNK_REFUSED.format(message=heatpunk_failure(error)),
            t.HEATPUNK_REFUSED_FIX,
        )
    return Check(t.HEATPUNK, True, t.HEATPUNK_OK.format(count=len(leads), day=day.isoformat(), email=email))


def safe_url(database_url: str) -> str:
    """The database URL with any password hidden."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except Exception:
        return "DATABASE_URL"


def check_database(database_url: str, open_store: OpenStore) -> Check:
    """Opens the store as `leadbot run` does (which migrates it) and confirms it is at the latest revision."""
    url = safe_url(database_url)
    try:
        store = open_store(database_url)
        try:
            current, revision = store.is_current(), store.revision()
        finally:
            store.close()
    except Exception as error:
        lines = str(getattr(error, "orig", None) or error).strip().splitlines()
        reason = lines[0] if lines else type(error).__name__
        if isinstance(error, CommandError):  # Alembic doesn't know the database's revision
            return Check(
                t.DATABASE, False, t.DATABASE_NEWER.format(url=url, reason=reason), t.DATABASE_NEWER_FIX
            )
        detail = t.DATABASE_UNREACHABLE.format(url=url, reason=reason)
        return Check(t.DATABASE, False, detail, t.DATABASE_UNREACHABLE_FIX)
    if not current:
        return Check(
            t.DATABASE, False, t.DATABASE_BEHIND.format(url=url, revision=revision), t.DATABASE_BEHIND_FIX
        )
    return Check(t.DATABASE, True, t.DATABASE_OK.format(url=url, revision=revision))


def run_checks(
    settings: Settings,
    *,
    slack: WebClient,
    heatpunk: HeatpunkClient | None,
    clock: Callable[[], datetime],
    open_store: OpenStore,
    sandbox: bool = False,
) -> list[Check]:
    """Every check, in order; a check that depends on a failed one is skipped rather than failed twice.

    `slack` carries SLACK_BOT_TOKEN when it is set; the Socket Mode check sends the app-level token instead.
    """
    checks = [check_settings(settings, sandbox=sandbox)]
    api_url = settings.slack_api_url
    has_token = settings.slack_bot_token is not None
    if not has_token:
        checks += [skipped(name, t.NOT_CHECKED_NO_TOKEN) for name in (t.SLACK_TOKEN, t.SLACK_SCOPES)]
    else:
        checks += check_slack(slack, api_url)
    if settings.slack_app_token is not None:
        checks.append(check_socket_mode(slack, settings.slack_app_token.get_secret_value(), api_url))
    channel = settings.leadbot_alert_channel
    if channel is None:
        checks.append(skipped(t.ALERT_CHANNEL, t.ALERTS_OFF))
    elif not has_token or not checks[1].ok:
        checks.append(skipped(t.ALERT_CHANNEL, t.NOT_CHECKED_AUTH if has_token else t.NOT_CHECKED_NO_TOKEN))
    else:
        checks.append(check_channel(slack, channel, api_url))
    email = settings.leadbot_poll_email
    if sandbox:
        checks.append(skipped(t.HEATPUNK, t.SANDBOX))
    elif heatpunk is None:
        checks.append(skipped(t.HEATPUNK, t.NOT_CHECKED_NO_KEY))
    elif email is None:
        checks.append(skipped(t.HEATPUNK, t.NOT_CHECKED_NO_EMAIL))
    else:
        checks.append(check_heatpunk(heatpunk, email, settings.heatpunk_base_url, clock))
    checks.append(check_database(settings.database_url, open_store))
    return checks


def render(checks: Sequence[Check]) -> str:
    """The checklist: ✓ passed, ✗ failed with its fix on the next line, – not checked (and why)."""
    lines = [t.CHECK_HEADER]
    for check in checks:
        mark = "–" if check.skipped else "✓" if check.ok else "✗"
        lines.append(f"{mark} {check.name}: {check.detail}")
        if not check.ok and check.fix:
            lines.append(f"    → {check.fix}")
    failed = sum(not check.ok for check in checks)
    summary = t.SUMMARY_FAILED if failed else t.SUMMARY_OK
    lines.append(summary.format(failed=failed, total=len(checks)))
    return "\n".join(lines)


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `leadbot check`."""
    parser.add_argument(
        "--sandbox", action="store_true", help="check for `leadbot run --sandbox` (no Heatpunk key needed)"
    )


def run_check_command(
    args: argparse.Namespace,
    settings: Settings,
    *,
    out: TextIO | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> int:
    """Builds real clients through the root, prints the checklist (no secrets), exit 0 only if all pass.

    Slack is asked through the alert sender's client, so the test post is never sent twice.
    """
    sandbox = bool(getattr(args, "sandbox", False))
    with closing(Root(settings, clock=clock)) as root:
        heatpunk = root.heatpunk if settings.heatpunk_api_key and not sandbox else None
        checks = run_checks(
            settings,
            slack=root.alert_slack,
            heatpunk=heatpunk,
            clock=clock,
            open_store=lambda _url: root.store,
            sandbox=sandbox,
        )
    (out or sys.stdout).write(redact(render(checks), secrets_of(settings)) + "\n")
    return 0 if all(check.ok for check in checks) else 1
