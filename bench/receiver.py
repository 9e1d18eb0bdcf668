"""The reference receiver's throughput on each storage: accepted submissions per second
from N simulated terminals, next to a raw insert loop on the same database, and the ratio.

    .venv/bin/python bench/receiver.py                       # SQLite and PostgreSQL
    .venv/bin/python bench/receiver.py --terminals 16 --n 4000 --only postgresql
    .venv/bin/python bench/receiver.py --receivers 2 --only postgresql   # a small fleet
    .venv/bin/python bench/receiver.py --postgres postgresql://kiosk@db.example/bench

Each terminal is a thread with its own HTTP connection, posting signed submissions of
about 2 KB under fresh idempotency keys to ``kiosk-receiver serve`` (a subprocess, one
per ``--receivers``, terminals spread over them); only 201 answers count. The floor is a
loop of the same number of threads, each with its own connection to the same database,
doing one ``INSERT`` + ``COMMIT`` of the same bytes per row (SQLite: WAL and
``synchronous=FULL`` as the receiver uses them): what the disk and the database cost
anyway, without HTTP, signatures, the receiver's look-up of the key before its INSERT,
and its trips to the thread pool that runs its statements (on PostgreSQL over a pool of
connections, ``serve --pool-size``; on SQLite over its one connection).

Without ``--postgres`` a throwaway cluster is started (tests/postgres_server.py) with
PostgreSQL's durable defaults (fsync on), in a temporary directory on this machine.
"""

# ruff: noqa: E402 - the imports must follow the sys.path fix below
from __future__ import annotations

import sys
from pathlib import Path

# This folder holds queue.py, which would shadow the standard library's queue (urllib3
# imports it): take the folder out of sys.path, put the project's packages in.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse
import json
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import requests

from kiosk.connectors.signing import sign_request
from kiosk.receiver.database import Database, open_database
from kiosk.receiver.launcher import start_receiver, stop_receiver
from tests.postgres_server import running_postgres

SECRET = b"bench-secret-".ljust(32, b".")


def payload(n: int) -> bytes:
    """A submission of about 2 KB, like a démarche's answers."""
    return json.dumps({
        "reference": f"BEN-{n:07d}",
        "demarche": {"id": "acte-naissance", "version": 3},
        "answers": {"nom": "Dupont-Évrard", "prenoms": "Jeanne Marie",
                    "commentaire": "Je ne peux pas me déplacer facilement. " * 45},
    }, ensure_ascii=False).encode("utf-8")


def in_threads(count: int, work: Callable[[int], int]) -> tuple[int, float]:
    """Run ``work(i)`` in ``count`` threads released together: rows done and seconds."""
    start = threading.Barrier(count + 1)
    done = [0] * count

    def run(i: int) -> None:
        start.wait()
        done[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return sum(done), time.perf_counter() - began


def post_submissions(urls: list[str], terminals: int, n: int) -> tuple[int, float]:
    """``n`` submissions from ``terminals`` threads; accepted ones and seconds."""
    per_terminal = n // terminals

    def terminal(i: int) -> int:
        session = requests.Session()
        url = urls[i % len(urls)]
        accepted = 0
        for k in range(per_terminal):
            body = payload(i * per_terminal + k)
            headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4()),
                       **sign_request(SECRET, f"bench-{i:03d}", "POST", "/v1/submissions", body)}
            answer = session.post(url + "/v1/submissions", data=body, headers=headers,
                                  timeout=60)
            accepted += answer.status_code == 201
        return accepted

    return in_threads(terminals, terminal)


def raw_inserts(location: str, threads: int, n: int) -> tuple[int, float]:
    """The floor: ``n`` single-row INSERT + COMMIT of the same bytes, from ``threads``
    connections to the same database."""
    setup = open_database(location)
    setup.execute("CREATE TABLE IF NOT EXISTS bench_raw (key TEXT PRIMARY KEY, body "
                  + ("BYTEA" if setup.engine == "postgresql" else "BLOB") + ")")
    connections: list[Database] = [open_database(location) for _ in range(threads)]
    per_thread = n // threads

    def loop(i: int) -> int:
        db = connections[i]
        for k in range(per_thread):
            with db.transaction():
                db.execute("INSERT INTO bench_raw VALUES (?, ?)",
                           (str(uuid.uuid4()), payload(i * per_thread + k)))
        return per_thread

    try:
        return in_threads(threads, loop)
    finally:
        for db in [setup, *connections]:
            db.close()


@contextmanager
def receivers(location: str, folder: Path, count: int, terminals: int) -> Iterator[list[str]]:
    """``count`` receiver processes on ``location``, with every bench terminal enrolled."""
    enrolled = {f"bench-{i:03d}": SECRET for i in range(terminals)}
    with ExitStack() as stack:
        urls = []
        for r in range(count):
            database = None if location.endswith(".sqlite3") else location
            process, url = start_receiver(folder / f"received-{r}.sqlite3"
                                          if database else Path(location),
                                          enrolled, extra_args=["--no-catalog"],
                                          database=database)
            stack.callback(stop_receiver, process)
            urls.append(url)
        yield urls


def measure(name: str, location: str, folder: Path, args: argparse.Namespace) -> None:
    # Both turns alternate, twice, so that noise from a shared machine hits both alike.
    project: list[float] = []
    floor: list[float] = []
    for _ in range(args.turns):
        with receivers(location, folder, args.receivers, args.terminals) as urls:
            accepted, seconds = post_submissions(urls, args.terminals, args.n)
        project.append(accepted / seconds)
        done, seconds = raw_inserts(location, args.terminals, args.n)
        floor.append(done / seconds)
    best, raw = max(project), max(floor)
    print(f"{name:<11} {args.terminals} terminals, {args.receivers} receiver(s):"
          f" {best:7.0f} accepted/s (turns: {', '.join(f'{p:.0f}' for p in project)})"
          f" | raw INSERT+COMMIT, {args.terminals} connections: {raw:7.0f} rows/s"
          f" ({', '.join(f'{f:.0f}' for f in floor)}) | ratio {best / raw:.2f}x", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terminals", type=int, default=8, help="simulated terminals")
    parser.add_argument("--n", type=int, default=2000, help="submissions per turn")
    parser.add_argument("--turns", type=int, default=2)
    parser.add_argument("--receivers", type=int, default=1,
                        help="receiver processes (PostgreSQL only; SQLite: always one)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--postgres", help="an existing database to use (its tables grow)")
    args = parser.parse_args()
    engines = args.only or ["sqlite", "postgresql"]
    with tempfile.TemporaryDirectory(prefix="bench-receiver-") as folder:
        if "sqlite" in engines:
            single = argparse.Namespace(**{**vars(args), "receivers": 1})
            measure("SQLite", str(Path(folder) / "received.sqlite3"), Path(folder), single)
        if "postgresql" in engines:
            if args.postgres:
                measure("PostgreSQL", args.postgres, Path(folder), args)
            else:
                with running_postgres(durable=True) as server:
                    measure("PostgreSQL", server.create_database(), Path(folder), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
