"""The Heatpunk sandbox, over real HTTP on 127.0.0.1: a readable specification of the API it simulates."""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any

import httpx
import pytest

from leadbot.heatpunk import HeatpunkClient, NewLead
from leadbot.sandbox.service import (
    DEFAULT_API_KEY,
    DEFAULT_STATUSES,
    Sandbox,
    add_sandbox_arguments,
    run_sandbox_command,
)
from tests.fakes.heatpunk_fixtures import (
    ADMIN_EMAIL,
    OUTSIDER_EMAIL,
    SANDBOX_KEY,
    SEED_LEADS,
    STANDARD_EMAIL,
    TEAM_EMAIL,
)
from tests.support import wait_until

LONG_AGO = "2000-01-01"
CREATED_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z")
DOCUMENTED_ROW_FIELDS = frozenset(
    {
        "dateCreated",
        "status",
        "customerName",
        "address",
        "postcode",
        "customerEmail",
        "customerPhone",
        "lat",
        "lng",
        "origin",
    }
)
# The docs' curl examples (seed-leads-api.txt), byte for byte as curl -d sends them.
DOCS_FETCH = b'{ "userEmail": "saira.noor@midsummerenergy.co.uk", "furthestDate": "2025-09-10" }'
DOCS_CREATE = (
    b'{ "address": "7 Erdiston Ct, Bude, EX23 8HE", "customerName": "John Doe", '
    b'"customerEmail": "john.doe@example.com", "customerPhone": "1234567890" }'
)
DOCS_UPDATE = (
    b'{ "leadID": "1001", "userEmail": "saira.noor@midsummerenergy.co.uk", '
    b'"fields": { "address": "123 main st" } }'
)
DOCS_DELETE = b'{ "leadID": "1001" "userEmail": "saira.noor@midsummerenergy.co.uk" }'  # sic: no comma
# What curl adds to -d: a form content type, never application/json.
CURL_HEADERS = MappingProxyType(
    {"User-Agent": "curl/8.5.0", "Accept": "*/*", "Content-Type": "application/x-www-form-urlencoded"}
)


class Api:
    """Raw HTTP to a sandbox, so each test states exactly what is sent."""

    def __init__(self, http: httpx.Client, sandbox: Sandbox) -> None:
        self.http = http
        self.sandbox = sandbox

    def send(
        self,
        endpoint: str,
        body: Any,
        *,
        method: str | None = None,
        key: str | None = SANDBOX_KEY,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,
    ) -> httpx.Response:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {"Content-Type": "application/json"}
        if key is not None:
            sent["X-API-KEY"] = key
        sent.update(headers or {})
        method = method or ("DELETE" if endpoint == "delete" else "POST")
        url = f"{self.sandbox.base_url}/leads/{endpoint}"
        return self.http.request(method, url, content=content, headers=sent, timeout=timeout)

    def fetch(self, email: str = TEAM_EMAIL, since: str = LONG_AGO) -> httpx.Response:
        return self.send("fetch", {"userEmail": email, "furthestDate": since})

    def rows(self, email: str = TEAM_EMAIL, since: str = LONG_AGO) -> dict[str, dict[str, Any]]:
        response = self.fetch(email, since)
        assert response.status_code == 200, response.text
        rows: dict[str, dict[str, Any]] = response.json()["rows"]
        return rows

    def create(self, **fields: Any) -> httpx.Response:
        return self.send("create", fields)

    def update(self, lead_id: Any, fields: Any, email: str = TEAM_EMAIL) -> httpx.Response:
        return self.send("update", {"leadID": lead_id, "userEmail": email, "fields": fields})

    def delete(self, lead_id: Any, email: str = TEAM_EMAIL) -> httpx.Response:
        return self.send("delete", {"leadID": lead_id, "userEmail": email})


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=10.0) as client:
        yield client


@pytest.fixture
def api(http: httpx.Client, sandbox: Sandbox) -> Api:
    return Api(http, sandbox)


def error_of(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}
    message: str = body["error"]
    return message


