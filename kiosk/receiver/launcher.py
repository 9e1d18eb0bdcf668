"""Start the reference receiver as a child process (the demo's back office, and tests).

The terminals and their secrets go to the child in its terminals file (mode 0600, beside
its database), never on its command line, which any local user can read with ``ps``.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from kiosk.receiver.constants import DATABASE_ENV, READY_PREFIX
from kiosk.receiver.terminals import save_terminals


class ReceiverStartError(RuntimeError):
    """The receiver exited or stayed silent instead of saying it was ready."""


class _OutputPump:
    """Reads the child's output forever (so its pipe never fills) and spots the ready line."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: collections.deque[str] = collections.deque(maxlen=200)
        self.url: str | None = None
        self.ready = threading.Event()
        self._process = process
        threading.Thread(target=self._pump, name="receiver-output", daemon=True).start()

    def _pump(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self.lines.append(line.rstrip("\n"))
            if self.url is None and line.startswith(READY_PREFIX):
                self.url = line[len(READY_PREFIX) :].strip()
                self.ready.set()
        self.ready.set()  # the child exited: stop waiting


def terminals_file_of(db: Path) -> Path:
    """Where ``start_receiver`` writes the terminals of the receiver using ``db``."""
    return db.with_name(db.stem + "-terminals.txt")


def start_receiver(
    db: Path,
    terminals: Mapping[str, bytes],
    port: int = 0,
    *,
    host: str = "127.0.0.1",
    extra_args: Sequence[str] = (),
    ready_timeout: float = 20.0,
    database: str | None = None,
) -> tuple[subprocess.Popen[str], str]:
    """Start ``kiosk-receiver serve`` and wait until it listens.

    Args:
        db: the receiver's SQLite file (beside which its terminals file is written).
        database: a ``postgresql://`` URL to use instead of the SQLite file ``db``; given
            in the child's environment (it may hold a password), never on its command line.
        terminals: the terminals it accepts, by id, with their secrets; written to
            ``terminals_file_of(db)``, replacing what was there.
        port: 0 for any free port.
        extra_args: more ``serve`` options (``--catalog``, ``--fault-plan``...).

    Returns:
        The process (stop it with ``stop_receiver``) and its base URL, e.g.
        ``http://127.0.0.1:43117``. Its output (merged stderr) is drained by a thread;
        the last lines are kept in ``process.output_lines`` for diagnosis.
    """
    terminals_file = terminals_file_of(db)
    save_terminals(terminals_file, terminals)
    command = [sys.executable, "-m", "kiosk.receiver.cli", "serve", "--host", host]
    command += ["--port", str(port), "--terminals", str(terminals_file)]
    environment = dict(os.environ)
    if database is None:
        command += ["--db", str(db)]
    else:
        environment[DATABASE_ENV] = database
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [*command, *extra_args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=environment,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    pump = _OutputPump(process)
    process.output_lines = pump.lines  # type: ignore[attr-defined]
    if not pump.ready.wait(ready_timeout) or pump.url is None:
        stop_receiver(process)
        tail = "\n".join(pump.lines)
        raise ReceiverStartError(f"the receiver did not start:\n{tail}")
    return process, pump.url


def stop_receiver(process: subprocess.Popen[str], timeout: float = 5.0) -> int | None:
    """Stop the receiver gracefully (SIGTERM), killing it if it does not stop in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
    return process.returncode
