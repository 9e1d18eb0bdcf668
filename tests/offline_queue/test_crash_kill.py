"""Crash test: SIGKILL a process that enqueues and syncs, hundreds of times.

Afterwards every acknowledged enqueue is on the receiver exactly once, the queue file is
intact, and the queue resumes. ``CRASH_KILLS`` sets the number of kills (default 200).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from kiosk.connectors.http_api import HttpApiConnector
from offline_queue.store import QueueStore, State
from offline_queue.sync import BackoffPolicy, SyncWorker
from tests.receiver_process import all_final, running_receiver, submission, wait_until

KILLS = int(os.environ.get("CRASH_KILLS", "200"))
ROOT = Path(__file__).resolve().parents[2]


class Child:
    """One run of crash_child.py, its output read on a thread."""

    def __init__(self, store: Path, url: str, run: int, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.offline_queue.crash_child", str(store), url, str(run)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.lines: list[bytes] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout as output:  # closed when the child dies
            for line in output:
                if line.endswith(b"\n"):  # a line cut by the kill is not an acknowledgement
                    self.lines.append(line)
                    if line == b"ready\n":
                        self.ready.set()
        self.ready.set()

    def kill(self) -> tuple[list[tuple[str, int, int]], int]:
        """SIGKILL it; return its acknowledged enqueues and its exit status."""
        self.process.send_signal(signal.SIGKILL)
        status = self.process.wait(30)
        self._reader.join(30)
        stderr = b""
        if self.process.stderr is not None:
            with self.process.stderr:
                stderr = self.process.stderr.read()
        assert status == -signal.SIGKILL, stderr.decode(errors="replace")[-2000:]
        acks = []
        for line in self.lines:
            word, *fields = line.decode().split()
            if word == "ack":
                acks.append((fields[0], int(fields[1]), int(fields[2])))
        return acks, status


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path, queue_key):
    store = tmp_path / "queue.sqlite3"
    rng = random.Random(os.environ.get("CRASH_SEED", str(time.time_ns())))
    with running_receiver(tmp_path / "rx", "--no-catalog", terminal_id="crash-test-01") as rx:
        env = dict(os.environ, CRASH_QUEUE_KEY=queue_key.hex(), CRASH_SECRET=rx.secret.hex())
        acked: dict[str, tuple[int, int]] = {}
        for run in range(KILLS):
            child = Child(store, rx.url, run, env)
            if rng.random() < 0.2:
                time.sleep(rng.uniform(0.0, 0.15))  # during start-up and recovery
            else:
                assert child.ready.wait(30), "the child did not start"
                time.sleep(rng.uniform(0.0, 0.2))  # while enqueuing and syncing
            acks, _ = child.kill()
            for item_id, child_run, n in acks:
                acked[item_id] = (child_run, n)
        assert len(acked) > KILLS  # the kills did not all land before any work

        # Nothing is corrupted: the file checks out after hundreds of kills.
        with sqlite3.connect(store) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

        # The queue resumes: a fresh worker drains what the dead ones left, plus a new item.
        connector = HttpApiConnector(rx.url, "crash-test-01", rx.secret, timeout=5.0)
        worker = SyncWorker(store, queue_key, connector, policy=BackoffPolicy(0.05, 0.2),
                            interval=0.5)
        worker.start()
        try:
            with QueueStore(store, queue_key) as queue:
                last_id, last_ref, last_payload = submission(10_000)
                queue.enqueue(last_id, last_ref, "crash-test", last_payload)
            worker.wake()
            wait_until(all_final(store, queue_key), timeout=120, what="final drain")
        finally:
            worker.stop()
        received = rx.submissions()

    with QueueStore(store, queue_key) as queue:
        items = {item.id: item for item in queue.items()}
    # Every acknowledged enqueue is in the queue, delivered, and on the receiver once.
    assert set(acked) <= set(items)
    assert {item.state for item in items.values()} == {State.DELIVERED}
    by_key = {row.idempotency_key: row for row in received}
    assert set(by_key) == set(items)  # unacknowledged-but-durable ones were delivered too
    assert all(items[key].remote_reference == row.remote_id for key, row in by_key.items())
    # No submission arrived twice under another key (each (run, n) is enqueued once).
    numbers = Counter(
        (json.loads(row.payload).get("run"), json.loads(row.payload)["n"]) for row in received
    )
    assert max(numbers.values()) == 1
    for item_id, (run, n) in acked.items():
        assert json.loads(by_key[item_id].payload) == {
            "reference": f"CR-{run:04d}-{n:04d}", "run": run, "n": n,
        }
    # The kills did hit attempts in flight (sent again after recovery, answered by a replay).
    interrupted = sum(1 for item in items.values() if item.attempts > 1)
    print(f"{KILLS} kills, {len(items)} items, {len(acked)} acknowledged, "
          f"{interrupted} interrupted attempts")
    if KILLS >= 100:
        assert interrupted > 0
    with sqlite3.connect(rx.db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