def fixed_clock(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


# --- the docs' curl examples ------------------------------------------------------------------------


class TestDocsExamples:
    """seed-leads-api.txt's curl examples, pointed at the sandbox with the docs' own key placeholder."""

    @pytest.fixture
    def docs_api(self, http: httpx.Client, make_sandbox: Callable[..., Sandbox]) -> Api:
        sandbox = make_sandbox(
            api_key=DEFAULT_API_KEY, clock=fixed_clock(datetime(2025, 9, 20, 9, tzinfo=UTC))
        )
        return Api(http, sandbox)

    def curl(self, api: Api, method: str, endpoint: str, body: bytes) -> httpx.Response:
        headers = {**CURL_HEADERS, "x-api-key": "YOUR_API_KEY_HERE"}
        return api.http.request(
            method, f"{api.sandbox.base_url}/leads/{endpoint}", content=body, headers=headers
        )

    def test_fetch_returns_rows_created_on_or_after_furthest_date(self, docs_api: Api) -> None:
        response = self.curl(docs_api, "POST", "fetch", DOCS_FETCH)
        assert response.status_code == 200
        rows = response.json()["rows"]
        assert rows
        assert all(row["dateCreated"] >= "2025-09-10" for row in rows.values())
        assert len(rows) < SEED_LEADS  # seeded over the 90 days before 2025-09-20: older ones are left out

    def test_create_returns_the_new_lead_id(self, docs_api: Api) -> None:
        response = self.curl(docs_api, "POST", "create", DOCS_CREATE)
        assert response.status_code == 200
        assert response.json() == {"leadId": str(1001 + SEED_LEADS)}
        lead = docs_api.sandbox.lead(1001 + SEED_LEADS)
        assert lead is not None
        assert lead["customerName"] == "John Doe"
        assert lead["address"] == "7 Erdiston Ct, Bude, EX23 8HE"

    def test_update_answers_204_with_no_body(self, docs_api: Api) -> None:
        response = self.curl(docs_api, "POST", "update", DOCS_UPDATE)
        assert response.status_code == 204
        assert response.content == b""
        lead = docs_api.sandbox.lead(1001)
        assert lead is not None
        assert lead["address"] == "123 main st"

    def test_delete_example_as_printed_is_not_json(self, docs_api: Api) -> None:
        # The docs' delete body lacks a comma between its two members: a JSON parser refuses it.
        response = self.curl(docs_api, "DELETE", "delete", DOCS_DELETE)
        assert response.status_code == 400
        assert "delimiter" in error_of(response)
        assert docs_api.sandbox.lead(1001) is not None

    def test_delete_example_with_its_comma_answers_200(self, docs_api: Api) -> None:
        body = DOCS_DELETE.replace(b'"1001" "', b'"1001", "')
        response = self.curl(docs_api, "DELETE", "delete", body)
        assert response.status_code == 200
        assert response.json() == {"status": "success"}
        assert docs_api.sandbox.lead(1001) is None


# --- every request: route, key, body -------------------------------------------------------------------


class TestRoutingAndAuth:
    def test_unknown_endpoint_is_404(self, api: Api) -> None:
        response = api.send("export", {})
        assert response.status_code == 404
        assert "export" in error_of(response)

    @pytest.mark.parametrize(
        ("endpoint", "wrong", "allowed"), [("fetch", "GET", "POST"), ("delete", "POST", "DELETE")]
    )
    def test_wrong_method_is_405_naming_the_right_one(
        self, api: Api, endpoint: str, wrong: str, allowed: str
    ) -> None:
        response = api.send(endpoint, {}, method=wrong)
        assert response.status_code == 405
        assert response.headers["Allow"] == allowed

    def test_missing_key_is_401_with_a_json_error(self, api: Api) -> None:
        response = api.send("fetch", {"userEmail": TEAM_EMAIL, "furthestDate": LONG_AGO}, key=None)
        assert response.status_code == 401
        assert "X-API-KEY" in error_of(response)

    def test_wrong_key_is_401(self, api: Api) -> None:
        response = api.send("fetch", {"userEmail": TEAM_EMAIL, "furthestDate": LONG_AGO}, key="nope")
        assert response.status_code == 401
        assert error_of(response) == "Invalid API key."

    @pytest.mark.parametrize("name", ["X-API-KEY", "x-api-key", "X-Api-Key"])
    def test_key_header_name_is_case_insensitive(self, api: Api, name: str) -> None:
        body = {"userEmail": TEAM_EMAIL, "furthestDate": LONG_AGO}
        response = api.send("fetch", body, key=None, headers={name: SANDBOX_KEY})
        assert response.status_code == 200

    def test_key_is_checked_before_the_body(self, api: Api) -> None:
        assert api.send("fetch", b"{not json", key="nope").status_code == 401

    def test_key_can_change_while_running(self, api: Api, sandbox: Sandbox) -> None:
        sandbox.api_key = "rotated"
        assert api.fetch().status_code == 401
        assert (
            api.send("fetch", {"userEmail": TEAM_EMAIL, "furthestDate": LONG_AGO}, key="rotated").status_code
            == 200
        )


class TestBodyParsing:
    FETCH = b'{"userEmail": "saira.noor@midsummerenergy.co.uk", "furthestDate": "2000-01-01"}'

    @pytest.mark.parametrize(
        "content_type", [None, "application/x-www-form-urlencoded", "text/plain", "application/json"]
    )
    def test_body_is_json_whatever_the_content_type(self, api: Api, content_type: str | None) -> None:
        headers = {"X-API-KEY": SANDBOX_KEY}
        if content_type:
            headers["Content-Type"] = content_type
        url = f"{api.sandbox.base_url}/leads/fetch"
        response = api.http.post(url, content=self.FETCH, headers=headers)
        assert response.status_code == 200
        assert len(response.json()["rows"]) == SEED_LEADS

    def test_chunked_body_is_read(self, api: Api) -> None:
        chunks = iter([self.FETCH[:20], self.FETCH[20:]])
        url = f"{api.sandbox.base_url}/leads/fetch"
        response = api.http.post(url, content=chunks, headers={"X-API-KEY": SANDBOX_KEY})
        assert response.status_code == 200

    @pytest.mark.parametrize(
        ("body", "words"),
        [
            (b"{not json", "not valid JSON"),
            (b"", "empty"),
            (b"[1, 2]", "JSON object"),
            (b'"text"', "JSON object"),
            (b'{"userEmail": NaN}', "not valid JSON"),
            (b"\xff\xfe{", "not valid JSON"),
        ],
    )
    def test_unreadable_body_is_400_with_a_message(self, api: Api, body: bytes, words: str) -> None:
        response = api.send("fetch", body)
        assert response.status_code == 400
        assert words in error_of(response)


# --- fetch ------------------------------------------------------------------------------------------------


class TestFetch:
    @pytest.mark.parametrize(
        "body", [{"furthestDate": LONG_AGO}, {"userEmail": "", "furthestDate": LONG_AGO}]
    )
    def test_user_email_is_required(self, api: Api, body: dict[str, Any]) -> None:
        response = api.send("fetch", body)
        assert response.status_code == 400
        assert "userEmail" in error_of(response)

    def test_email_outside_the_team_is_403(self, api: Api) -> None:
        response = api.fetch(OUTSIDER_EMAIL)
        assert response.status_code == 403
        assert OUTSIDER_EMAIL in error_of(response)

    def test_team_emails_match_whatever_their_case(self, api: Api) -> None:
        assert api.fetch("Saira.Noor@MidsummerEnergy.co.uk").status_code == 200

    @pytest.mark.parametrize(
        "value",
        [None, "", "10/09/2025", "2025-9-10", "2025-13-01", "2025-02-30", 20250910, "2025-09-10T00:00"],
    )
    def test_furthest_date_must_be_yyyy_mm_dd(self, api: Api, value: Any) -> None:
        body = {"userEmail": TEAM_EMAIL} | ({} if value is None else {"furthestDate": value})
        response = api.send("fetch", body)
        assert response.status_code == 400
        assert "furthestDate" in error_of(response)

    def test_furthest_date_is_an_inclusive_lower_bound_on_the_utc_day(
        self, api: Api, sandbox: Sandbox
    ) -> None:
        before = sandbox.add_lead(dateCreated="2020-06-09T23:59:59.000Z")
        first = sandbox.add_lead(dateCreated="2020-06-10T00:00:00.000Z")
        later = sandbox.add_lead(dateCreated=datetime(2020, 6, 11, 0, 30, tzinfo=UTC))
        rows = api.rows(since="2020-06-10")
        assert first in rows
        assert later in rows
        assert before not in rows
        assert rows[first]["dateCreated"] == "2020-06-10T00:00:00.000Z"

    def test_leads_come_newest_first(self, api: Api) -> None:
        dates = [row["dateCreated"] for row in api.rows().values()]
        assert dates == sorted(dates, reverse=True)

    def test_a_future_furthest_date_gives_no_rows(self, api: Api) -> None:
        assert api.rows(since="2999-01-01") == {}

    def test_rows_shape_keys_leads_by_string_id(self, api: Api) -> None:
        rows = api.rows()
        assert set(rows) == {str(lead_id) for lead_id in range(1001, 1001 + SEED_LEADS)}
        row = rows["1001"]
        assert "ID" not in row
        assert set(row) >= DOCUMENTED_ROW_FIELDS
        assert CREATED_FORMAT.fullmatch(row["dateCreated"])
        assert row["projectType"] in {"solar", "heat pump"}  # fields the docs leave as "…"

    def test_array_shape_carries_a_numeric_id(self, api: Api, sandbox: Sandbox) -> None:
        sandbox.shape = "array"
        response = api.fetch()
        assert response.status_code == 200
        leads = response.json()
        assert isinstance(leads, list)
        assert len(leads) == SEED_LEADS
        assert all(isinstance(lead["ID"], int) for lead in leads)
        assert set(leads[0]) >= DOCUMENTED_ROW_FIELDS
        sandbox.shape = "rows"
        assert "rows" in api.fetch().json()

    def test_no_rows_in_either_shape(self, api: Api, sandbox: Sandbox) -> None:
        assert api.fetch(since="2999-01-01").json() == {"rows": {}}
        sandbox.shape = "array"
        assert api.fetch(since="2999-01-01").json() == []

    def test_non_ascii_text_is_sent_as_utf8(self, api: Api, sandbox: Sandbox) -> None:
        lead_id = sandbox.add_lead(customerName="Siân Ó Súilleabháin")
        response = api.fetch(since=date.today().isoformat())
        assert "Siân".encode() in response.content
        assert response.json()["rows"][lead_id]["customerName"] == "Siân Ó Súilleabháin"


# --- who sees what ------------------------------------------------------------------------------------


class TestVisibility:
    def test_owner_and_admin_see_every_lead(self, api: Api) -> None:
        assert len(api.rows(TEAM_EMAIL)) == SEED_LEADS
        assert len(api.rows(ADMIN_EMAIL)) == SEED_LEADS

    def test_standard_member_sees_only_leads_assigned_to_them(self, api: Api, sandbox: Sandbox) -> None:
        mine = {str(lead["ID"]) for lead in sandbox.leads if sandbox.owner_of(lead["ID"]) == STANDARD_EMAIL}
        assert 0 < len(mine) < SEED_LEADS
        assert set(api.rows(STANDARD_EMAIL)) == mine

    def test_the_owner_is_never_in_a_row(self, api: Api) -> None:
        text = api.fetch().text
        assert STANDARD_EMAIL not in text
        assert ADMIN_EMAIL not in text

    def test_assigning_a_lead_shows_it_to_that_member(self, api: Api, sandbox: Sandbox) -> None:
        lead_id = sandbox.add_lead(customerName="Unassigned")
        assert lead_id not in api.rows(STANDARD_EMAIL)
        sandbox.assign(lead_id, STANDARD_EMAIL)
        assert lead_id in api.rows(STANDARD_EMAIL)

    def test_update_and_delete_of_a_lead_they_cannot_see_is_404(self, api: Api, sandbox: Sandbox) -> None:
        theirs = sandbox.add_lead(assigned_to=ADMIN_EMAIL)
        assert api.update(theirs, {"status": "Quote"}, email=STANDARD_EMAIL).status_code == 404
        assert api.delete(theirs, email=STANDARD_EMAIL).status_code == 404
        mine = sandbox.add_lead(assigned_to=STANDARD_EMAIL)
        assert api.update(mine, {"status": "Quote"}, email=STANDARD_EMAIL).status_code == 204
        assert api.delete(mine, email=STANDARD_EMAIL).status_code == 200

    def test_a_list_of_emails_makes_everyone_an_admin(
        self, http: httpx.Client, make_sandbox: Callable[..., Sandbox]
    ) -> None:
        api = Api(http, make_sandbox(team=["ann@installer.co.uk", "bob@installer.co.uk"]))
        assert api.sandbox.team == {"ann@installer.co.uk": "admin", "bob@installer.co.uk": "admin"}
        assert len(api.rows("bob@installer.co.uk")) == SEED_LEADS
        assert api.fetch(TEAM_EMAIL).status_code == 403

    def test_team_can_change_while_running(self, api: Api, sandbox: Sandbox) -> None:
        sandbox.set_team({OUTSIDER_EMAIL: "owner"})
        assert api.fetch(TEAM_EMAIL).status_code == 403
        assert len(api.rows(OUTSIDER_EMAIL)) == SEED_LEADS

    def test_open_team_lets_any_email_in_as_an_admin(self, api: Api, sandbox: Sandbox) -> None:
        sandbox.open_team = True
        assert len(api.rows(OUTSIDER_EMAIL)) == SEED_LEADS

    def test_unknown_role_is_refused(self) -> None:
        with pytest.raises(ValueError, match="role"):
            Sandbox(team={TEAM_EMAIL: "boss"}, seed_leads=0)


# --- create -------------------------------------------------------------------------------------------


class TestCreate:
    def test_new_lead_gets_the_next_id_as_a_string(self, api: Api) -> None:
        first = api.create(customerName="Ann Other", customerEmail="ann@example.com")
        second = api.create(customerName="Bob Other", customerPhone="07700 900001")
        assert first.status_code == second.status_code == 200
        assert first.json() == {"leadId": str(1001 + SEED_LEADS)}
        assert second.json() == {"leadId": str(1002 + SEED_LEADS)}

    def test_new_lead_is_new_now_and_from_the_api(self, api: Api) -> None:
        lead_id = api.create(
            customerName="Ann Other", customerEmail="ann@example.com", lat=52.2, lng=0.12
        ).json()["leadId"]
        row = api.rows(since=date.today().isoformat())[lead_id]
        assert row["status"] == "new"
        assert row["origin"] == "api"
        assert row["lat"] == 52.2
        assert CREATED_FORMAT.fullmatch(row["dateCreated"])
        created = datetime.fromisoformat(row["dateCreated"].replace("Z", "+00:00"))
        assert abs(datetime.now(UTC) - created) < timedelta(minutes=1)

    def test_created_leads_are_unassigned(self, api: Api) -> None:
        lead_id = api.create(customerName="Ann Other", customerEmail="ann@example.com").json()["leadId"]
        assert lead_id not in api.rows(STANDARD_EMAIL)

    @pytest.mark.parametrize(
        ("body", "named"),
        [
            ({"customerEmail": "ann@example.com"}, "customerName"),
            ({"customerName": "  ", "customerEmail": "ann@example.com"}, "customerName"),
            ({"customerName": "Ann Other"}, "customerEmail or customerPhone"),
            (
                {"customerName": "Ann", "customerEmail": "", "customerPhone": ""},
                "customerEmail or customerPhone",
            ),
            ({}, "customerName and customerEmail or customerPhone"),
        ],
    )
    def test_name_and_a_way_to_reach_them_are_required(
        self, api: Api, body: dict[str, Any], named: str
    ) -> None:
        response = api.send("create", body)
        assert response.status_code == 400
        assert named in error_of(response)

    @pytest.mark.parametrize(
        ("field", "value"), [("lat", 91), ("lat", -90.5), ("lng", 180.1), ("lng", "0.12"), ("lat", True)]
    )
    def test_coordinates_must_be_numbers_in_range(self, api: Api, field: str, value: Any) -> None:
        response = api.create(customerName="Ann", customerEmail="ann@example.com", **{field: value})
        assert response.status_code == 400
        assert field in error_of(response)

    def test_text_fields_must_be_text(self, api: Api) -> None:
        response = api.create(customerName="Ann", customerPhone=7700900001)
        assert response.status_code == 400
        assert "customerPhone" in error_of(response)

    def test_older_answer_form_and_numeric_ids_are_knobs(self, api: Api, sandbox: Sandbox) -> None:
        sandbox.create_style = "leadID"
        assert api.create(customerName="A", customerEmail="a@b.co").json() == {
            "status": "success",
            "leadID": "1101",
        }
        sandbox.id_type = "number"
        assert api.create(customerName="A", customerEmail="a@b.co").json() == {
            "status": "success",
            "leadID": 1102,
        }
        sandbox.create_style = "leadId"
        assert api.create(customerName="A", customerEmail="a@b.co").json() == {"leadId": 1103}


# --- update -------------------------------------------------------------------------------------------


class TestUpdate:
    def test_success_is_204_and_the_change_shows_in_fetch(self, api: Api) -> None:
        response = api.update("1001", {"customerName": "New Name", "projectName": "Loft PV", "lat": 51.5})
        assert response.status_code == 204
        assert response.content == b""
        row = api.rows()["1001"]
        assert row["customerName"] == "New Name"
        assert row["projectName"] == "Loft PV"
        assert row["lat"] == 51.5

    def test_lead_id_may_be_a_number(self, api: Api) -> None:
        assert api.update(1001, {"postcode": "CB24 6YU"}).status_code == 204

    @pytest.mark.parametrize("missing", ["leadID", "userEmail", "fields"])
    def test_lead_id_email_and_fields_are_required(self, api: Api, missing: str) -> None:
        body = {"leadID": "1001", "userEmail": TEAM_EMAIL, "fields": {"status": "Quote"}}
        del body[missing]
        response = api.send("update", body)
        assert response.status_code == 400
        assert missing in error_of(response)

    @pytest.mark.parametrize("fields", [[], "status=Quote", {}])
    def test_fields_must_be_a_non_empty_object(self, api: Api, fields: Any) -> None:
        response = api.update("1001", fields)
        assert response.status_code == 400
        assert "fields" in error_of(response)

    @pytest.mark.parametrize("lead_id", ["999999", 424242, "abc", 1001.5])
    def test_unknown_lead_is_404(self, api: Api, lead_id: Any) -> None:
        response = api.update(lead_id, {"status": "Quote"})
        assert response.status_code == 404
        assert str(lead_id) in error_of(response)

    def test_outsider_is_403(self, api: Api) -> None:
        assert api.update("1001", {"status": "Quote"}, email=OUTSIDER_EMAIL).status_code == 403

    @pytest.mark.parametrize("name", ["colour", "dateCreated", "origin", "ID"])
    def test_only_documented_meta_fields_are_accepted(self, api: Api, name: str) -> None:
        response = api.update("1001", {name: "x"})
        assert response.status_code == 400
        assert f'"{name}"' in error_of(response)

    def test_every_default_status_is_accepted(self, api: Api) -> None:
        for status in DEFAULT_STATUSES:
            assert api.update("1001", {"status": status}).status_code == 204

    def test_other_statuses_are_refused_by_name(self, api: Api) -> None:
        response = api.update("1001", {"status": "Foo"})
        assert response.status_code == 400
        assert error_of(response).startswith('Invalid status "Foo"')

    def test_accepted_statuses_are_a_knob(self, api: Api, sandbox: Sandbox) -> None:
        sandbox.statuses = ("new", "Won")
        assert api.update("1001", {"status": "Won"}).status_code == 204
        assert api.update("1001", {"status": "Quote"}).status_code == 400

    def test_build_date_takes_the_documented_values(self, api: Api) -> None:
        assert api.update("1001", {"buildDate": "post2006"}).status_code == 204
        response = api.update("1001", {"buildDate": "1999"})
        assert response.status_code == 400
        assert "buildDate" in error_of(response)

    def test_coordinates_are_checked(self, api: Api) -> None:
        assert api.update("1001", {"lng": 200}).status_code == 400


# --- delete -------------------------------------------------------------------------------------------


class TestDelete:
    def test_success_is_200_and_the_lead_is_gone(self, api: Api, sandbox: Sandbox) -> None:
        response = api.delete("1050")
        assert response.status_code == 200
        assert response.json() == {"status": "success"}
        assert "1050" not in api.rows()
        assert sandbox.lead(1050) is None
        assert api.delete("1050").status_code == 404

    @pytest.mark.parametrize("missing", ["leadID", "userEmail"])
    def test_lead_id_and_email_are_required(self, api: Api, missing: str) -> None:
        body = {"leadID": "1001", "userEmail": TEAM_EMAIL}
        del body[missing]
        response = api.send("delete", body)
        assert response.status_code == 400
        assert missing in error_of(response)

    def test_unknown_lead_is_404(self, api: Api) -> None:
        assert api.delete("999999").status_code == 404

    def test_outsider_is_403(self, api: Api) -> None:
        assert api.delete("1001", email=OUTSIDER_EMAIL).status_code == 403


# --- knobs ----------------------------------------------------------------------------------------


class TestInjectedFailures:
    def test_fail_next_answers_500_once_then_recovers(self, api: Api) -> None:
        api.sandbox.fail_next()
        failed = api.fetch()
        assert failed.status_code == 500
        assert failed.headers["Content-Type"].startswith("application/json")
        assert error_of(failed) == "Internal Server Error"
        assert api.fetch().status_code == 200

    def test_fail_next_counts(self, api: Api) -> None:
        api.sandbox.fail_next(count=2, status=503)
        assert [api.fetch().status_code for _ in range(3)] == [503, 503, 200]

    @pytest.mark.parametrize(
        ("body", "content_type", "expected_type"),
        [
            ({"message": "Down for maintenance"}, None, "application/json"),
            ("Service Unavailable", None, "text/plain"),
            ("<html><body><h1>502 Bad Gateway</h1></body></html>", None, "text/html"),
            (b"\x00\x01", "application/octet-stream", "application/octet-stream"),
        ],
    )
    def test_fail_next_sends_any_body(
        self, api: Api, body: Any, content_type: str | None, expected_type: str
    ) -> None:
        api.sandbox.fail_next(status=502, body=body, content_type=content_type)
        response = api.fetch()
        assert response.status_code == 502
        assert response.headers["Content-Type"].startswith(expected_type)
        expected = (
            body
            if isinstance(body, bytes)
            else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
        )
        assert response.content == expected

    def test_fail_next_can_send_an_empty_body(self, api: Api) -> None:
        api.sandbox.fail_next(status=500, body="")
        response = api.fetch()
        assert response.status_code == 500
        assert response.content == b""
        assert "Content-Type" not in response.headers

    def test_fail_next_can_answer_200_with_rubbish(self, api: Api) -> None:
        api.sandbox.fail_next(status=200, body="<html>Login</html>")
        response = api.fetch()
        assert response.status_code == 200
        assert response.text == "<html>Login</html>"

    def test_fail_next_can_target_one_endpoint(self, api: Api, sandbox: Sandbox) -> None:
        sandbox.fail_next(endpoint="create")
        assert api.fetch().status_code == 200
        assert api.create(customerName="A", customerEmail="a@b.co").status_code == 500
        assert sandbox.lead_count == SEED_LEADS  # a failed request changes nothing

    @pytest.mark.parametrize(
        ("knob", "value"),
        [("shape", "csv"), ("create_style", "legacy"), ("id_type", "uuid"), ("latency", -1), ("api_key", "")],
    )
    def test_knobs_refuse_values_they_cannot_honour(self, sandbox: Sandbox, knob: str, value: Any) -> None:
        with pytest.raises(ValueError, match=r"\S"):
            setattr(sandbox, knob, value)

    @pytest.mark.parametrize("seconds", [0, -1])
    def test_new_leads_need_a_positive_interval(self, sandbox: Sandbox, seconds: float) -> None:
        with pytest.raises(ValueError, match="new_lead_every"):
            sandbox.new_lead_every = seconds

    def test_unknown_endpoint_name_is_refused(self, sandbox: Sandbox) -> None:
        with pytest.raises(ValueError, match="endpoint"):
            sandbox.fail_next(endpoint="leads/fetch")

    def test_clear_faults(self, api: Api, sandbox: Sandbox) -> None:
        sandbox.fail_next(count=5)
        sandbox.clear_faults()
        assert api.fetch().status_code == 200

    def test_hang_next_answers_after_the_client_gave_up_but_does_the_work(
        self, api: Api, sandbox: Sandbox
    ) -> None:
        sandbox.hang_next(seconds=5, endpoint="create")
        with pytest.raises(httpx.ReadTimeout):
            api.send("create", {"customerName": "Slow Sam", "customerEmail": "sam@example.com"}, timeout=0.3)
        assert sandbox.lead(1001 + SEED_LEADS) is not None  # the lead was saved: retrying would duplicate it
        started = time.monotonic()
        assert api.create(customerName="Fast", customerEmail="f@example.com").status_code == 200
        assert time.monotonic() - started < 2

    def test_latency_is_added_to_every_request(self, api: Api, sandbox: Sandbox) -> None:
        sandbox.latency = 0.3
        started = time.monotonic()
        assert api.fetch().status_code == 200
        assert time.monotonic() - started >= 0.3
        sandbox.latency = 0.0


class TestRecordedRequests:
    def test_every_request_is_recorded_as_received(self, api: Api, sandbox: Sandbox) -> None:
        api.update("1001", {"status": "Quote"})
        api.send("fetch", b"{broken", key="wrong")
        update, broken = sandbox.requests
        assert (update.method, update.path) == ("POST", "/api/v1/leads/update")
        assert update.header("content-type") == "application/json"
        assert update.header("X-Api-Key") == SANDBOX_KEY
        assert update.body == {"leadID": "1001", "userEmail": TEAM_EMAIL, "fields": {"status": "Quote"}}
        assert broken.body is None
        assert broken.raw_body == b"{broken"
        sandbox.clear_requests()
        assert sandbox.requests == []


# --- leads in and out ------------------------------------------------------------------------------


class TestLeads:
    def test_leads_are_api_form_dicts_by_id(self, sandbox: Sandbox) -> None:
        leads = sandbox.leads
        assert [lead["ID"] for lead in leads] == list(range(1001, 1001 + SEED_LEADS))
        assert set(leads[0]) >= DOCUMENTED_ROW_FIELDS
        assert sandbox.lead("1001") == leads[0]
        assert sandbox.lead(5) is None
        assert sandbox.lead("abc") is None

    def test_add_lead_fills_in_a_realistic_lead(self, sandbox: Sandbox) -> None:
        lead_id = sandbox.add_lead(customerName="Given Name", projectType="heat pump", colour="green")
        lead = sandbox.lead(lead_id)
        assert lead is not None
        assert lead_id == str(1001 + SEED_LEADS)
        assert lead["customerName"] == "Given Name"
        assert lead["colour"] == "green"  # any field, documented or not
        assert lead["status"] == "new"
        assert lead["address"]
        assert lead["postcode"]

    def test_new_lead_every_adds_leads_while_running(self, sandbox: Sandbox) -> None:
        sandbox.new_lead_every = 0.05
        wait_until(lambda: sandbox.lead_count >= SEED_LEADS + 3, timeout=10, what="three new leads")
        sandbox.new_lead_every = None
        newest = sandbox.leads[-1]
        assert newest["status"] == "new"
        assert newest["dateCreated"] >= date.today().isoformat()


class TestSeed:
    NOW = datetime(2025, 9, 20, 12, tzinfo=UTC)

    def seeded(self, **options: Any) -> list[dict[str, Any]]:
        options.setdefault("seed_leads", 2000)
        return Sandbox(clock=fixed_clock(self.NOW), **options).leads

    def test_same_seed_same_leads(self) -> None:
        assert self.seeded(rng_seed=7, seed_leads=50) == self.seeded(rng_seed=7, seed_leads=50)
        assert self.seeded(rng_seed=7, seed_leads=50) != self.seeded(rng_seed=8, seed_leads=50)

    def test_leads_look_like_uk_homeowners(self) -> None:
        leads = self.seeded()
        postcode = re.compile(r"[A-Z]{1,2}\d{1,2} ?\d[ABD-HJLNP-UW-Z]{2}")
        phone = re.compile(r"(0|\+44 ?)[127][\d ]{8,12}")
        assert all(postcode.fullmatch(lead["postcode"]) for lead in leads)
        phones = [lead["customerPhone"] for lead in leads if lead["customerPhone"]]
        assert all(phone.fullmatch(number) for number in phones)
        assert any(number.startswith("07700 900") for number in phones)
        assert any(number.startswith("+44 7700") for number in phones)
        assert any(number.startswith("01") or number.startswith("02") for number in phones)
        assert all(lead["customerEmail"] or lead["customerPhone"] for lead in leads)
        assert all(len(lead["customerName"].split()) >= 2 for lead in leads)
        assert all(lead["postcode"] in lead["address"] or "," in lead["address"] for lead in leads)
        located = [lead for lead in leads if lead["lat"] is not None]
        assert all(49.8 < lead["lat"] < 60.9 and -8.2 < lead["lng"] < 1.8 for lead in located)

    def test_mostly_new_speedy_pv_leads_over_the_last_days(self) -> None:
        leads = self.seeded(days=30)
        origins = [lead["origin"] for lead in leads]
        assert origins.count("https://easy-pv.co.uk/speedy-pv") > len(leads) * 0.6
        assert len(set(origins)) > 3
        assert [lead["status"] for lead in leads].count("new") > len(leads) * 0.6
        dates = [lead["dateCreated"] for lead in leads]
        assert dates == sorted(dates)  # IDs grow with time
        assert dates[0] >= "2025-08-21"
        assert dates[-1] <= "2025-09-20T12:00:00.000Z"

    def test_nasty_values_only_when_asked(self) -> None:
        assert not any(lead["customerName"] == "<!channel>" for lead in self.seeded(seed_leads=200))
        nasty = self.seeded(seed_leads=200, nasty=True)
        assert any(lead["customerName"] == "<!channel>" for lead in nasty)
        assert any("&" in lead["address"] and "<http://evil|click>" in lead["address"] for lead in nasty)
        assert any(len(lead["address"]) == 2000 for lead in nasty)

    def test_a_hundred_thousand_leads_fetch_by_window(
        self, http: httpx.Client, make_sandbox: Callable[..., Sandbox]
    ) -> None:
        sandbox = make_sandbox(seed_leads=100_000, days=100)
        api = Api(http, sandbox)
        yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        recent = api.rows(since=yesterday)
        assert 0 < len(recent) < 5_000
        assert all(row["dateCreated"] >= yesterday for row in recent.values())
        mine = api.rows(STANDARD_EMAIL, since=yesterday)
        assert 0 < len(mine) < len(recent)
        assert set(mine) <= set(recent)
        assert (
            sandbox.lead_count == 100_000
        )  # (the whole 40 MB over HTTP would add seconds and prove nothing new)


# --- lifecycle ------------------------------------------------------------------------------------


def sandbox_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("heatpunk-sandbox")]


