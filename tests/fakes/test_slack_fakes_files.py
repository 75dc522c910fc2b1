"""The fake Slack's file uploads as slack-sdk's files_upload_v2 drives them: files.getUploadURLExternal, the
bytes POSTed to the upload URL, files.completeUploadExternal sharing them in a channel or a thread."""

from __future__ import annotations

import json

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.slack import ALERTS_CHANNEL, BOT_TOKEN, FakeSlack

DATA = bytes(range(256)) * 10  # not text: the upload path keeps raw bytes


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)


def test_upload_v2_shares_the_bytes_in_a_thread(fake_slack: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=ALERTS_CHANNEL, text="the report")
    done = client.files_upload_v2(
        channel=ALERTS_CHANNEL,
        file=DATA,
        filename="chart.png",
        title="Chart",
        initial_comment="here",
        thread_ts=parent["ts"],
    )
    assert done["file"]["title"] == "Chart"
    assert [call.method for call in fake_slack.calls] == [
        "chat.postMessage",
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    assert fake_slack.uploaded(done["file"]["id"]) == DATA
    [reply] = [message for message in fake_slack.messages(ALERTS_CHANNEL) if message.files]
    assert (reply.text, reply.thread_ts) == ("here", parent["ts"])
    assert fake_slack.message(ALERTS_CHANNEL, parent["ts"]).reply_count == 1  # type: ignore[union-attr]


def test_uploads_are_refused_as_slack_refuses_them(fake_slack: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as unnamed:
        client.files_getUploadURLExternal(filename="", length=3)
    assert unnamed.value.response["error"] == "invalid_arguments"
    started = client.files_getUploadURLExternal(filename="a.png", length=3)
    with pytest.raises(SlackApiError) as early:  # completed before the bytes arrived
        client.files_completeUploadExternal(files=[{"id": started["file_id"]}], channel_id=ALERTS_CHANNEL)
    assert early.value.response["error"] == "file_not_found"
    assert httpx.post(f"{fake_slack.url}/upload/v1/F404", content=b"x").status_code == 404
    fake_slack.revoke_scope("files:write")
    with pytest.raises(SlackApiError) as scope:
        client.files_upload_v2(channel=ALERTS_CHANNEL, file=DATA, filename="a.png")
    assert scope.value.response["error"] == "missing_scope"
    assert json.loads(json.dumps(fake_slack.calls_to("upload")[0].params))["file_id"] == "F404"
