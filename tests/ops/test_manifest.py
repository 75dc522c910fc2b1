"""The manifest Slack accepts: schema rules, exactly the scopes leadbot needs, and a complete HTTP variant."""

from __future__ import annotations

import argparse
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from leadbot import ids
from leadbot.ops.check_texts import URL_NOT_HTTPS, URL_TOO_LONG
from leadbot.ops.manifest import (
    ManifestError,
    add_manifest_arguments,
    load_manifest,
    manifest_for_http,
    run_manifest_command,
)
from tests.ops.manifest_rules import schema_problems

ROOT = Path(__file__).resolve().parents[2]
SCOPES = {
    "commands",
    "chat:write",
    "chat:write.public",
    "users:read",
    "users:read.email",
    "channels:history",
    "groups:history",
    "im:write",  # DMs to a lead's owner and managers (the ladder)
    "im:history",  # looking up whether such a DM was already sent, after a crash
    "dnd:read",  # routing and nudges skip people on Do Not Disturb
    "files:write",  # report charts
}
# Each event leadbot subscribes to, with the scopes Slack requires for it (app_home_opened needs none, only
# a bot user). An event missing here fails the test: look its scopes up before subscribing to it.
# function_executed needs none either (docs.slack.dev/reference/events/function_executed: "No scopes
# required"); Slack sends it for the steps declared under `functions`.
EVENT_SCOPES: dict[str, set[str]] = {"app_home_opened": set(), "function_executed": set()}
SCOPE_NAME = re.compile(r"^[a-z]+(\.[a-z]+)*(:[a-z_]+(\.[a-z_]+)*)?$")
EVENT_NAME = re.compile(r"^[a-z_]+(\.[a-z_]+)?$")
SCHEMA_DIRS = [ROOT.parent / "shared" / "slack-manifest-schema", Path("/work/shared/slack-manifest-schema")]
URL = "https://bot.example.com"


def http_urls(manifest: dict[str, Any]) -> list[str | None]:
    """Every request URL an HTTP-mode app needs, None where it's missing."""
    settings = manifest["settings"]
    commands = manifest["features"]["slash_commands"]
    return [
        settings["interactivity"].get("request_url"),
        settings["event_subscriptions"].get("request_url"),
        *(command.get("url") for command in commands),
    ]


