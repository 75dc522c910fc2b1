"""The Heatpunk client against the simulator over real HTTP: shapes, errors, retries, timeouts, no leaks."""

import gzip
import logging
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from leadbot import texts
from leadbot.heatpunk import (
    AuthError,
    HeatpunkClient,
    HeatpunkError,
    InvalidRequest,
    NewLead,
    NotFound,
    Reason,
    Unavailable,
    build_http_client,
)
from leadbot.sandbox.service import Sandbox
from leadbot.texts import heatpunk_failure
from tests.fakes.heatpunk_fixtures import OUTSIDER_EMAIL, SANDBOX_KEY, SEED_LEADS, STANDARD_EMAIL, TEAM_EMAIL
from tests.support import free_port

LONG_AGO = date.today() - timedelta(days=3650)
JANE = NewLead(customer_name="Jane Smith", customer_email="jane@example.co.uk", customer_phone="07700 900123")


IMPATIENT = 0.1  # seconds per try, for tests of a hung API: the simulator holds its answer far longer


def client_for(sandbox: Sandbox, *, key: str = SANDBOX_KEY, timeout: float = 1.0) -> HeatpunkClient:
    return HeatpunkClient(build_http_client(timeout), sandbox.base_url, SecretStr(key), backoff_seconds=0.01)


def test_fetch_reads_the_rows_shape(heatpunk_client: HeatpunkClient) -> None:
    leads = heatpunk_client.fetch(TEAM_EMAIL, LONG_AGO)
    assert len(leads) == SEED_LEADS
    assert all(lead.id.isdigit() and lead.date_created.tzinfo for lead in leads)


def test_fetch_reads_the_array_shape_the_same(sandbox: Sandbox, heatpunk_client: HeatpunkClient) -> None:
    rows = heatpunk_client.fetch(TEAM_EMAIL, LONG_AGO)
    sandbox.shape = "array"
    array = heatpunk_client.fetch(TEAM_EMAIL, LONG_AGO)
    assert sandbox.requests[-1].path == "/api/v1/leads/fetch"
    assert sorted(rows, key=lambda lead: lead.id) == sorted(array, key=lambda lead: lead.id)


def test_fetch_keeps_undocumented_fields(heatpunk_client: HeatpunkClient) -> None:
    leads = heatpunk_client.fetch(TEAM_EMAIL, LONG_AGO)
    assert any(lead.extra for lead in leads)


def test_fetch_sends_the_key_json_and_the_window(sandbox: Sandbox, heatpunk_client: HeatpunkClient) -> None:
    heatpunk_client.fetch(TEAM_EMAIL, date(2025, 9, 10))
    [request] = sandbox.requests
    assert request.header("x-api-key") == SANDBOX_KEY
    assert request.header("content-type") == "application/json"
    assert request.body == {"userEmail": TEAM_EMAIL, "furthestDate": "2025-09-10"}


def test_fetch_applies_the_window(heatpunk_client: HeatpunkClient) -> None:
    recent = heatpunk_client.fetch(TEAM_EMAIL, date.today() - timedelta(days=7))
    assert 0 < len(recent) < SEED_LEADS


def test_a_standard_member_sees_only_their_leads(heatpunk_client: HeatpunkClient) -> None:
    mine = heatpunk_client.fetch(STANDARD_EMAIL, LONG_AGO)
    assert len(mine) < SEED_LEADS


def test_create_returns_the_new_id_and_the_lead_appears(heatpunk_client: HeatpunkClient) -> None:
    new_id = heatpunk_client.create(JANE)
    assert new_id == str(1001 + SEED_LEADS)
    found = [lead for lead in heatpunk_client.fetch(TEAM_EMAIL, date.today()) if lead.id == new_id]
    assert found[0].customer_name == "Jane Smith"


@pytest.mark.parametrize(
    ("style", "id_type"), [("leadID", "number"), ("leadId", "number"), ("leadID", "string")]
)
def test_create_reads_either_id_key_as_a_string(make_sandbox, style: str, id_type: str) -> None:
    assert client_for(make_sandbox(create_style=style, id_type=id_type)).create(JANE) == str(
        1001 + SEED_LEADS
    )


def test_update_and_delete(sandbox: Sandbox, heatpunk_client: HeatpunkClient) -> None:
    heatpunk_client.update("1001", TEAM_EMAIL, {"status": "Quote", "postcode": "CB24 6YU"})
    assert sandbox.lead("1001")["status"] == "Quote"
    heatpunk_client.delete("1001", TEAM_EMAIL)
    assert sandbox.lead("1001") is None
    [*_, delete] = sandbox.requests
    assert delete.method == "DELETE"
    assert delete.header("content-type") == "application/json"
    assert delete.body == {"leadID": "1001", "userEmail": TEAM_EMAIL}


