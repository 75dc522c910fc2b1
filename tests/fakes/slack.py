"""A fake Slack Web API served on 127.0.0.1 that records every call, so tests drive real slack_sdk clients."""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from tests.fakes.slack_blocks import check_blocks
from tests.fakes.slack_http import Answer, HttpRequest, HttpServer
from tests.fakes.slack_methods import WebApiMethods
from tests.fakes.slack_workspace import DEFAULT_SCOPES, Message, SlackError

BOT_TOKEN = "xoxb-0000000000-leadbot-test"
APP_TOKEN = "xapp-1-A0LEADBOT-0000-leadbot-test"
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
ALERTS_CHANNEL = "C0ALERTS"
SALES_USER = "U0SALES1"
SALES_EMAIL = "sales@example.co.uk"

RESPONSE_URL_USES = 5
# Slack waits this long for the answer to a view_submission (the ack); an answer later than that is dropped.
VIEW_ANSWER_WINDOW = 3.0
RESPONSE_URL_TTL = 30 * 60.0
T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """One request to the fake Web API and what the fake answered; time is time.monotonic() on arrival."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    time: float
    status: int
    response: dict[str, Any]
    problems: tuple[str, ...] = ()
    http_method: str = "POST"

    @property
    def ok(self) -> bool:
        """True when Slack would have answered ok."""
        return self.status == 200 and bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        """Slack's error code, or None."""
        return None if self.ok else str(self.response.get("error", f"http_{self.status}"))


@dataclass(frozen=True)
class Arrival:
    """A Web API request as it arrived, before any latency or answer (a call in flight, or a finished one)."""

    method: str
    params: dict[str, Any]
    time: float


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a response_url, with the status the fake answered."""

    url: str
    body: dict[str, Any]
    time: float
    status: int
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when Slack would have shown it."""
        return self.status == 200


@dataclass
class _Fault:
    """An injected failure, answered instead of the real method."""

    status: int
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class SocketModeEndpoint(Protocol):
    """What apps.connections.open needs from a fake Socket Mode server."""

    def new_url(self) -> str: ...