def run(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    add_manifest_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    code = run_manifest_command(parser.parse_args(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(params=["socket", "http"])
def manifest(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load_manifest() if request.param == "socket" else manifest_for_http(URL)


def test_the_root_copy_is_the_packaged_one() -> None:
    # manifest.yml at the root is for people; leadbot/manifest.yml ships in the wheel. Fix a drift with
    # `cp leadbot/manifest.yml manifest.yml`.
    assert (ROOT / "manifest.yml").read_bytes() == (ROOT / "leadbot" / "manifest.yml").read_bytes()


def test_follows_the_schema_rules(manifest: dict[str, Any]) -> None:
    assert schema_problems(manifest) == []
    assert manifest["_metadata"]["major_version"] == 2  # v2: the manifest declares functions


def test_the_rules_catch_mistakes() -> None:
    broken = load_manifest()
    broken["features"]["slash_commands"][0]["command"] = "leads"
    broken["settings"]["interactivity"] = {}
    broken["display_information"]["description"] = "x" * 141
    broken["settings"]["surprise"] = True
    assert len(schema_problems(broken)) == 4


def test_the_rules_catch_a_wrong_shortcut() -> None:
    broken = load_manifest()
    broken["features"]["shortcuts"][0]["type"] = "composer"
    broken["features"]["shortcuts"][1]["name"] = "A name longer than Slack shows"
    del broken["features"]["shortcuts"][1]["description"]
    assert len(schema_problems(broken)) == 3


def test_the_rules_catch_a_wrong_function() -> None:
    broken = load_manifest()
    steps = broken["functions"]
    del steps[ids.STEP_CREATE_LEAD]["title"]
    steps[ids.STEP_SET_STATUS]["input_parameters"]["properties"][ids.STEP_STATUS]["type"] = "text"
    del steps[ids.STEP_FIND_LEADS]["output_parameters"]["properties"]
    steps[ids.STEP_FIND_LEADS]["surprise"] = True
    assert len(schema_problems(broken)) == 4


def test_the_steps_are_the_ones_leadbot_runs(manifest: dict[str, Any]) -> None:
    """Each step acts as a person (a user_id input it requires), and Slack runs it on leadbot (remote)."""
    from leadbot.listeners.steps import STEPS

    steps = manifest["functions"]
    assert set(steps) == set(STEPS) == {ids.STEP_CREATE_LEAD, ids.STEP_SET_STATUS, ids.STEP_FIND_LEADS}
    for step in steps.values():
        inputs = step["input_parameters"]
        assert inputs["properties"][ids.STEP_ACTING_USER]["type"] == "slack#/types/user_id"
        assert ids.STEP_ACTING_USER in inputs["required"]
        assert set(inputs["required"]) <= set(inputs["properties"])
        assert set(step["output_parameters"]["required"]) == set(step["output_parameters"]["properties"])
    create = steps[ids.STEP_CREATE_LEAD]
    assert set(create["input_parameters"]["properties"]) == {
        ids.STEP_NAME, ids.STEP_EMAIL, ids.STEP_PHONE, ids.STEP_ADDRESS, ids.STEP_POSTCODE, ids.STEP_ACTING_USER
    }  # fmt: skip
    assert set(create["output_parameters"]["properties"]) == {ids.STEP_LEAD_ID, ids.STEP_SUMMARY}
    assert steps[ids.STEP_FIND_LEADS]["output_parameters"]["properties"][ids.STEP_COUNT]["type"] == "integer"
    assert manifest["settings"]["function_runtime"] == "remote"
    assert "function_executed" in manifest["settings"]["event_subscriptions"]["bot_events"]


def test_each_shortcut_is_one_leadbot_listens_for(manifest: dict[str, Any]) -> None:
    """The shortcuts need no scope of their own: `commands` covers shortcuts and slash commands alike."""
    shortcuts = {item["callback_id"]: item["type"] for item in manifest["features"]["shortcuts"]}
    assert shortcuts == {ids.LEAD_FROM_MESSAGE: "message", ids.NEW_LEAD_SHORTCUT: "global"}
    assert "commands" in manifest["oauth_config"]["scopes"]["bot"]


def test_scopes_are_exactly_what_leadbot_uses(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]
    assert sorted(scopes["bot"]) == sorted(SCOPES)
    assert set(scopes) == {"bot"}
    assert all(SCOPE_NAME.match(scope) for scope in scopes["bot"])


def test_every_event_has_its_scope_and_the_home_tab_its_event(manifest: dict[str, Any]) -> None:
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert set(events) <= set(EVENT_SCOPES), "look up the scopes of the new event and add it to EVENT_SCOPES"
    for event in events:
        assert EVENT_NAME.match(event)
        assert EVENT_SCOPES[event] <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in events
    assert manifest["features"]["bot_user"]["display_name"] == "leadbot"


def test_leads_command(manifest: dict[str, Any]) -> None:
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/leads"
    assert command["should_escape"] is True
    assert "whoami" in command["usage_hint"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_socket_mode_needs_no_url() -> None:
    manifest = load_manifest()
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["org_deploy_enabled"] is True  # custom steps need an org-ready app
    assert manifest["settings"]["token_rotation_enabled"] is False
    assert http_urls(manifest) == [None, None, None]


@pytest.mark.parametrize("url", [URL, URL + "/", URL + "/slack/events", URL + "/slack/events/"])
def test_http_variant_fills_every_url(url: str) -> None:
    manifest = manifest_for_http(url)
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert http_urls(manifest) == [URL + "/slack/events"] * 3


def test_http_variant_keeps_a_path_prefix() -> None:
    assert set(http_urls(manifest_for_http("https://example.com/bot"))) == {
        "https://example.com/bot/slack/events"
    }


@pytest.mark.parametrize(
    "url", ["http://bot.example.com", "bot.example.com", "https://", "ftp://x.example", ""]
)
def test_http_variant_refuses_urls_slack_cannot_use(url: str) -> None:
    with pytest.raises(ManifestError, match=re.escape(URL_NOT_HTTPS)):
        manifest_for_http(url)


def test_http_variant_refuses_a_url_too_long() -> None:
    with pytest.raises(ManifestError, match=re.escape(URL_TOO_LONG.format(limit=3000))):
        manifest_for_http(URL + "/" + "a" * 3000)


def test_command_prints_socket_mode_yaml() -> None:
    code, out, err = run()
    assert (code, err) == (0, "")
    assert yaml.safe_load(out) == load_manifest()
    assert out.startswith("#")


def test_command_prints_http_yaml() -> None:
    code, out, err = run("--url", URL)
    assert (code, err) == (0, "")
    assert yaml.safe_load(out) == manifest_for_http(URL)


def test_command_explains_a_bad_url() -> None:
    assert run("--url", "http://bot.example.com") == (2, "", URL_NOT_HTTPS + "\n")


def schema_validators() -> list[Any]:
    """Draft-7 validators for Slack's published schema, resolving its remote $refs to the local copies."""
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    drafts = pytest.importorskip("referencing.jsonschema")
    folder = next((path for path in SCHEMA_DIRS if (path / "manifest.schema.json").exists()), None)
    if folder is None:
        pytest.skip("slackapi/manifest-schema isn't beside the repo")
    schemas = {path.name: json.loads(path.read_text()) for path in folder.glob("*.json")}
    remote = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"
    resources = [
        (remote + name, referencing.Resource.from_contents(schema, default_specification=drafts.DRAFT7))
        for name, schema in schemas.items()
    ]
    registry = referencing.Registry().with_resources(resources)
    return [
        jsonschema.Draft7Validator(schemas[name], registry=registry)
        for name in ("manifest.schema.json", "manifest.schema.2.0.0.json")
    ]


def test_valid_against_slacks_published_schema(manifest: dict[str, Any]) -> None:
    # Runs where a copy of slackapi/manifest-schema sits beside the repo (shared/); the rules always run.
    for validator in schema_validators():
        assert [error.message for error in validator.iter_errors(manifest)] == []


def test_slacks_published_schema_catches_mistakes() -> None:
    broken = load_manifest()
    broken["features"]["slash_commands"][0]["command"] = "leads"
    for validator in schema_validators():
        assert not validator.is_valid(broken)
