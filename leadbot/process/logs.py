"""Logging: one line per event (text or JSON), a request ID per Slack request, and no secrets in any line."""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar, copy_context
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal, ParamSpec, TextIO, TypeVar

from slack_bolt import BoltContext

from leadbot.redaction import MIN_SECRET_LENGTH, redact
from leadbot.settings import Settings

P = ParamSpec("P")
T = TypeVar("T")

REQUEST_ID: ContextVar[str | None] = ContextVar("leadbot_request_id", default=None)
QUIET_LOGGERS = ("httpx", "httpcore")
# Alembic logs each migration step at INFO (ten lines under `leadbot check`): shown only at DEBUG.
QUIET_UNLESS_DEBUG = ("alembic",)

logger = logging.getLogger(__name__)


class RedactFilter(logging.Filter):
    """Rewrites each record's message, traceback and stack with every secret removed, before any formatting."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken %-format: let the handler report it as logging always does
            return True
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


# Bolt's lines that carry a request's body: "… signature detected (…, body: token=…&text=…)" at INFO, and
# "Unhandled request ({'type': …, 'value': …})"-style warnings with the body, or part of it, as a dict.
BOLT_BODY = re.compile(r"body: .*|\{.*\}", re.DOTALL)
BODY_LEFT_OUT = "[request body left out]"


class BoltBodyFilter(logging.Filter):
    """Takes request bodies out of Bolt's lines unless the level is DEBUG: a body holds customer details and
    response URLs, and Bolt logs the whole body of every request that fails verification, at INFO."""

    def __init__(self, *, debug: bool) -> None:
        super().__init__()
        self.debug = debug

    def filter(self, record: logging.LogRecord) -> bool:
        if self.debug or record.levelno <= logging.DEBUG or not record.name.startswith("slack_bolt"):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken %-format: let the handler report it as logging always does
            return True
        record.msg, record.args = BOLT_BODY.sub(BODY_LEFT_OUT, message), None
        return True


class RequestIdFilter(logging.Filter):
    """Stamps each record with the Slack request it belongs to (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


def _time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def _trace(record: logging.LogRecord) -> str | None:
    parts = [part for part in (record.exc_text, record.stack_info) if part]
    return "\n".join(parts) or None


class TextFormatter(logging.Formatter):
    """`time LEVEL logger [request] message`; newlines in a message are escaped so no one forges a line."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage().replace("\r", "\\r").replace("\n", "\\n")
        request_id = getattr(record, "request_id", None)
        tag = f" [{request_id}]" if request_id else ""
        line = f"{_time(record)} {record.levelname} {record.name}{tag}: {message}"
        trace = _trace(record)
        return f"{line}\n{trace}" if trace else line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id when set, exc_info as a string."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        trace = _trace(record)
        if trace:
            entry["exc_info"] = trace
        return json.dumps(entry, ensure_ascii=False, default=str)


class LeadbotHandler(logging.StreamHandler[TextIO]):
    """The one handler leadbot installs on the root logger; replaced, never duplicated, on reconfiguration."""


def configure_logging(
    level: str,
    fmt: Literal["text", "json"],
    *,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Sends every logger's records through one redacting, request-stamped handler at `level`."""
    root = logging.getLogger()
    for old in [handler for handler in root.handlers if isinstance(handler, LeadbotHandler)]:
        root.removeHandler(old)
    handler = LeadbotHandler(stream or sys.stderr)
    root.setLevel(level.upper())
    handler.addFilter(BoltBodyFilter(debug=root.level <= logging.DEBUG))
    handler.addFilter(RedactFilter(secrets))
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    debug = root.level <= logging.DEBUG
    for name in QUIET_UNLESS_DEBUG:
        logging.getLogger(name).setLevel(logging.NOTSET if debug else logging.WARNING)
    return handler


def secrets_of(settings: Settings) -> list[str]:
    """Every secret value in the settings, for `configure_logging(secrets=...)`."""
    return settings.secret_values()


def new_request_id() -> str:
    """A short random ID, unique enough to find one request's lines among a day's logs."""
    return uuid.uuid4().hex[:12]


def describe_request(body: Mapping[str, Any]) -> str:
    """What kind of Slack request this is, in IDs only (never text a user typed)."""
    if "command" in body:
        return f"slash command {body['command']}"
    kind = str(body.get("type", "unknown"))
    if kind == "event_callback":
        event = body.get("event") or {}
        return f"event {event.get('type')} {body.get('event_id', '')}".rstrip()
    actions = body.get("actions") or [{}]
    detail = (body.get("view") or {}).get("callback_id") or actions[0].get("action_id") or ""
    return f"{kind} {detail}".rstrip()


def request_id_middleware(body: dict[str, Any], context: BoltContext, next_: Callable[[], None]) -> None:
    """Bolt global middleware: a fresh request ID for every log line of this request (also in context)."""
    request_id = new_request_id()
    REQUEST_ID.set(request_id)
    context["request_id"] = request_id
    logger.debug("Slack request: %s", describe_request(body))
    next_()


class ContextThreadPoolExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks see the submitter's context (so work after `ack()` keeps the request ID)."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        context = copy_context()
        return super().submit(partial(context.run, fn, *args, **kwargs))


def configure_from_settings(settings: Settings, *, stream: TextIO | None = None) -> logging.Handler:
    """configure_logging with the level, format and secrets the settings hold."""
    return configure_logging(
        settings.leadbot_log_level, settings.leadbot_log_format, secrets=secrets_of(settings), stream=stream
    )