class FakeSlack(WebApiMethods):
    """Slack's Web API and response_url endpoints on a local port, with failure injection."""

    def __init__(
        self,
        *,
        bot_token: str = BOT_TOKEN,
        app_token: str | None = None,
        scopes: Sequence[str] = DEFAULT_SCOPES,
    ) -> None:
        super().__init__(scopes=list(scopes))
        self.bot_token = bot_token
        self.app_token = app_token
        self.token_revoked = False
        self.socket_mode: SocketModeEndpoint | None = None
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._calls: list[Call] = []
        self._arrivals: list[Arrival] = []
        self._responses: list[ResponsePost] = []
        self._response_urls: dict[str, list[float]] = {}  # id -> [issued at, uses]
        self._response_ids = itertools.count(1)
        self._faults: dict[str, deque[_Fault]] = {}
        self._latency: dict[str, float] = {}
        self._late_answers: dict[str, tuple[float, dict[str, Any]]] = {}  # view id -> (window end, view)
        self._methods = {**self.method_table(), "apps.connections.open": self._apps_connections_open}
        self._port = 0
        self._server: HttpServer | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def usual(cls) -> Self:
        """The workspace most tests want (not started): bot and app tokens, #leads-alerts and the sales user."""
        fake = cls(bot_token=BOT_TOKEN, app_token=APP_TOKEN)
        fake.add_channel(ALERTS_CHANNEL, "leads-alerts")
        fake.add_user(SALES_USER, SALES_EMAIL, name="sales")
        return fake

    def __repr__(self) -> str:
        return f"FakeSlack(port={self._port}, calls={len(self._calls)}, responses={len(self._responses)})"

    # ---- lifecycle

    def start(self) -> Self:
        """Listen on a free port (or the port used before) in a daemon thread."""
        server = HttpServer(self._port, self._answer)
        self._port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="fake-slack", daemon=True
        )
        self._server = server
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening; recorded calls stay readable."""
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(5)

    def go_down(self) -> None:
        """Close the listening socket: clients get connection refused until come_back()."""
        self.stop()

    def come_back(self) -> None:
        """Listen again on the same port."""
        if self._server is None:
            self.start()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the fake listens on (fixed after the first start)."""
        assert self._port, "FakeSlack is not started"
        return self._port

    @property
    def url(self) -> str:
        """The root URL, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The base_url to give slack_sdk.WebClient."""
        return f"{self.url}/api/"

    # ---- what tests read

    @property
    def calls(self) -> list[Call]:
        """Every Web API call so far, failed ones included, oldest first."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The calls to one method, oldest first."""
        return [c for c in self.calls if c.method == method]

    def wait_for_arrival(
        self, what: str | Callable[[Arrival], bool], count: int = 1, timeout: float = 5.0
    ) -> list[Arrival]:
        """Block until `count` matching Web API requests have arrived, before any latency or answer: a
        call in flight. Returns them all."""
        predicate = (lambda a: a.method == what) if isinstance(what, str) else what
        return self._wait(
            lambda: [a for a in self._arrivals if predicate(a)], count, timeout, f"requests {what!r}"
        )

    def wait_for(
        self, what: str | Callable[[Call], bool], count: int = 1, timeout: float = 5.0
    ) -> list[Call]:
        """Block until `count` calls match (a method name or a predicate) and return them all."""
        predicate = (lambda c: c.method == what) if isinstance(what, str) else what
        return self._wait(
            lambda: [c for c in self._calls if predicate(c)], count, timeout, f"calls to {what!r}"
        )

    @property
    def responses(self) -> list[ResponsePost]:
        """Every POST to a response_url so far, oldest first."""
        with self._lock:
            return list(self._responses)

    def wait_for_response(
        self,
        predicate: Callable[[ResponsePost], bool] | str | None = None,
        count: int = 1,
        timeout: float = 5.0,
    ) -> list[ResponsePost]:
        """Block until `count` response_url posts match (a predicate, or the URL itself) and return them."""
        if isinstance(predicate, str):
            url = predicate
            predicate = lambda r: r.url == url  # noqa: E731
        test = predicate or (lambda r: True)
        return self._wait(
            lambda: [r for r in self._responses if test(r)], count, timeout, "response_url posts"
        )

    def clear(self) -> None:
        """Forget recorded calls and response posts (state such as messages stays)."""
        with self._lock:
            self._calls.clear()
            self._arrivals.clear()
            self._responses.clear()

    def new_response_url(self) -> str:
        """Issue a response_url, usable RESPONSE_URL_USES times within RESPONSE_URL_TTL seconds."""
        with self._lock:
            rid = f"R{next(self._response_ids):06d}"
            self._response_urls[rid] = [self.clock(), 0]
        return f"{self.url}/response/{rid}"

    def new_trigger_id(self) -> str:
        """Issue a trigger id, valid once within trigger_ttl seconds."""
        with self._lock:
            return super().new_trigger_id()

    def messages(self, channel: str | None = None) -> list[Message]:
        """The stored messages (oldest first), of one channel or all, thread replies included."""
        with self._lock:
            return super().messages(channel)

    # ---- view_submission answers (acks), applied to the view as Slack applies them

    def answer_view_submission(
        self, view_id: str, answer: dict[str, Any], *, submitted_at: float, late: bool = False
    ) -> None:
        """Apply a view_submission's answer: `response_action: update` replaces the view, as views.update
        does; other answers leave it. `late`: Slack as slow as it may be, applying the answer at the end of
        its window (submitted_at + VIEW_ANSWER_WINDOW), so after every views.update to the view that arrived
        inside the window and before any that arrives after it. `release_late_answers()` ends the wait."""
        if answer.get("response_action") != "update":
            return
        with self._changed:
            if late:
                self._late_answers[view_id] = (submitted_at + VIEW_ANSWER_WINDOW, answer["view"])
            elif view_id in self.views:
                self._store_view(answer["view"], [], view_id=view_id)
            self._changed.notify_all()

    def release_late_answers(self) -> None:
        """Apply every answer still held back (their windows end now, after every views.update so far)."""
        with self._changed:
            for view_id in list(self._late_answers):
                self._apply_late_answer(view_id)
            self._changed.notify_all()

    def _apply_late_answer(self, view_id: str) -> None:
        _, view = self._late_answers.pop(view_id)
        if view_id in self.views:
            self._store_view(view, [], view_id=view_id)

    def views_update(self, p: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        """views.update, after any held answer to the view whose window ended before this call was served."""
        view_id = str(p.get("view_id") or "")
        held = self._late_answers.get(view_id)
        if held is not None and held[0] <= self.clock():
            self._apply_late_answer(view_id)
        return super().views_update(p, notes)

    # ---- failure injection

    def fail_next(self, method: str = "*", count: int = 1, status: int = 500) -> None:
        """Answer the next `count` calls to `method` ("*": any, "response_url": response URLs) with an HTTP error."""
        self._inject(method, count, _Fault(status))

    def rate_limit_next(self, method: str = "*", count: int = 1, retry_after: int = 1) -> None:
        """Answer the next calls with 429, Retry-After and error "ratelimited"."""
        self._inject(method, count, _Fault(429, "ratelimited", {"Retry-After": str(retry_after)}))

    def error_next(self, method: str, error: str = "channel_not_found", count: int = 1) -> None:
        """Answer the next calls with HTTP 200 and {"ok": false, "error": error}."""
        self._inject(method, count, _Fault(200, error))

    def set_latency(self, seconds: float, method: str = "*") -> None:
        """Delay answers to `method` (or every method) by `seconds`."""
        with self._lock:
            self._latency[method] = seconds

    def revoke_token(self) -> None:
        """Make every bot-token call fail with token_revoked, as after an uninstall."""
        with self._lock:
            self.token_revoked = True

    def _inject(self, method: str, count: int, fault: _Fault) -> None:
        with self._lock:
            self._faults.setdefault(method, deque()).extend([fault] * count)

    def _take_fault(self, method: str) -> _Fault | None:
        for key in (method, "*"):
            queue = self._faults.get(key)
            if queue:
                return queue.popleft()
        return None

    # ---- serving

    def _answer(self, request: HttpRequest) -> Answer:
        """Route one request to a Web API method or a response_url, after any configured latency."""
        if request.path.startswith("/api/"):
            method = request.path.removeprefix("/api/")
            with self._changed:
                self._arrivals.append(Arrival(method, request.params, request.arrived))
                self._changed.notify_all()
            time.sleep(self._latency.get(method, self._latency.get("*", 0.0)))
            status, body, extra = self._api(
                method, request.params, request.headers, request.arrived, request.verb
            )
        elif request.path.startswith("/upload/"):
            status, body, extra = self._upload(request)
        elif request.path.startswith("/response/"):
            time.sleep(self._latency.get("response_url", self._latency.get("*", 0.0)))
            rid = request.path.removeprefix("/response/")
            status, body, extra = self._respond(rid, request.params, request.arrived)
        else:
            status, body, extra = 404, {"ok": False, "error": "not_found"}, {}
        return status, body, {"x-oauth-scopes": ",".join(self.scopes), **extra}

    def _api(
        self, method: str, params: dict[str, Any], headers: dict[str, str], arrived: float, verb: str
    ) -> Answer:
        token = headers.get("authorization", "").removeprefix("Bearer ") or str(params.pop("token", ""))
        params.pop("token", None)
        notes: list[str] = []
        with self._lock:
            fault = self._take_fault(method)
            status, extra = (fault.status, fault.headers) if fault else (200, {})
            body: dict[str, Any] | str
            if fault and fault.error is None:
                body = f"{fault.status} fake Slack failure\n"
            elif fault:
                body = {"ok": False, "error": fault.error}
            else:
                try:
                    self._authorize(method, token)
                    body = {"ok": True, **self._methods[method](params, notes)}
                except SlackError as e:
                    body = {"ok": False, "error": e.error, **e.extra}
            recorded = body if isinstance(body, dict) else {"ok": False, "error": f"http_{status}"}
            self._calls.append(Call(method, params, headers, arrived, status, recorded, tuple(notes), verb))
            self._changed.notify_all()
        return status, body, extra

    def upload_url(self, file_id: str) -> str:
        return f"{self.url}/upload/v1/{file_id}"

    def _upload(self, request: HttpRequest) -> Answer:
        """A file's bytes POSTed to its upload URL; recorded as a call to "upload" (params: file_id, size)."""
        file_id = request.path.rsplit("/", 1)[-1]
        data = request.params.get("_raw", b"")
        with self._lock:
            status, text = self.receive_upload(file_id, data)
            response = {"ok": status == 200} | ({} if status == 200 else {"error": text})
            params = {"file_id": file_id, "size": len(data)}
            self._calls.append(Call("upload", params, request.headers, request.arrived, status, response))
            self._changed.notify_all()
        return status, text, {}

    def uploaded(self, file_id: str) -> bytes:
        """The bytes of a completed upload."""
        with self._lock:
            return bytes(self.files[file_id]["data"])

    def _authorize(self, method: str, token: str) -> None:
        if method not in self._methods:
            raise SlackError("unknown_method")
        if not token:
            raise SlackError("not_authed")
        if method == "apps.connections.open":
            if token == self.bot_token:
                raise SlackError("not_allowed_token_type")
            if token != self.app_token:
                raise SlackError("invalid_auth")
            return
        if token == self.app_token:
            raise SlackError("not_allowed_token_type")
        if any(token == execution.token for execution in self.executions.values()):
            return  # a step's own token (xwfp-…) acts as the bot while its workflow runs
        if token != self.bot_token:
            raise SlackError("invalid_auth")
        if self.token_revoked:
            raise SlackError("token_revoked")

    def _apps_connections_open(self, params: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        if self.socket_mode is None:
            raise SlackError("fake_socket_mode_not_attached")
        return {"url": self.socket_mode.new_url()}

    def _respond(self, rid: str, body: dict[str, Any], arrived: float) -> Answer:
        problems: list[str] = []
        with self._lock:
            fault = self._take_fault("response_url")
            entry = self._response_urls.get(rid)
            if fault:
                status, answer = fault.status, fault.error or f"{fault.status} fake Slack failure"
            elif entry is None:
                status, answer = 404, "invalid_url"
            elif entry[1] >= RESPONSE_URL_USES:
                status, answer = 404, "used_url"
            elif self.clock() - entry[0] > RESPONSE_URL_TTL:
                status, answer = 404, "expired_url"
            else:
                problems = check_blocks(body["blocks"]) if "blocks" in body else []
                status, answer = (400, "invalid_blocks") if problems else (200, "ok")
                entry[1] += 0 if problems else 1
            post = ResponsePost(f"{self.url}/response/{rid}", body, arrived, status, tuple(problems))
            self._responses.append(post)
            self._changed.notify_all()
        return status, ({"ok": True} if status == 200 else {"ok": False, "error": answer}), {}

    def _wait(self, find: Callable[[], list[T]], count: int, timeout: float, what: str) -> list[T]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := find()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self._calls]
                    raise AssertionError(
                        f"waited {timeout}s for {count} {what}, got {len(found)}; calls: {seen}"
                    )
                self._changed.wait(left)
            return found
