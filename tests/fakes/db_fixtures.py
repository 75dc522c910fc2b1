"""Database fixtures: an SQLite file per test, and a throwaway PostgreSQL server for the session.

PostgreSQL tests never skip: without the binaries the fixture fails and says how to install them.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.support import free_port

PG_USER = "postgres"  # the OS user that runs the server (initdb refuses root), and the DB superuser
INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH, in /usr/lib/postgresql/*/bin, "
    "or in $LEADBOT_TEST_PG_BIN. Install them (apt-get install postgresql) — the PostgreSQL tests "
    "must run, not skip."
)


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway server: connect as `postgres` (trust auth) on 127.0.0.1:`port`."""

    port: int
    data_dir: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def admin_dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={PG_USER} dbname=postgres"


def find_pg_bin() -> Path:
    """The directory holding initdb and pg_ctl; fails the test run loudly when there is none."""
    candidates = [os.environ.get("LEADBOT_TEST_PG_BIN", "")]
    found = shutil.which("initdb")
    candidates.append(str(Path(found).parent) if found else "")
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in filter(None, candidates):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    pytest.fail(INSTALL_HINT, pytrace=False)


def _as_server_user(argv: list[str]) -> list[str]:
    """Runs as `postgres` when we are root (initdb refuses root); as ourselves otherwise."""
    if os.geteuid() == 0:
        return ["runuser", "-u", PG_USER, "--", *argv]
    return argv


def _run(argv: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(argv), capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        pytest.fail(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)


def start_postgres(base: Path) -> PostgresServer:
    """initdb + pg_ctl start on a free port, listening on 127.0.0.1 only, in a directory `postgres` owns."""
    bin_dir = find_pg_bin()
    if os.geteuid() == 0:
        shutil.chown(base, user=PG_USER)
    base.chmod(0o700)
    data = base / "data"
    _run(
        [str(bin_dir / "initdb"), "-D", str(data), "-U", PG_USER, "--auth=trust", "-E", "UTF8", "--no-sync"],
        "initdb",
    )
    for _ in range(3):
        port = free_port()
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-o", options, "-w"]
        done = subprocess.run(
            _as_server_user([*start, "start"]), capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode == 0:
            return PostgresServer(port=port, data_dir=data)
    log = (base / "log").read_text(errors="replace") if (base / "log").exists() else ""
    pytest.fail(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n{log[-3000:]}", pytrace=False)


def stop_postgres(server: PostgresServer) -> None:
    bin_dir = find_pg_bin()
    subprocess.run(
        _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(server.data_dir), "-m", "immediate", "stop"]),
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test session, stopped and deleted at the end."""
    base = Path(tempfile.mkdtemp(prefix="leadbot-pg-"))
    server = start_postgres(base)
    try:
        yield server
    finally:
        stop_postgres(server)
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