def test_unknown_update_fields_are_refused_before_any_call(sandbox: Sandbox, heatpunk_client) -> None:
    with pytest.raises(InvalidRequest) as unknown:
        heatpunk_client.update("1001", TEAM_EMAIL, {"nickname": "JD"})
    assert (unknown.value.reason, unknown.value.fields) == (Reason.UNKNOWN_FIELDS, ("nickname",))
    assert heatpunk_failure(unknown.value).startswith(
        "leadbot can't change nickname: the fields it can change"
    )
    with pytest.raises(InvalidRequest) as build_date:
        heatpunk_client.update("1001", TEAM_EMAIL, {"buildDate": "1850"})
    assert heatpunk_failure(build_date.value) == "buildDate must be one of pre2000, post2000, post2006."
    with pytest.raises(InvalidRequest) as nothing:
        heatpunk_client.update("1001", TEAM_EMAIL, {})
    assert heatpunk_failure(nothing.value) == "Nothing to change."
    assert sandbox.requests == []


def test_a_rejected_key_is_an_auth_error(sandbox: Sandbox) -> None:
    with pytest.raises(AuthError) as caught:
        client_for(sandbox, key="wrong-key").fetch(TEAM_EMAIL, LONG_AGO)
    assert (caught.value.reason, caught.value.status) == (Reason.KEY_REJECTED, 401)
    assert "API key" in heatpunk_failure(caught.value)


def test_an_email_without_access_is_an_auth_error_naming_it(heatpunk_client: HeatpunkClient) -> None:
    with pytest.raises(AuthError) as caught:
        heatpunk_client.fetch(OUTSIDER_EMAIL, LONG_AGO)
    assert (caught.value.reason, caught.value.email) == (Reason.NO_ACCESS, OUTSIDER_EMAIL)
    words = heatpunk_failure(caught.value)
    assert words.startswith(f"Heatpunk says {OUTSIDER_EMAIL} has no access: ask a Pro team admin")


def test_an_unknown_lead_is_not_found(heatpunk_client: HeatpunkClient) -> None:
    with pytest.raises(NotFound) as caught:
        heatpunk_client.update("999999", TEAM_EMAIL, {"status": "Quote"})
    assert heatpunk_failure(caught.value).startswith("Lead 999999 was not found")
    with pytest.raises(NotFound):
        heatpunk_client.delete("999999", TEAM_EMAIL)


def test_the_apis_own_refusal_is_passed_on(heatpunk_client: HeatpunkClient) -> None:
    with pytest.raises(InvalidRequest) as caught:
        heatpunk_client.update("1001", TEAM_EMAIL, {"status": "Frobnicated"})
    assert caught.value.reason is Reason.REFUSED
    assert "Frobnicated" in (caught.value.api_message or "")
    assert heatpunk_failure(caught.value).startswith("Heatpunk refused the request. Heatpunk said: “")


@pytest.mark.parametrize(
    ("body", "content_type", "said"),
    [
        ({"message": "Bad date given"}, None, "Bad date given"),
        ("plain words of refusal", None, "plain words of refusal"),
        ("<html><body><h1>Nope</h1><p>not today</p></body></html>", None, "Nope not today"),
        ("", None, None),
    ],
)
def test_error_bodies_of_any_kind_become_readable(sandbox, heatpunk_client, body, content_type, said) -> None:
    sandbox.fail_next(status=422, body=body, content_type=content_type)
    with pytest.raises(InvalidRequest) as caught:
        heatpunk_client.fetch(TEAM_EMAIL, LONG_AGO)
    assert caught.value.api_message == said
    words = heatpunk_failure(caught.value)
    assert "<" not in words
    assert words.endswith(f" Heatpunk said: “{said}”." if said else " It gave no reason.")


def test_server_errors_are_retried_then_succeed(sandbox: Sandbox, heatpunk_client: HeatpunkClient) -> None:
    sandbox.fail_next(count=2, status=503)
    assert len(heatpunk_client.fetch(TEAM_EMAIL, LONG_AGO)) == SEED_LEADS
    assert len(sandbox.requests) == 3


def test_three_server_errors_are_unavailable(sandbox: Sandbox, heatpunk_client: HeatpunkClient) -> None:
    sandbox.fail_next(count=3, status=500)
    with pytest.raises(Unavailable) as caught:
        heatpunk_client.update("1001", TEAM_EMAIL, {"status": "Quote"})
    assert (caught.value.reason, caught.value.status) == (Reason.SERVER_ERROR, 500)
    assert (
        heatpunk_failure(caught.value)
        == "Heatpunk didn't answer properly (error 500) — try again in a minute."
    )
    assert len(sandbox.requests) == 3


