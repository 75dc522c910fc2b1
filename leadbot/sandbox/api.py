"""The simulated Heatpunk leads API: its rules, state and knobs, behind a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import collections
import hmac
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from types import MappingProxyType, TracebackType
from typing import Any, Literal
from urllib.parse import urlsplit

from leadbot.heatpunk.sandbox import DEFAULT_API_KEY
from leadbot.sandbox import data
from leadbot.sandbox.http import (
    JSON_TYPE,
    Fault,
    FaultQueue,
    RecordedRequest,
    Reply,
    SandboxServer,
    failure_reply,
)
from leadbot.sandbox.rules import (
    Refusal,
    new_lead_fields,
    parse_json,
    require_day,
    require_email,
    require_lead_id,
    update_changes,
)
from leadbot.sandbox.store import LeadStore

OWNER_EMAIL = "saira.noor@midsummerenergy.co.uk"  # the docs' example email
ADMIN_EMAIL = "priya.shah@midsummerenergy.co.uk"
STANDARD_EMAIL = "dan.hughes@midsummerenergy.co.uk"
DEFAULT_TEAM: Mapping[str, str] = MappingProxyType(
    {OWNER_EMAIL: "owner", ADMIN_EMAIL: "admin", STANDARD_EMAIL: "standard"}
)
DEFAULT_STATUSES = ("new", "Lead", "Quote", "Sale", "Install", "Completed", "Rejected")
ENDPOINTS: Mapping[str, str] = MappingProxyType(
    {"fetch": "POST", "create": "POST", "update": "POST", "delete": "DELETE"}
)
API_PATH = "/api/v1"
MAX_RECORDED = 10_000

Shape = Literal["rows", "array"]
CreateStyle = Literal["leadId", "leadID"]  # named after the key that carries the new ID
IdType = Literal["string", "number"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _check_endpoint(endpoint: str | None) -> None:
    if endpoint is not None and endpoint not in ENDPOINTS:
        raise ValueError(f"unknown endpoint {endpoint!r}: use one of {', '.join(ENDPOINTS)}")


def _created_text(value: Any) -> str:
    """dateCreated in the API's own form, from a datetime or any ISO 8601 text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        raise TypeError("dateCreated must be a datetime or an ISO 8601 string")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return data.format_created(value.timestamp())