class TestLifecycle:
    def test_base_url_and_port(self, sandbox: Sandbox) -> None:
        assert sandbox.port > 0
        assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}/api/v1"

    def test_context_manager_starts_and_stops(self) -> None:
        with Sandbox(seed_leads=1) as sandbox:
            assert sandbox.running
            url = sandbox.base_url
        assert not sandbox.running
        with pytest.raises(httpx.ConnectError):
            httpx.post(f"{url}/leads/fetch", trust_env=False)

    def test_port_before_start_is_an_error(self) -> None:
        with pytest.raises(RuntimeError, match="start"):
            _ = Sandbox(seed_leads=0).port

    def test_start_twice_is_an_error_and_stop_twice_is_fine(self, sandbox: Sandbox) -> None:
        with pytest.raises(RuntimeError, match="already"):
            sandbox.start()
        sandbox.stop()
        sandbox.stop()

    def test_can_start_again_after_stopping(self, http: httpx.Client) -> None:
        sandbox = Sandbox(seed_leads=3, api_key=SANDBOX_KEY)
        for _ in range(2):
            with sandbox:
                assert len(Api(http, sandbox).rows()) == 3

    def test_stop_ends_every_thread_despite_open_and_hung_connections(self) -> None:
        before = set(sandbox_threads())
        sandbox = Sandbox(seed_leads=3, api_key=SANDBOX_KEY, new_lead_every=60).start()
        idle = httpx.Client(trust_env=False)
        assert Api(idle, sandbox).fetch().status_code == 200  # leaves a keep-alive connection open
        sandbox.hang_next(seconds=60)
        hung = threading.Thread(target=self._fetch_ignoring_errors, args=(sandbox,), daemon=True)
        hung.start()
        wait_until(lambda: len(sandbox.requests) == 2, timeout=5, what="the hung request to arrive")
        started = time.monotonic()
        sandbox.stop()
        assert time.monotonic() - started < 5
        hung.join(5)
        idle.close()
        assert set(sandbox_threads()) <= before

    @staticmethod
    def _fetch_ignoring_errors(sandbox: Sandbox) -> None:
        with contextlib.suppress(httpx.HTTPError), httpx.Client(trust_env=False, timeout=30) as client:
            Api(client, sandbox).fetch()