def test_a_timeout_is_unavailable_after_three_tries(sandbox: Sandbox) -> None:
    sandbox.hang_next(count=3, seconds=5)
    with pytest.raises(Unavailable) as caught:
        client_for(sandbox, timeout=IMPATIENT).delete("1001", TEAM_EMAIL)
    assert heatpunk_failure(caught.value) == "Heatpunk didn't answer in time — try again in a minute."
    assert [r.path for r in sandbox.requests] == ["/api/v1/leads/delete"] * 3


def test_create_is_never_retried_once_sent(sandbox: Sandbox) -> None:
    client = client_for(sandbox, timeout=IMPATIENT)
    sandbox.fail_next(status=500, endpoint="create")
    with pytest.raises(Unavailable) as failed:
        client.create(JANE)
    assert failed.value.may_have_saved
    assert heatpunk_failure(failed.value) == (
        "Heatpunk didn't answer properly (error 500) — try again in a minute. "
        "The lead may have been saved: check the leads dashboard before trying again."
    )
    sandbox.hang_next(seconds=5, endpoint="create")
    with pytest.raises(Unavailable) as hung:
        client.create(JANE)
    assert (hung.value.reason, hung.value.may_have_saved) == (Reason.TOO_SLOW, True)
    assert [r.path for r in sandbox.requests] == ["/api/v1/leads/create", "/api/v1/leads/create"]


def test_create_is_retried_when_the_connection_was_refused(make_sandbox) -> None:
    """Nothing listens at first; Heatpunk comes up during the backoff, and the retry creates the lead once."""
    port = free_port()
    backoffs: list[float] = []
    came_up: list[Sandbox] = []

    def heatpunk_starts_during_the_backoff(seconds: float) -> None:
        backoffs.append(seconds)
        if not came_up:
            came_up.append(make_sandbox(port=port))

    client = HeatpunkClient(
        build_http_client(1.0),
        f"http://127.0.0.1:{port}/api/v1",
        SecretStr(SANDBOX_KEY),
        backoff_seconds=0.01,
        sleep=heatpunk_starts_during_the_backoff,
    )
    assert client.create(JANE) == str(1001 + SEED_LEADS)
    assert backoffs == [0.01]  # refused once, then the second try got through
    assert [r.path for r in came_up[0].requests] == ["/api/v1/leads/create"]


def test_three_refused_connections_are_unreachable() -> None:
    backoffs: list[float] = []
    client = HeatpunkClient(
        build_http_client(1.0),
        f"http://127.0.0.1:{free_port()}/api/v1",
        SecretStr(SANDBOX_KEY),
        backoff_seconds=0.01,
        sleep=backoffs.append,
    )
    with pytest.raises(Unavailable) as caught:
        client.create(JANE)
    assert (caught.value.reason, caught.value.may_have_saved) == (Reason.UNREACHABLE, False)
    assert heatpunk_failure(caught.value) == "Couldn't reach Heatpunk — try again in a minute."
    assert backoffs == [0.01, 0.02]  # three tries, backing off between them


def test_an_unreadable_success_is_unavailable(sandbox: Sandbox, heatpunk_client: HeatpunkClient) -> None:
    sandbox.fail_next(count=3, status=200, body="<html>maintenance</html>")
    with pytest.raises(Unavailable) as caught:
        heatpunk_client.fetch(TEAM_EMAIL, LONG_AGO)
    assert caught.value.reason is Reason.UNREADABLE
    assert "couldn't read" in heatpunk_failure(caught.value)


def test_the_key_never_leaks(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for(sandbox)
    errors: list[HeatpunkError] = []
    sandbox.fail_next(count=3, status=500, body=f"echo {SANDBOX_KEY}")
    for call in (lambda: client.fetch(TEAM_EMAIL, LONG_AGO), lambda: client.fetch(OUTSIDER_EMAIL, LONG_AGO)):
        try:
            call()
        except HeatpunkError as error:
            errors.append(error)
    shown = " ".join([repr(client), caplog.text, *(f"{e!r} {e} {heatpunk_failure(e)}" for e in errors)])
    assert len(errors) == 2
    assert SANDBOX_KEY not in shown


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (403, {"message": f"Forbidden: key {SANDBOX_KEY}"}, None),
        (400, {"errors": {"x-api-key": SANDBOX_KEY}}, None),
        (
            422,
            f"<html><body><pre>X-API-KEY: {SANDBOX_KEY}\nUser-Agent: leadbot</pre></body></html>",
            "text/html",
        ),
    ],
)
def test_an_error_that_echoes_the_key_is_passed_on_without_it(
    sandbox: Sandbox, status: int, body: object, content_type: str | None
) -> None:
    """The API's own words reach people (replies, the health notice, poll --once): never with the key in them."""
    sandbox.fail_next(status=status, body=body, content_type=content_type)
    with pytest.raises(HeatpunkError) as caught:
        client_for(sandbox).update("1001", TEAM_EMAIL, {"status": "Quote"})
    said = caught.value.api_message or ""
    shown = f"{said} {heatpunk_failure(caught.value)} {caught.value!r} {caught.value}"
    assert SANDBOX_KEY not in shown
    assert "[redacted]" in said


