"""Offline queue benchmarks: each measurement prints the project's figure next to a floor
measured in the same run, and the ratio.

    .venv/bin/python bench/queue.py              # every measurement
    .venv/bin/python bench/queue.py --only enqueue --n 2000

Measurements are functions ``bench_<name>(args) -> None`` listed in ``BENCHMARKS``; add
one there (e.g. the drain to the local receiver) and ``main()`` runs it.

enqueue: durable ``QueueStore.enqueue`` (AES-GCM seal + one INSERT in a BEGIN IMMEDIATE
transaction, WAL, synchronous=FULL) against the floor: plain sqlite3 ``INSERT`` +
``COMMIT`` of the same bytes with the same pragmas. The two are interleaved item by item
in files side by side, so that disk and CPU noise from a shared machine hits both alike.
Goal: p50 and p99 at most 1.5x the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from offline_queue.store import QueueStore


def realistic_payload(n: int) -> bytes:
    """A démarche submission of about 2 KB, as the kiosk queues it (JSON, UTF-8)."""
    data = {
        "data": {
            "civilite": "Madame",
            "nom": "Dupont-Évrard",
            "prenoms": "Jeanne Marie Louise",
            "date_naissance": "1941-03-17",
            "lieu_naissance": "Montpellier (Hérault)",
            "adresse": {"numero": "12", "voie": "rue des Lilas", "code_postal": "34000",
                        "commune": "Montpellier"},
            "telephone": "06 12 34 56 78",
            "courriel": "jeanne.dupont@example.org",
            "motif": "Demande d'acte de naissance (copie intégrale) pour un dossier de "
                     "retraite de réversion auprès de la caisse de retraite.",
            "nombre_exemplaires": 2,
            "mode_retrait": "envoi postal",
            "commentaire": "Je ne peux pas me déplacer facilement. " * 30,
            "consentement_rgpd": True,
        },
        "meta": {"backoffice-submission": True, "demarche": "acte-naissance",
                 "submission": n},
        "context": {"channel": "kiosk", "terminal": "admiville-demo-01",
                    "language": "fr", "assisted_by_mediator": False,
                    "accessibility": {"text_size": "xl", "speech": True, "contrast": "high"}},
    }
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def percentile(samples: list[float], fraction: float) -> float:
    """The sample below which ``fraction`` of them fall (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _raw_floor(path: Path) -> Callable[[str, bytes], None]:
    """Plain sqlite3: same pragmas, one INSERT + COMMIT per row, nothing else."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE items (id TEXT PRIMARY KEY, payload BLOB) WITHOUT ROWID")

    def insert(item_id: str, payload: bytes) -> None:
        conn.execute("BEGIN")
        conn.execute("INSERT INTO items VALUES (?, ?)", (item_id, payload))
        conn.execute("COMMIT")

    return insert


def bench_enqueue(args: argparse.Namespace) -> None:
    """Durable enqueue latency, p50/p99, next to raw INSERT+COMMIT."""
    payloads = [realistic_payload(n) for n in range(args.n)]
    ids = [str(uuid.uuid4()) for _ in range(args.n)]
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        store = QueueStore(Path(folder) / "queue.sqlite3", os.urandom(32))
        raw = _raw_floor(Path(folder) / "raw.sqlite3")
        ours: list[float] = []
        floor: list[float] = []
        for item_id, payload in zip(ids, payloads, strict=True):
            start = time.perf_counter()
            raw(item_id, payload)
            middle = time.perf_counter()
            store.enqueue(item_id, "ADM-7K3-Q9P", "acte-naissance", payload)
            end = time.perf_counter()
            floor.append(middle - start)
            ours.append(end - middle)
        store.close()
    size = statistics.mean(len(p) for p in payloads)
    print(f"enqueue: {args.n} durable enqueues of {size:.0f}-byte JSON payloads "
          f"(WAL, synchronous=FULL) in {args.dir or tempfile.gettempdir()}")
    print(f"  {'':24} {'p50 ms':>8} {'p99 ms':>8}")
    for label, samples in (("QueueStore.enqueue", ours), ("raw INSERT+COMMIT", floor)):
        print(f"  {label:24} {percentile(samples, 0.5) * 1e3:8.3f} "
              f"{percentile(samples, 0.99) * 1e3:8.3f}")
    for name, fraction in (("p50", 0.5), ("p99", 0.99)):
        ratio = percentile(ours, fraction) / percentile(floor, fraction)
        verdict = "ok" if ratio <= 1.5 else "ABOVE GOAL"
        print(f"  ratio {name}: {ratio:.2f}x (goal <= 1.5x) {verdict}")


BENCHMARKS: dict[str, Callable[[argparse.Namespace], None]] = {
    "enqueue": bench_enqueue,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append",
                        help="run only this measurement (repeatable)")
    parser.add_argument("--n", type=int, default=2000, help="items per measurement")
    parser.add_argument("--dir", default=None,
                        help="folder for the files (default: the temp dir; use a real disk)")
    args = parser.parse_args(argv)
    for name in args.only or BENCHMARKS:
        BENCHMARKS[name](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
