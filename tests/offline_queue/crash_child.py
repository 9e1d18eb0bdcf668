"""The child of the crash test: enqueue numbered submissions and sync them, until killed.

    python -m tests.offline_queue.crash_child STORE URL RUN

The queue key and the terminal secret come in hex through the environment
(``CRASH_QUEUE_KEY``, ``CRASH_SECRET``). It prints ``ready`` once its worker runs, then
``ack <item id> <run> <n>`` after each enqueue has returned (is durable). It imports the
queue and the connector only: no Qt, so that a start costs little.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path

from kiosk.connectors.http_api import HttpApiConnector
from offline_queue.store import QueueStore
from offline_queue.sync import BackoffPolicy, SyncWorker

TERMINAL_ID = "crash-test-01"
PAUSE_BETWEEN_ENQUEUES = 0.01  # seconds: lets the sync thread interleave with enqueues


def main(argv: list[str]) -> int:
    store_path, url, run = Path(argv[1]), argv[2], int(argv[3])
    key = bytes.fromhex(os.environ["CRASH_QUEUE_KEY"])
    secret = bytes.fromhex(os.environ["CRASH_SECRET"])
    connector = HttpApiConnector(url, TERMINAL_ID, secret, timeout=5.0)
    worker = SyncWorker(
        store_path, key, connector,
        policy=BackoffPolicy(base=0.05, cap=0.2), interval=0.5, probe_interval=0.2,
    )
    worker.start()
    print("ready", flush=True)
    with QueueStore(store_path, key) as store:
        n = 0
        while True:
            item_id = str(uuid.uuid4())
            reference = f"CR-{run:04d}-{n:04d}"
            payload = json.dumps({"reference": reference, "run": run, "n": n}).encode()
            store.enqueue(item_id, reference, "crash-test", payload)
            print(f"ack {item_id} {run} {n}", flush=True)
            worker.wake()
            n += 1
            time.sleep(PAUSE_BETWEEN_ENQUEUES)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