# --- `leadbot sandbox` -------------------------------------------------------------------------


CLI = (
    "import argparse, sys\n"
    "from leadbot.sandbox.service import add_sandbox_arguments, run_sandbox_command\n"
    "parser = argparse.ArgumentParser()\n"
    "add_sandbox_arguments(parser)\n"
    "sys.exit(run_sandbox_command(parser.parse_args()))\n"
)


class TestCommand:
    @pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
    def test_serves_prints_how_to_connect_and_stops_on_a_signal(
        self, http: httpx.Client, stop_with: int
    ) -> None:
        args = [
            "--port",
            "0",
            "--api-key",
            "cli-key",
            "--team-email",
            "a@x.co.uk",
            "b@x.co.uk",
            "--seed-leads",
            "5",
            "--shape",
            "array",
        ]
        process = subprocess.Popen(
            [sys.executable, "-c", CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            assert process.stdout is not None
            printed = ""
            while "Ctrl+C" not in printed:
                line = process.stdout.readline()
                assert line, process.stderr.read() if process.stderr else "no output"
                printed += line
            found = re.search(r"HEATPUNK_BASE_URL=(\S+)", printed)
            assert found
            base_url = found.group(1)
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v1", base_url)
            assert "HEATPUNK_API_KEY=cli-key" in printed
            assert "a@x.co.uk (admin)" in printed
            assert "b@x.co.uk (admin)" in printed
            response = http.post(
                f"{base_url}/leads/fetch",
                headers={"x-api-key": "cli-key"},
                content=json.dumps({"userEmail": "b@x.co.uk", "furthestDate": LONG_AGO}),
            )
            assert response.status_code == 200
            assert len(response.json()) == 5
            process.send_signal(stop_with)
            assert process.wait(10) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()

    def test_busy_port_is_a_readable_error(
        self, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
    ) -> None:
        parser = argparse.ArgumentParser()
        add_sandbox_arguments(parser)
        args = parser.parse_args(["--port", str(sandbox.port), "--seed-leads", "0"])
        assert run_sandbox_command(args, stop=threading.Event()) == 1
        assert f"port {sandbox.port}" in capsys.readouterr().err

    @pytest.mark.parametrize(
        "bad", [["--seed-leads", "-1"], ["--latency", "-2"], ["--shape", "csv"], ["--new-lead-every", "0"]]
    )
    def test_bad_options_are_refused(self, bad: list[str]) -> None:
        parser = argparse.ArgumentParser()
        add_sandbox_arguments(parser)
        with pytest.raises(SystemExit):
            parser.parse_args(bad)


# --- the real client, once -------------------------------------------------------------------------


def test_client_smoke(heatpunk_client: HeatpunkClient, sandbox: Sandbox) -> None:
    leads = heatpunk_client.fetch(TEAM_EMAIL, date(2000, 1, 1))
    assert {lead.id for lead in leads} == {str(lead["ID"]) for lead in sandbox.leads}
    new_id = heatpunk_client.create(NewLead(customer_name="Smoke Test", customer_email="smoke@example.com"))
    assert sandbox.lead(new_id) is not None
    last = sandbox.requests[-1]
    assert last.header("Content-Type") == "application/json"
    assert last.header("X-API-KEY") == SANDBOX_KEY
