"""The state of a fake Slack workspace and the Web API methods that read and change it."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from leadbot.ops.manifest import load_manifest

TEAM_ID = "T0LEADBOT"
TEAM_NAME = "Leadbot Test Team"
APP_ID = "A0LEADBOT"
BOT_ID = "B0LEADBOT"
BOT_USER_ID = "U0LEADBOT"
# The fake workspace grants exactly the bot scopes leadbot's manifest asks for.
DEFAULT_SCOPES = tuple(load_manifest()["oauth_config"]["scopes"]["bot"])


class SlackError(Exception):
    """A Web API failure answered as {"ok": false, "error": ...} with optional extra fields."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class Channel:
    """A conversation the workspace knows, with the bot's membership."""

    id: str
    name: str
    is_member: bool = True
    is_private: bool = False
    is_archived: bool = False

    def to_api(self) -> dict[str, Any]:
        """Render as conversations.info does."""
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_private": self.is_private,
            "is_member": self.is_member,
            "is_archived": self.is_archived,
            "created": 1600000000,
        }


@dataclass
class Message:
    """A message the bot posted, as stored in a channel's history."""

    channel: str
    ts: str
    text: str
    blocks: list[Any] | None = None
    metadata: dict[str, Any] | None = None
    thread_ts: str | None = None
    reply_count: int = 0
    edited: bool = False
    files: list[dict[str, Any]] | None = None  # files shared with the message (files.completeUploadExternal)

    def to_api(self, *, with_metadata: bool = True) -> dict[str, Any]:
        """Render as conversations.history and chat.postMessage do."""
        out: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "ts": self.ts,
            "text": self.text,
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
        }
        if self.blocks is not None:
            out["blocks"] = self.blocks
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if self.reply_count:
            out["reply_count"] = self.reply_count
        if self.edited:
            out["edited"] = {"user": BOT_USER_ID, "ts": self.ts}
        if self.files:
            out["files"] = self.files
        if with_metadata and self.metadata is not None:
            out["metadata"] = self.metadata
        return out


@dataclass
class Ephemeral:
    """A message only one user saw; it never enters history."""

    channel: str
    user: str
    text: str
    blocks: list[Any] | None
    message_ts: str


@dataclass
class FunctionExecution:
    """One run of a custom step (a function in the manifest), as Slack tracks it until it is completed."""

    execution_id: str
    callback_id: str
    token: str  # the bot_access_token sent with its function_executed event
    inputs: dict[str, Any]
    state: str = "running"  # "running" until functions.completeSuccess ("success") or completeError ("error")
    outputs: dict[str, Any] | None = None
    error: str | None = None


def function_definition(callback_id: str) -> dict[str, Any]:
    """A step's definition from leadbot's manifest (its title, inputs, outputs), as Slack stores it."""
    return dict(load_manifest().get("functions", {}).get(callback_id) or {})


@dataclass(eq=False)
class SlackWorkspace:
    """Users, channels, messages, views and trigger ids: everything the Web API methods act on."""

    scopes: list[str] = field(default_factory=lambda: list(DEFAULT_SCOPES))
    trigger_ttl: float = 3.0
    clock: Callable[[], float] = field(default_factory=lambda: time.monotonic)  # for trigger and URL expiry
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    history: dict[str, list[Message]] = field(default_factory=dict)
    ephemerals: list[Ephemeral] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_views: dict[str, dict[str, Any]] = field(default_factory=dict)
    dnd: dict[str, dict[str, Any]] = field(default_factory=dict)  # user -> dnd.info fields (set_dnd)
    # files.getUploadURLExternal → file ID -> {filename, length, alt_txt, data (None until uploaded)}
    uploads: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # completed uploads, as files.info shows them
    executions: dict[str, FunctionExecution] = field(default_factory=dict)  # custom steps' runs
    _triggers: dict[str, float | None] = field(default_factory=dict, init=False, repr=False)
    _stacks: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1), init=False, repr=False)
    _view_ids: itertools.count[int] = field(
        default_factory=lambda: itertools.count(1), init=False, repr=False
    )
    _last_ts: int = field(default=0, init=False, repr=False)

    # ---- setting up the workspace

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_member: bool = True,
        is_private: bool = False,
        is_archived: bool = False,
    ) -> Channel:
        """Register a channel the tests can post to (or be refused)."""
        channel = Channel(channel_id, name, is_member, is_private, is_archived)
        self.channels[channel_id] = channel
        self.history.setdefault(channel_id, [])
        return channel

    def add_user(
        self,
        user_id: str,
        email: str | None = None,
        *,
        is_bot: bool = False,
        name: str = "member",
        deleted: bool = False,
        is_restricted: bool = False,
    ) -> dict[str, Any]:
        """Register a member; without an email the profile has none, as when Slack hides it."""
        profile: dict[str, Any] = {"real_name": name.title(), "display_name": name}
        if email is not None:
            profile["email"] = email
        user = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": name.title(),
            "deleted": deleted,
            "is_bot": is_bot,
            "is_admin": False,
            "is_restricted": is_restricted,
            "is_ultra_restricted": False,
            "tz": "Europe/London",
            "profile": profile,
        }
        self.users[user_id] = user
        return user

    def set_dnd(self, user_id: str, **fields: Any) -> None:
        """A member's Do Not Disturb as dnd.info reports it (dnd_enabled, next_dnd_start_ts, next_dnd_end_ts,
        snooze_enabled, snooze_endtime); no fields: DND off."""
        self.dnd[user_id] = dict(fields)

    def grant(self, *scopes: str) -> None:
        """Add scopes to the bot token."""
        self.scopes.extend(s for s in scopes if s not in self.scopes)

    def revoke_scope(self, *scopes: str) -> None:
        """Take scopes away from the bot token."""
        self.scopes[:] = [s for s in self.scopes if s not in scopes]

    def new_trigger_id(self) -> str:
        """Issue a trigger id, valid once for trigger_ttl seconds, as Slack sends with interactions."""
        trigger_id = f"{next(self._ids)}.{int(time.time())}.fake{next(self._ids):06x}"
        self._triggers[trigger_id] = self.clock()
        return trigger_id

    def new_function_execution(self, callback_id: str, inputs: dict[str, Any]) -> FunctionExecution:
        """A step starting in a workflow: an execution id and its own token (xwfp-…), as Slack issues them."""
        number = next(self._ids)
        execution = FunctionExecution(
            execution_id=f"Fx{number:010d}",
            callback_id=callback_id,
            token=f"xwfp-0000000000-{number:06d}-leadbot-test",
            inputs=dict(inputs),
        )
        self.executions[execution.execution_id] = execution
        return execution

    def messages(self, channel: str | None = None) -> list[Message]:
        """The stored messages (oldest first), of one channel or all, thread replies included."""
        lists = [self.history.get(channel, [])] if channel else list(self.history.values())
        return sorted((m for msgs in lists for m in msgs), key=lambda m: float(m.ts))

    def message(self, channel: str, ts: str) -> Message | None:
        """One stored message, or None."""
        return next((m for m in self.history.get(channel, []) if m.ts == ts), None)