def test_uses_the_injected_http_client(sandbox: Sandbox) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [seen.append]})
    HeatpunkClient(http, sandbox.base_url, SecretStr(SANDBOX_KEY)).fetch(TEAM_EMAIL, LONG_AGO)
    assert len(seen) == 1


# ---- a total deadline per call, however slowly Heatpunk answers


def patient_client(sandbox: Sandbox, *, deadline: float, **kwargs: Any) -> HeatpunkClient:
    """Per-read timeouts far longer than the trickle's pauses: only the call's deadline can end it."""
    return HeatpunkClient(
        build_http_client(5.0),
        sandbox.base_url,
        SecretStr(SANDBOX_KEY),
        backoff_seconds=0.01,
        deadline_seconds=deadline,
        **kwargs,
    )


@pytest.mark.parametrize("headers", [False, True], ids=["body", "status line and headers"])
def test_an_answer_trickling_a_byte_at_a_time_ends_at_the_calls_deadline(
    sandbox: Sandbox, headers: bool
) -> None:
    sandbox.trickle_next(count=3, every=0.05, headers=headers)
    with pytest.raises(Unavailable) as caught:
        patient_client(sandbox, deadline=0.5).fetch(TEAM_EMAIL, LONG_AGO)
    assert caught.value.reason is Reason.TOO_SLOW
    assert heatpunk_failure(caught.value) == "Heatpunk didn't answer in time — try again in a minute."


def test_the_deadline_covers_the_retries_too(sandbox: Sandbox) -> None:
    """Hung answers, a 0.3 s per-try timeout: the 0.5 s deadline ends the call before the 3rd try."""
    sandbox.hang_next(count=3, seconds=5)
    client = HeatpunkClient(
        build_http_client(0.3),
        sandbox.base_url,
        SecretStr(SANDBOX_KEY),
        backoff_seconds=0.01,
        deadline_seconds=0.5,
    )
    with pytest.raises(Unavailable) as caught:
        client.delete("1001", TEAM_EMAIL)
    assert caught.value.reason is Reason.TOO_SLOW
    assert len(sandbox.requests) < 3  # without the deadline, all three tries would have been made


def test_a_trickled_create_may_have_saved(sandbox: Sandbox) -> None:
    sandbox.trickle_next(every=0.05, endpoint="create")
    with pytest.raises(Unavailable) as caught:
        patient_client(sandbox, deadline=0.3).create(JANE)
    assert (caught.value.reason, caught.value.may_have_saved) == (Reason.TOO_SLOW, True)


def test_an_answer_over_the_size_bound_is_refused_unread(sandbox: Sandbox) -> None:
    sandbox.fail_next(count=3, status=200, body=b'{"rows": {}, "padding": "' + b"x" * 200_000 + b'"}')
    with pytest.raises(Unavailable) as caught:
        patient_client(sandbox, deadline=5, max_response_bytes=100_000).fetch(TEAM_EMAIL, LONG_AGO)
    assert caught.value.reason is Reason.TOO_LARGE
    assert heatpunk_failure(caught.value) == texts.HEATPUNK_FAILURES[Reason.TOO_LARGE]


def test_a_compressed_answer_over_the_bound_is_refused_too(sandbox: Sandbox) -> None:
    bomb = gzip.compress(b'{"rows": {}, "padding": "' + b" " * 5_000_000 + b'"}')
    sandbox.fail_next(
        count=3, status=200, body=bomb, content_type="application/json", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(Unavailable) as caught:
        patient_client(sandbox, deadline=5, max_response_bytes=100_000).fetch(TEAM_EMAIL, LONG_AGO)
    assert caught.value.reason is Reason.TOO_LARGE


def test_an_answer_within_the_bound_is_read(sandbox: Sandbox) -> None:
    leads = patient_client(sandbox, deadline=5, max_response_bytes=10_000_000).fetch(TEAM_EMAIL, LONG_AGO)
    assert len(leads) == SEED_LEADS
