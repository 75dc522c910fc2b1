"""The Web API methods of the fake Slack: each checks what Slack checks and changes the workspace."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

from tests.fakes.slack_blocks import check_blocks, check_view
from tests.fakes.slack_workspace import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    TEAM_NAME,
    Channel,
    Ephemeral,
    FunctionExecution,
    Message,
    SlackError,
    SlackWorkspace,
    function_definition,
)

# method -> the scope its bot token needs; conversations.* need the private variant on private channels.
REQUIRED_SCOPES: dict[str, str] = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "chat.postEphemeral": "chat:write",
    "users.info": "users:read",
    "conversations.history": "channels:history",
    "conversations.replies": "channels:history",
    "conversations.info": "channels:read",
    "conversations.join": "channels:join",
    "conversations.open": "im:write",
    "dnd.info": "dnd:read",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}
METHODS = (
    "auth.test",
    "users.info",
    "chat.postMessage",
    "chat.update",
    "chat.delete",
    "chat.postEphemeral",
    "chat.getPermalink",
    "conversations.info",
    "conversations.join",
    "conversations.history",
    "conversations.replies",
    "conversations.open",
    "views.open",
    "views.push",
    "views.update",
    "views.publish",
    "dnd.info",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
    "functions.completeSuccess",
    "functions.completeError",
)
_PRIVATE_SCOPE = {"channels:history": "groups:history", "channels:read": "groups:read"}
_DM_SCOPE = {"channels:history": "im:history", "channels:read": "im:read"}


class WebApiMethods(SlackWorkspace):
    """The workspace plus one method per Web API method; callers hold the lock and catch SlackError."""

    # ---- helpers the methods share

    def _next_ts(self) -> str:
        """A message ts on the real clock, strictly increasing, like "1700000000.000100"."""
        self._last_ts = max(int(time.time() * 1_000_000), self._last_ts + 100)
        return f"{self._last_ts // 1_000_000}.{self._last_ts % 1_000_000:06d}"

    def _need_scope(self, method: str, private: bool = False, *, dm: bool = False) -> None:
        """Refuse with missing_scope, as Slack does, when the bot token lacks the method's scope."""
        scope = REQUIRED_SCOPES.get(method)
        if scope and dm:
            scope = _DM_SCOPE.get(scope, scope)
        elif scope and private:
            scope = _PRIVATE_SCOPE.get(scope, scope)
        if scope and scope not in self.scopes:
            raise SlackError("missing_scope", needed=scope, provided=",".join(self.scopes))

    def _channel(self, channel_id: Any, *, to_post: bool = False) -> Channel:
        """Find a channel by id or name; users' ids open a DM, as chat.postMessage allows."""
        key = str(channel_id or "").lstrip("#")
        if key in self.users and to_post:
            return self.channels.get("D" + key[1:]) or self.add_channel("D" + key[1:], key, is_private=True)
        channel = self.channels.get(key) or next((c for c in self.channels.values() if c.name == key), None)
        if channel is None or (channel.is_private and not channel.is_member):
            raise SlackError("channel_not_found")
        if to_post and channel.is_archived:
            raise SlackError("is_archived")
        if to_post and not channel.is_member and "chat:write.public" not in self.scopes:
            raise SlackError("not_in_channel")
        return channel

    def _content(self, p: dict[str, Any], notes: list[str], *, required: bool = True) -> None:
        """Check text/blocks as Slack does: Block Kit limits, and text as the notification fallback."""
        if required and not (p.get("text") or p.get("blocks") or p.get("attachments")):
            raise SlackError("no_text")
        if p.get("blocks") is not None:
            problems = check_blocks(p["blocks"], surface="message")
            if problems:
                notes.extend(problems)
                raise SlackError("invalid_blocks", errors=problems, response_metadata=_messages(problems))
            if not p.get("text"):
                notes.append("warning: blocks without a top-level text fallback")
        metadata = p.get("metadata")
        if metadata is not None and not (
            isinstance(metadata, dict) and isinstance(metadata.get("event_type"), str)
        ):
            raise SlackError("invalid_metadata_format")

    def _find(self, p: dict[str, Any], ts_key: str = "ts") -> Message:
        """The message a call names by channel and ts, or message_not_found."""
        message = self.message(self._channel(p.get("channel")).id, str(p.get(ts_key, "")))
        if message is None:
            raise SlackError("message_not_found")
        return message

    def _use_trigger(self, trigger_id: Any) -> None:
        """Spend a trigger id: unknown, already used and too old are refused as Slack refuses them."""
        if trigger_id not in self._triggers:
            raise SlackError("invalid_trigger_id")
        issued = self._triggers[trigger_id]
        if issued is None:
            raise SlackError("exchanged_trigger_id")
        self._triggers[trigger_id] = None
        if self.clock() - issued > self.trigger_ttl:
            raise SlackError("expired_trigger_id")

    def _store_view(
        self, view: Any, notes: list[str], *, view_id: str | None = None, root: str | None = None
    ) -> dict[str, Any]:
        """Validate a view and store it as Slack returns it (id, hash, state), new or replacing view_id."""
        problems = check_view(view)
        if problems:
            notes.extend(problems)
            raise SlackError("invalid_arguments", response_metadata=_messages(problems))
        view_id = view_id or f"V{next(self._view_ids):06d}"
        previous = self.views.get(view_id, {})
        stored = {
            "external_id": previous.get("external_id", ""),
            "private_metadata": "",
            "callback_id": "",
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{next(self._ids)}",
            "root_view_id": previous.get("root_view_id", root or view_id),
            "previous_view_id": previous.get("previous_view_id"),
        }
        external_id = stored["external_id"]
        if external_id and any(
            v["external_id"] == external_id and k != view_id for k, v in self.views.items()
        ):
            raise SlackError("duplicate_external_id")
        self.views[view_id] = stored
        return stored

    # ---- the Web API methods: each takes decoded params and a list to note problems in

    def auth_test(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        return {
            "url": "https://leadbot-test.slack.com/",
            "team": TEAM_NAME,
            "user": "leadbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def users_info(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        self._need_scope("users.info")
        user = self.users.get(str(p.get("user", "")))
        if user is None:
            raise SlackError("user_not_found")
        if "users:read.email" not in self.scopes:
            user = {**user, "profile": {k: v for k, v in user["profile"].items() if k != "email"}}
        return {"user": user}

    def chat_postMessage(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        self._need_scope("chat.postMessage")
        channel = self._channel(p.get("channel"), to_post=True)
        self._content(p, notes)
        thread_ts = p.get("thread_ts") or None
        text = str(p.get("text") or "")
        message = Message(channel.id, self._next_ts(), text, p.get("blocks"), p.get("metadata"), thread_ts)
        parent = self.message(channel.id, thread_ts) if thread_ts else None
        if parent is not None:
            parent.reply_count += 1
        self.history[channel.id].append(message)
        return {"channel": channel.id, "ts": message.ts, "message": message.to_api()}

    def chat_update(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        self._need_scope("chat.update")
        message = self._find(p)
        self._content(p, notes, required=False)
        if "text" in p:
            message.text = str(p["text"] or "")
        if "blocks" in p:
            message.blocks = p["blocks"]
        if "metadata" in p:
            message.metadata = p["metadata"]
        message.edited = True
        return {
            "channel": message.channel,
            "ts": message.ts,
            "text": message.text,
            "message": message.to_api(),
        }

    def chat_delete(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        self._need_scope("chat.delete")
        message = self._find(p)
        self.history[message.channel].remove(message)
        return {"channel": message.channel, "ts": message.ts}

    def chat_postEphemeral(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        self._need_scope("chat.postEphemeral")
        channel = self._channel(p.get("channel"), to_post=True)
        if str(p.get("user", "")) not in self.users:
            raise SlackError("user_not_in_channel")
        self._content(p, notes)
        ts = self._next_ts()
        self.ephemerals.append(
            Ephemeral(channel.id, str(p["user"]), str(p.get("text") or ""), p.get("blocks"), ts)
        )
        return {"message_ts": ts}

    def chat_getPermalink(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        message = self._find(p, "message_ts")
        link = f"https://leadbot-test.slack.com/archives/{message.channel}/p{message.ts.replace('.', '')}"
        return {"channel": message.channel, "permalink": link}

    def conversations_info(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        channel = self._channel(p.get("channel"))
        self._need_scope("conversations.info", channel.is_private)
        return {"channel": channel.to_api()}

    def conversations_join(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        self._need_scope("conversations.join")
        channel = self._channel(p.get("channel"))
        if channel.is_private:
            raise SlackError("method_not_supported_for_channel_type")
        if channel.is_archived:
            raise SlackError("is_archived")
        already, channel.is_member = channel.is_member, True
        return {"channel": channel.to_api(), **({"warning": "already_in_channel"} if already else {})}

    def conversations_open(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        """The app's DM with one user (users=U…), opened if need be, as Slack answers it."""
        self._need_scope("conversations.open")
        users = [user for user in str(p.get("users") or "").split(",") if user]
        if len(users) != 1 or users[0] not in self.users:
            raise SlackError("user_not_found")
        channel = self._channel(users[0], to_post=True)
        return {"channel": {"id": channel.id}}

    def conversations_history(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        channel = self._channel(p.get("channel"))
        self._need_scope("conversations.history", channel.is_private, dm=channel.id.startswith("D"))
        if not channel.is_member:
            raise SlackError("not_in_channel")
        limit = max(1, min(int(p.get("limit") or 100), 999))
        oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
        inclusive = _truthy(p.get("inclusive"))
        if p.get("cursor"):
            latest, inclusive = _decode_cursor(str(p["cursor"])), False

        def in_window(ts: float) -> bool:
            return oldest <= ts <= latest if inclusive else oldest < ts < latest

        top_level = [m for m in reversed(self.messages(channel.id)) if m.thread_ts in (None, m.ts)]
        return _page([m for m in top_level if in_window(float(m.ts))], limit, p)

    def conversations_replies(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        """A thread, oldest first: the parent, then its replies; paged by a cursor that moves forward."""
        channel = self._channel(p.get("channel"))
        self._need_scope("conversations.replies", channel.is_private)
        if not channel.is_member:
            raise SlackError("not_in_channel")
        parent_ts = str(p.get("ts") or "")
        thread = [m for m in self.messages(channel.id) if parent_ts in (m.ts, m.thread_ts)]
        if not thread:
            raise SlackError("thread_not_found")
        limit = max(1, min(int(p.get("limit") or 1000), 1000))
        oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
        inclusive = _truthy(p.get("inclusive"))
        after = _decode_cursor(str(p["cursor"])) if p.get("cursor") else None

        def in_window(ts: float) -> bool:
            inside = oldest <= ts <= latest if inclusive else oldest < ts < latest
            return inside and (after is None or ts > after)

        return _page([m for m in thread if in_window(float(m.ts))], limit, p)

    def views_open(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        self._use_trigger(p.get("trigger_id"))
        view = self._store_view(p.get("view"), notes)
        self._stacks[view["id"]] = [view["id"]]
        return {"view": view}

    def views_push(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        self._use_trigger(p.get("trigger_id"))
        stack = next(reversed(self._stacks.values()), None)
        if stack is None:
            raise SlackError("not_found")
        if len(stack) >= 3:
            raise SlackError("push_limit_reached")
        view = self._store_view(p.get("view"), notes, root=stack[0])
        view["previous_view_id"] = stack[-1]
        stack.append(view["id"])
        return {"view": view}

    def views_update(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        external_id = p.get("external_id")
        by_external = (k for k, v in self.views.items() if external_id and v["external_id"] == external_id)
        view_id = p.get("view_id") or next(by_external, None)
        if view_id not in self.views:
            raise SlackError("not_found")
        if p.get("hash") and p["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        return {"view": self._store_view(p.get("view"), notes, view_id=view_id)}

    def views_publish(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        user_id = str(p.get("user_id", ""))
        if user_id not in self.users:
            raise SlackError("user_not_found")
        old = self.home_views.get(user_id)
        if p.get("hash") and old and p["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        view = self._store_view(p.get("view"), notes, view_id=old["id"] if old else None)
        self.home_views[user_id] = view
        return {"view": view}

    def dnd_info(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        """A member's Do Not Disturb as set with set_dnd (off by default), as Slack answers dnd.info."""
        self._need_scope("dnd.info")
        user_id = str(p.get("user", ""))
        if user_id not in self.users:
            raise SlackError("user_not_found")
        return {
            "dnd_enabled": False,
            "next_dnd_start_ts": 1,
            "next_dnd_end_ts": 1,
            "snooze_enabled": False,
            **self.dnd.get(user_id, {}),
        }

    def upload_url(self, file_id: str) -> str:
        """Where a file's bytes go (FakeSlack serves it; Slack's is on files.slack.com)."""
        return f"/upload/v1/{file_id}"

    def files_getUploadURLExternal(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        """An upload URL and a file ID for `filename` of `length` bytes (both required, as Slack requires)."""
        self._need_scope("files.getUploadURLExternal")
        filename, length = str(p.get("filename") or ""), str(p.get("length") or "")
        if not filename or not length.isdigit() or int(length) < 1:
            raise SlackError("invalid_arguments")
        file_id = f"F{next(self._ids):08d}"
        self.uploads[file_id] = {
            "filename": filename,
            "length": int(length),
            "alt_txt": p.get("alt_txt"),
            "data": None,
        }
        return {"upload_url": self.upload_url(file_id), "file_id": file_id}

    def receive_upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        """The POST of a file's bytes to its upload URL: 200 "OK - <length>" as Slack answers, 404 unknown."""
        upload = self.uploads.get(file_id)
        if upload is None:
            return 404, "file_not_found"
        upload["data"] = bytes(data)
        return 200, f"OK - {len(data)}"

    def files_completeUploadExternal(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        """Finishes uploads (`files`: a JSON list of {id, title}); shares them in `channel_id` (and `thread_ts`)
        as one message with `initial_comment`, when a channel is given."""
        self._need_scope("files.completeUploadExternal")
        try:
            items = json.loads(p["files"]) if isinstance(p.get("files"), str) else p.get("files")
        except (KeyError, json.JSONDecodeError):
            raise SlackError("invalid_arguments") from None
        if not isinstance(items, list) or not items:
            raise SlackError("invalid_arguments")
        channel = self._channel(p.get("channel_id"), to_post=True) if p.get("channel_id") else None
        done = []
        for item in items:
            upload = self.uploads.get(str(item.get("id", "")))
            if upload is None or upload["data"] is None:
                raise SlackError("file_not_found")
            if len(upload["data"]) != upload["length"]:
                notes.append(f"uploaded {len(upload['data'])} bytes, announced {upload['length']}")
                raise SlackError("file_upload_size_mismatch")
            done.append((str(item["id"]), str(item.get("title") or upload["filename"]), upload))
        files = []
        for file_id, title, upload in done:
            self.uploads.pop(file_id)
            info = {
                "id": file_id,
                "name": upload["filename"],
                "title": title,
                "size": upload["length"],
                "alt_txt": upload["alt_txt"],
                "channels": [channel.id] if channel else [],
            }
            self.files[file_id] = {**info, "data": upload["data"]}
            files.append(info)
        if channel is not None:
            thread_ts = p.get("thread_ts") or None
            text = str(p.get("initial_comment") or "")
            message = Message(channel.id, self._next_ts(), text, None, None, thread_ts, files=files)
            parent = self.message(channel.id, thread_ts) if thread_ts else None
            if parent is not None:
                parent.reply_count += 1
            self.history[channel.id].append(message)
        return {"files": files}

    def _running_execution(self, p: dict[str, Any]) -> FunctionExecution:
        """The execution a functions.* call names: unknown or already completed ones are refused as by Slack."""
        execution = self.executions.get(str(p.get("function_execution_id") or ""))
        if execution is None:
            raise SlackError("function_execution_not_found")
        if execution.state != "running":
            raise SlackError("execution_not_in_running_state")
        return execution

    def functions_completeSuccess(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        """Ends a step with its outputs: a JSON object holding every output its definition requires, each
        of its declared type (parameter_validation_failed otherwise, as Slack answers)."""
        execution = self._running_execution(p)
        try:
            outputs = json.loads(p["outputs"]) if isinstance(p.get("outputs"), str) else p.get("outputs")
        except (KeyError, json.JSONDecodeError):
            outputs = None
        problems = output_problems(execution.callback_id, outputs)
        if problems:
            notes.extend(problems)
            raise SlackError("parameter_validation_failed", errors=problems)
        assert isinstance(outputs, dict)
        execution.state, execution.outputs = "success", outputs
        return {}

    def functions_completeError(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        """Ends a step as failed, with the error people see in the workflow's activity (required)."""
        execution = self._running_execution(p)
        error = p.get("error")
        if not isinstance(error, str) or not error:
            raise SlackError("invalid_arguments")
        execution.state, execution.error = "error", error
        return {}

    def method_table(self) -> dict[str, Callable[[dict[str, Any], list[str]], dict[str, Any]]]:
        """Web API method name -> the bound method serving it."""
        return {name: getattr(self, name.replace(".", "_")) for name in METHODS}


_OUTPUT_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "slack#/types/user_id": (str,),
}


def output_problems(callback_id: str, outputs: Any) -> list[str]:
    """How outputs break the step's output_parameters (required ones missing, wrong types, undeclared)."""
    if not isinstance(outputs, dict):
        return ["outputs must be a JSON object"]
    declared = function_definition(callback_id).get("output_parameters") or {}
    properties: dict[str, Any] = declared.get("properties") or {}
    problems = [
        f"missing required output {name}" for name in declared.get("required", []) if name not in outputs
    ]
    for name, value in outputs.items():
        kind = (properties.get(name) or {}).get("type")
        if kind is None:
            problems.append(f"output {name} is not declared")
        elif kind in _OUTPUT_TYPES and (
            not isinstance(value, _OUTPUT_TYPES[kind]) or (kind != "boolean" and isinstance(value, bool))
        ):
            problems.append(f"output {name} is not a {kind}")
    return problems


def _messages(problems: list[str]) -> dict[str, list[str]]:
    """Slack's response_metadata.messages for validation problems."""
    return {"messages": [f"[ERROR] {p}" for p in problems]}


def _page(messages: list[Message], limit: int, p: dict[str, Any]) -> dict[str, Any]:
    """The first `limit` messages, in the order given, with a cursor naming the last one when more remain."""
    page, more = messages[:limit], len(messages) > limit
    cursor = base64.urlsafe_b64encode(f"next_ts:{page[-1].ts}".encode()).decode() if more else ""
    with_metadata = _truthy(p.get("include_all_metadata"))
    return {
        "messages": [m.to_api(with_metadata=with_metadata) for m in page],
        "has_more": more,
        "response_metadata": {"next_cursor": cursor},
    }


def _decode_cursor(cursor: str) -> float:
    """The ts a history cursor continues below, or invalid_cursor."""
    try:
        return float(base64.urlsafe_b64decode(cursor).decode().split(":", 1)[1])
    except (ValueError, IndexError) as exc:
        raise SlackError("invalid_cursor") from exc


def _truthy(value: Any) -> bool:
    """Read a boolean parameter sent as JSON or as a form string ("1", "true")."""
    return value in (True, 1, "1", "true", "True")
