"""Whatever Heatpunk answers — any status, any body (JSON or not, any encoding, huge), any headers — every client
method returns its typed result or raises a HeatpunkError whose words a person can read, and the API key is in
none of them. The answers come from the simulator over real HTTP."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from leadbot.heatpunk import HeatpunkClient, HeatpunkError, Lead, NewLead, build_http_client
from leadbot.sandbox.service import Sandbox
from leadbot.texts import heatpunk_failure
from tests.fakes.heatpunk_fixtures import SANDBOX_KEY, TEAM_EMAIL

MAX_BYTES = 20_000  # the client's size bound here, so "huge" answers stay cheap to send
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---- what Heatpunk might say

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
dates = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda moment: moment.isoformat() + "Z"
)
rows = st.fixed_dictionaries(
    {"dateCreated": dates | json_values},
    optional={"customerName": json_values | st.text(), "status": json_values, "leadID": json_values},
)
lead_answers = st.one_of(
    st.fixed_dictionaries(
        {"rows": st.dictionaries(st.integers(1, 10_000).map(str) | st.text(max_size=5), rows)}
    ),
    st.lists(rows, max_size=5),
    st.fixed_dictionaries({"leadId": json_values}),
    st.fixed_dictionaries({"message": st.sampled_from([f"bad key {SANDBOX_KEY}", "nope", ""]) | json_values}),
    st.fixed_dictionaries({"errors": st.dictionaries(st.just("x-api-key"), st.just(SANDBOX_KEY))}),
    json_values,
)


def encoded(value: Any, encoding: str) -> bytes:
    """JSON in any encoding; characters the encoding lacks become "?" (lone surrogates pass through in UTF-8)."""
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    return json.dumps(value, ensure_ascii=False).encode(encoding, errors=errors)


bodies = st.one_of(
    st.builds(encoded, lead_answers, st.sampled_from(["utf-8", "utf-16", "utf-32", "latin-1"])),
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda text: text.encode("utf-8", errors="surrogatepass")),
    st.just(f"<html><body>Forbidden for key {SANDBOX_KEY}</body></html>".encode()),
    st.just(b"[" * 5000 + b"]" * 5000),
    st.just(b'{"rows": {}, "padding": "' + b"x" * (MAX_BYTES * 3) + b'"}'),
    st.just(gzip.compress(b'{"rows": {}}')),
    st.just(gzip.compress(b" " * (MAX_BYTES * 50))),
    st.just(b""),
)
statuses = st.sampled_from([200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503]) | st.integers(
    200, 599
)
content_types = st.sampled_from(
    [
        None,
        "application/json",
        "application/json; charset=utf-16",
        "application/json; charset=no-such-charset",
        "text/html; charset=latin-1",
        "text/plain",
        "application/octet-stream",
        "garbage;;;=",
    ]
)
answer_headers = st.fixed_dictionaries(
    {},
    optional={
        "Content-Encoding": st.sampled_from(
            ["gzip", "deflate", "br", "zstd", "identity", "x-unknown", "gzip, gzip"]
        ),
        "Retry-After": st.sampled_from(["5", "-1", "soon", "9" * 40, "Wed, 21 Oct 2015 07:28:00 GMT"]),
        "X-Echo": st.just(SANDBOX_KEY),
    },
)

# ---- every method, the way leadbot calls it

CALLS: dict[str, Callable[[HeatpunkClient], Any]] = {
    "fetch": lambda client: client.fetch(TEAM_EMAIL, date.today() - timedelta(days=30)),
    "create": lambda client: client.create(
        NewLead(customer_name="Jane Smith", customer_email="jane@example.co.uk")
    ),
    "update": lambda client: client.update("1001", TEAM_EMAIL, {"status": "Quote"}),
    "delete": lambda client: client.delete("1001", TEAM_EMAIL),
}
EXPECTED: dict[str, Callable[[Any], bool]] = {
    "fetch": lambda result: isinstance(result, list) and all(isinstance(lead, Lead) for lead in result),
    "create": lambda result: isinstance(result, str) and bool(result),
    "update": lambda result: result is None,
    "delete": lambda result: result is None,
}


@pytest.fixture(scope="module")
def fuzz_sandbox() -> Iterator[Sandbox]:
    sandbox = Sandbox(api_key=SANDBOX_KEY, seed_leads=5).start()
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="module")
def fuzz_client(fuzz_sandbox: Sandbox) -> Iterator[HeatpunkClient]:
    http = build_http_client(timeout_seconds=2.0)
    yield HeatpunkClient(
        http,
        fuzz_sandbox.base_url,
        SecretStr(SANDBOX_KEY),
        backoff_seconds=0.0,
        deadline_seconds=10.0,
        max_response_bytes=MAX_BYTES,
    )
    http.close()


@FUZZ
@given(
    call=st.sampled_from(sorted(CALLS)),
    status=statuses,
    body=bodies,
    content_type=content_types,
    headers=answer_headers,
)
def test_any_answer_is_a_typed_result_or_a_heatpunk_error_in_words_without_the_key(
    fuzz_sandbox: Sandbox,
    fuzz_client: HeatpunkClient,
    call: str,
    status: int,
    body: bytes,
    content_type: str | None,
    headers: dict[str, str],
) -> None:
    fuzz_sandbox.clear_faults()
    fuzz_sandbox.fail_next(count=3, status=status, body=body, content_type=content_type, headers=headers)
    try:
        result = CALLS[call](fuzz_client)
    except HeatpunkError as error:
        words = heatpunk_failure(error)
        assert words.strip()
        for said in (words, str(error), repr(error), error.api_message or ""):
            assert SANDBOX_KEY not in said
            assert "Traceback" not in said
    else:
        assert EXPECTED[call](result), result
    finally:
        fuzz_sandbox.clear_faults()
