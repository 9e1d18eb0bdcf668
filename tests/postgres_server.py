"""A throwaway PostgreSQL server for the tests and bench/receiver.py: a real cluster made
with initdb and started with pg_ctl in a temporary directory, on a free port, its unix
socket in that directory, stopped and removed at the end (no mock).

The server binaries come from Debian's ``postgresql`` package (scripts/bootstrap.sh).
PostgreSQL refuses to run as root: under root the cluster belongs to the unprivileged
``postgres`` user that the package creates, and its commands run through ``runuser``.

    from tests.postgres_server import postgres, database_location  # noqa: F401 (fixtures)
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER_USER = "postgres"  # created by Debian's postgresql package
ENGINES = ("sqlite", "postgresql")


class PostgresUnavailableError(RuntimeError):
    """The PostgreSQL server binaries are missing (run scripts/bootstrap.sh)."""


def server_bindir() -> Path:
    """Where initdb and pg_ctl are: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda path: int(Path(path).parts[-3]))
    if not candidates:
        raise PostgresUnavailableError(
            "no PostgreSQL server binaries (pg_ctl): run scripts/bootstrap.sh, which installs"
            " Debian's postgresql package"
        )
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class PostgresServer:
    """A running cluster: its socket directory and port; ``url(name)`` of a database."""

    directory: Path
    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@/{database}?host={self.directory}&port={self.port}"

    def create_database(self) -> str:
        """A new empty database; its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def _as_server_user(command: Sequence[str]) -> list[str]:
    if os.geteuid() != 0:
        return list(command)
    return ["runuser", "-u", SERVER_USER, "--", *command]


@contextmanager
def running_postgres(*, durable: bool = False) -> Iterator[PostgresServer]:
    """Start a cluster; ``durable=False`` turns fsync off (tests: faster, and a crash
    loses nothing that matters); the benchmark keeps PostgreSQL's durable defaults."""
    bindir = server_bindir()
    directory = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    data = directory / "data"
    if os.geteuid() == 0:
        shutil.chown(directory, SERVER_USER)
    user = SERVER_USER if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    port = _free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True}
    subprocess.run(
        _as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", user,
                         "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True, **quiet,  # type: ignore[call-overload]
    )
    options = (f"-p {port} -k {directory} -c listen_addresses=127.0.0.1"
               " -c max_connections=200")
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(directory / "server.log")]
    started = subprocess.run(
        _as_server_user([*pg_ctl, "-o", options, "-w", "-t", "60", "start"]),
        check=False, **quiet,  # type: ignore[call-overload]
    )
    try:
        if started.returncode != 0:
            log = (directory / "server.log").read_text(errors="replace")
            raise PostgresUnavailableError(f"PostgreSQL did not start:\n{started.stderr}\n{log}")
        yield PostgresServer(directory, port, user)
    finally:
        subprocess.run(
            _as_server_user([*pg_ctl, "-m", "fast", "-w", "stop"]),
            check=False, **quiet,  # type: ignore[call-overload]
        )
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test session."""
    with running_postgres() as server:
        yield server


@pytest.fixture(params=ENGINES)
def database_location(
    request: pytest.FixtureRequest, tmp_path: Path
) -> str:
    """A fresh, empty receiver database on each engine: a SQLite file, then a new
    database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "received.sqlite3")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database()