def _one_of(*allowed: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    return check


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{value!r} is not a number of seconds (0 or more)")
    return float(value)


def _key(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("the API key must be a non-empty string")
    return value


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(item, str) for item in value):
        raise ValueError("statuses must be a list of strings")
    return tuple(value)


def _locked(name: str, check: Callable[[Any], Any]) -> Any:
    """A knob: a property over attribute `name`, checked on write and read or written under the lock."""

    def getter(self: Sandbox) -> Any:
        with self._lock:
            return getattr(self, name)

    def setter(self: Sandbox, value: Any) -> None:
        value = check(value)
        with self._lock:
            setattr(self, name, value)

    return property(getter, setter)


class Sandbox:
    """The simulated API: its leads, its team, and knobs tests may turn while it runs (all thread-safe)."""

    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        team: Iterable[str] | Mapping[str, str] = DEFAULT_TEAM,
        seed_leads: int = 100,
        rng_seed: int = 0,
        days: float = 90.0,
        nasty: bool = False,
        first_id: int = 1001,
        shape: Shape = "rows",
        create_style: CreateStyle = "leadId",
        id_type: IdType = "string",
        statuses: Iterable[str] = DEFAULT_STATUSES,
        latency: float = 0.0,
        new_lead_every: float | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ticker_wake = threading.Event()
        self._clock = clock
        self._store = LeadStore(team)
        self.api_key = api_key
        self.shape = shape
        self.create_style = create_style
        self.id_type = id_type
        self.statuses = tuple(statuses)
        self.latency = latency
        self._new_lead_every: float | None = None
        self.new_lead_every = new_lead_every
        self._faults = FaultQueue()
        self._requests: collections.deque[RecordedRequest] = collections.deque(maxlen=MAX_RECORDED)
        self._live_dice = data.Dice(data.make_rng(rng_seed + 2))
        self._server: SandboxServer | None = None
        self._threads: list[threading.Thread] = []
        self._seed(seed_leads, rng_seed, days, nasty, first_id)

    def _seed(self, count: int, rng_seed: int, days: float, nasty: bool, first_id: int) -> None:
        rng = data.make_rng(rng_seed)
        rows = data.seed_leads(rng, count, now=self._clock().timestamp(), days=days, nasty=nasty)
        members = sorted(self._store.team)
        dice = data.Dice(data.make_rng(rng_seed + 1))
        owners: list[str | None] = [dice.pick(members) for _ in rows] if members else [None] * len(rows)
        self._store.load(rows, owners, first_id)

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> Sandbox:
        """Serves on a daemon thread; port 0 picks a free port (see `.port` and `.base_url`)."""
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        self._stopping.clear()
        self._ticker_wake.clear()
        self._server = SandboxServer((host, port), self)
        self._threads = [
            threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="heatpunk-sandbox", daemon=True
            ),
            threading.Thread(target=self._tick, name="heatpunk-sandbox-new-leads", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stops serving, wakes hung requests and ends every thread the sandbox started; safe to repeat."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        self._ticker_wake.set()
        server.close()
        for thread in self._threads:
            thread.join(5)
        self._threads = []

    def __enter__(self) -> Sandbox:
        return self if self._server is not None else self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the sandbox is not running: call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What HEATPUNK_BASE_URL should be, e.g. http://127.0.0.1:8099/api/v1."""
        host = str(self._server.server_address[0]) if self._server else "127.0.0.1"
        return f"http://{host}:{self.port}{API_PATH}"

    def pause(self, seconds: float) -> None:
        """Latency and hangs wait here, so stop() never waits for them."""
        self._stopping.wait(seconds)

    def _tick(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                interval = self._new_lead_every
            if self._ticker_wake.wait(interval):
                self._ticker_wake.clear()
                continue
            self.add_lead()

    # --- knobs ----------------------------------------------------------------------------------

    # Each knob is settable while the sandbox runs; its value lives in the private attribute.
    _api_key: str
    _latency: float
    _shape: Shape
    _create_style: CreateStyle
    _id_type: IdType
    _statuses: tuple[str, ...]
    api_key: str = _locked("_api_key", _key)  # what X-API-KEY must be
    latency: float = _locked("_latency", _seconds)  # seconds added to every request
    shape: Shape = _locked("_shape", _one_of("rows", "array"))  # {"rows": {id: row}} or [{"ID": id, ...}]
    # {"leadId": …}, or the older docs' {"status": "success", "leadID": …}
    create_style: CreateStyle = _locked("_create_style", _one_of("leadId", "leadID"))
    id_type: IdType = _locked("_id_type", _one_of("string", "number"))  # create answers "123" or 123
    statuses: tuple[str, ...] = _locked("_statuses", _names)  # what update accepts for status

    @property
    def new_lead_every(self) -> float | None:
        with self._lock:
            return self._new_lead_every

    @new_lead_every.setter
    def new_lead_every(self, seconds: float | None) -> None:
        """Adds a random lead every `seconds` while running; None stops it."""
        if seconds is not None and (not isinstance(seconds, int | float) or seconds <= 0):
            raise ValueError("new_lead_every must be more than 0 seconds, or None")
        with self._lock:
            self._new_lead_every = seconds
        self._ticker_wake.set()

    def fail_next(
        self,
        count: int = 1,
        status: int = 500,
        body: Any = None,
        content_type: str | None = None,
        endpoint: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """The next `count` requests (to `endpoint`, or any) get this answer instead of being handled.

        `body`: None for a JSON error, a str (text, or HTML when it starts with "<"), bytes as given,
        "" for an empty body, anything else as JSON. Any status works, e.g. 200 with a malformed body.
        `headers` are added as given (e.g. a Content-Encoding the body doesn't have, a garbled Retry-After).
        """
        _check_endpoint(endpoint)
        reply = failure_reply(status, body, content_type)
        reply = replace(reply, headers=tuple((headers or {}).items()))
        self._faults.add(Fault(count, endpoint, reply=reply))

    def hang_next(self, count: int = 1, seconds: float = 30.0, endpoint: str | None = None) -> None:
        """The next `count` requests are handled (their changes are made) but answered `seconds` late."""
        _check_endpoint(endpoint)
        self._faults.add(Fault(count, endpoint, seconds=seconds))

    def trickle_next(
        self, count: int = 1, every: float = 2.0, *, headers: bool = False, endpoint: str | None = None
    ) -> None:
        """The next `count` requests are handled, then answered one byte every `every` seconds: the body only,
        or the status line and headers too (`headers=True`)."""
        _check_endpoint(endpoint)
        self._faults.add(Fault(count, endpoint, trickle=every, trickle_headers=headers))

    def clear_faults(self) -> None:
        self._faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received (the latest 10,000), oldest first."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # --- leads and team -------------------------------------------------------------------------

    @property
    def leads(self) -> list[dict[str, Any]]:
        """Every lead in API form (the array shape, with a numeric `ID`), by ID."""
        return self._store.all()

    @property
    def lead_count(self) -> int:
        return self._store.count()

    def lead(self, lead_id: str | int) -> dict[str, Any] | None:
        """One lead in API form whoever may see it, or None."""
        number = int(lead_id) if str(lead_id).strip().isdigit() else -1
        row = self._store.get(number)
        return None if row is None else {"ID": number, **row}

    def add_lead(self, *, assigned_to: str | None = None, **fields: Any) -> str:
        """Adds a realistic random lead created now, with `fields` (API names) overriding; returns its ID.

        `dateCreated` may be a datetime or ISO text; `assigned_to` is the team member who owns it (a
        standard member sees only their own leads; unassigned leads are seen by owners and admins).
        """
        if "ID" in fields:
            raise ValueError("the sandbox numbers leads itself")
        created = _created_text(fields.pop("dateCreated", None) or self._clock())
        with self._lock:
            row = data.random_lead(self._live_dice, created, status=data.STATUS_NEW)
        row.update(fields)
        return str(self._store.add(row, assigned_to))

    def assign(self, lead_id: str | int, email: str | None) -> None:
        """Makes `email` the lead's owner (None: unassigned)."""
        self._store.assign(int(lead_id), email)

    def owner_of(self, lead_id: str | int) -> str | None:
        return self._store.owner(int(lead_id))

    @property
    def team(self) -> dict[str, str]:
        """Email → role (owner, admin or standard)."""
        return self._store.team

    @property
    def open_team(self) -> bool:
        """When True, any email counts as an admin: for try-outs where every Slack user should get in."""
        return self._store.open_team

    @open_team.setter
    def open_team(self, value: bool) -> None:
        self._store.open_team = value

    def set_team(self, team: Iterable[str] | Mapping[str, str]) -> None:
        """A list of emails (all admins) or an email → role mapping."""
        self._store.set_team(team)

    # --- the API --------------------------------------------------------------------------------

    def respond(self, method: str, path: str, headers: Mapping[str, str], raw_body: bytes) -> Reply:
        """One request, start to finish: record, latency, route, injected faults, key, rules, work."""
        try:
            body, problem = parse_json(raw_body), None
        except Refusal as refusal:
            body, problem = None, refusal
        with self._lock:
            self._requests.append(RecordedRequest(method, path, dict(headers), body, raw_body))
            latency, api_key = self._latency, self._api_key
        if latency > 0:
            self.pause(latency)
        route = urlsplit(path).path.rstrip("/")
        prefix = f"{API_PATH}/leads/"
        endpoint = route[len(prefix) :] if route.startswith(prefix) else ""
        if endpoint not in ENDPOINTS:
            return Reply.error(404, f"No such endpoint: {route or '/'}")
        if method != ENDPOINTS[endpoint]:
            allowed = ENDPOINTS[endpoint]
            return Reply.error(405, f"Use {allowed} for {route}.", headers=(("Allow", allowed),))
        fault = self._faults.take(endpoint)
        if fault is not None and fault.reply is not None:
            return fault.reply
        sent_key = headers.get("x-api-key")
        if not sent_key:
            reply = Reply.error(401, "Missing X-API-KEY header.")
        elif not hmac.compare_digest(sent_key.encode(), api_key.encode()):
            reply = Reply.error(401, "Invalid API key.")
        else:
            reply = self._handle(endpoint, body, problem)
        if fault is None:
            return reply
        return replace(
            reply, delay=fault.seconds, trickle=fault.trickle, trickle_headers=fault.trickle_headers
        )

    def _handle(self, endpoint: str, body: Any, problem: Refusal | None) -> Reply:
        try:
            if problem is not None:
                raise problem
            if not isinstance(body, dict):
                raise Refusal(400, "The request body must be a JSON object.")
            handlers = {
                "fetch": self._fetch,
                "create": self._create,
                "update": self._update,
                "delete": self._delete,
            }
            return handlers[endpoint](body)
        except Refusal as refusal:
            return Reply.error(refusal.status, refusal.message)

    def _require_member(self, email: str) -> None:
        if self._store.role(email) is None:
            raise Refusal(403, f"{email} is not a member of this Pro team.")

    def _fetch(self, body: dict[str, Any]) -> Reply:
        email, day = require_email(body), require_day(body)
        self._require_member(email)
        window = self._store.since(day, email)  # rows are never changed in place: safe to read unlocked
        payload: Any
        if self.shape == "array":
            payload = [{"ID": lead_id, **row} for lead_id, row in window]
        else:
            payload = {"rows": {str(lead_id): row for lead_id, row in window}}
        try:
            encoded = json.dumps(payload, ensure_ascii=False).encode()
        except UnicodeEncodeError:  # a lone surrogate (half an emoji) goes out escaped, as JSON allows
            encoded = json.dumps(payload).encode()
        return Reply(200, encoded, JSON_TYPE)

    def _create(self, body: dict[str, Any]) -> Reply:
        values = new_lead_fields(body)
        created = data.format_created(self._clock().timestamp())
        lead_id = self._store.add(
            {"dateCreated": created, "status": data.STATUS_NEW, **values, "origin": "api"}, None
        )
        with self._lock:
            new_id: int | str = lead_id if self._id_type == "number" else str(lead_id)
            legacy = self._create_style == "leadID"
        return Reply.json(200, {"status": "success", "leadID": new_id} if legacy else {"leadId": new_id})

    def _update(self, body: dict[str, Any]) -> Reply:
        (lead_id, shown), email = require_lead_id(body), require_email(body)
        changes = update_changes(body, self.statuses)
        self._require_member(email)
        if lead_id is None or not self._store.update(lead_id, email, changes):
            raise Refusal(404, f"Lead {shown} not found.")
        return Reply(204)

    def _delete(self, body: dict[str, Any]) -> Reply:
        (lead_id, shown), email = require_lead_id(body), require_email(body)
        self._require_member(email)
        if lead_id is None or not self._store.delete(lead_id, email):
            raise Refusal(404, f"Lead {shown} not found.")
        return Reply.json(200, {"status": "success"})
