"""Health rules: one notice after N failures in a row from either source, one "recovered" when all is well."""

from __future__ import annotations

from urllib.error import URLError

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from leadbot.alerts import health
from leadbot.heatpunk import AuthError, InvalidRequest, Reason, Unavailable
from leadbot.slack.client import slack_error_code
from leadbot.store import Health
from leadbot.store.leads import HealthStep


def slack_error(error: str, status: int = 200, **extra: object) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="http://127.0.0.1/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": error, **extra},
        headers={},
        status_code=status,
    )
    return SlackApiError("failed", response)  # type: ignore[no-untyped-call]


def run(health_now: Health, steps: list[HealthStep]) -> tuple[Health, list[dict[str, object]]]:
    notices = []
    for step in steps:
        health_now, notice = step(health_now)
        if notice:
            notices.append(notice)
    return health_now, notices


def test_one_notice_after_the_threshold_and_one_recovered() -> None:
    fail = health.failed("poll", "API down", 3)
    state, notices = run(Health(), [fail] * 10)
    assert state == Health(10, 0, "API down", True)
    assert notices == [{"notice": "health", "cause": "API down", "failures": 3, "source": "poll"}]
    state, notices = run(state, [health.succeeded("poll")] * 3)
    assert state == Health()
    assert notices == [{"notice": "recovered"}]


def test_a_success_in_between_resets_the_streak() -> None:
    fail, ok = health.failed("poll", "x", 3), health.succeeded("poll")
    state, notices = run(Health(), [fail, fail, ok, fail, fail, ok])
    assert notices == []
    assert state == Health()


def test_recovered_waits_for_both_sources() -> None:
    state, notices = run(
        Health(),
        [health.failed("slack", "Slack down", 2)] * 2
        + [health.failed("poll", "API down", 2)] * 2
        + [health.succeeded("poll")],
    )
    assert [n["notice"] for n in notices] == ["health"]
    assert state.slack_failures == 2
    state, notices = run(state, [health.succeeded("slack")])
    assert notices == [{"notice": "recovered"}]


def test_poll_causes_in_words() -> None:
    assert "API key" in health.poll_cause(AuthError(Reason.KEY_REJECTED))
    assert "LEADBOT_POLL_EMAIL" in health.poll_cause(AuthError(Reason.NO_ACCESS))
    assert "down" in health.poll_cause(Unavailable(Reason.TOO_SLOW))
    assert "refused" in health.poll_cause(InvalidRequest(Reason.REFUSED, api_message="bad date"))
    assert "unexpected" in health.poll_cause(ValueError("x"))


def test_slack_causes_in_words() -> None:
    assert "token" in health.slack_cause(slack_error("token_revoked"))
    assert "invite leadbot" in health.slack_cause(slack_error("channel_not_found"))
    assert "channels:history" in health.slack_cause(slack_error("missing_scope", needed="channels:history"))
    assert "HTTP 503" in health.slack_cause(slack_error("", status=503))
    assert "URLError" in health.slack_cause(URLError("refused"))
    assert slack_error_code(URLError("refused")) is None


def test_only_a_failure_of_the_alerts_own_can_set_it_aside() -> None:
    """Slack refusing this message, or leadbot failing to render it, would repeat however long it waits;
    an outage, a rate limit, a token or channel problem would stop every alert alike, and passes."""
    assert health.the_alerts_own_fault(slack_error("invalid_arguments"))
    assert health.the_alerts_own_fault(TypeError("bad payload"))
    assert "refused the message itself" in health.slack_cause(slack_error("invalid_arguments"))
    for passing in (
        slack_error("internal_error", status=500),
        slack_error("ratelimited", status=429),
        slack_error("token_revoked"),
        slack_error("not_in_channel"),
        slack_error("missing_scope"),
        URLError(ConnectionRefusedError()),
        TimeoutError(),
    ):
        assert not health.the_alerts_own_fault(passing), passing
