"""Soak benchmark: visit after visit, as a kiosk lives for weeks without a restart.

The kiosk is started as `kiosk` starts it (PySide's source reading answered from bytes,
the garbage collector off until the set-up is done). Each round fills in every démarche
of the bundled catalog, one visit each, ended by the wipe, with sample answers sent to
the queue. Visits run from the Qt event loop, one step per turn of the loop, so that what
the kiosk deletes later is deleted as in service. After each round it prints the live
widgets, the objects Python tracks (those made since the start-up's were frozen) and the
resident memory. The floor is the same figures after the first round (the kiosk warmed
up).

    .venv/bin/python bench/soak.py [--rounds 20]

Goal: nothing grows with visits: widgets constant, RSS within 2 MiB of the first round.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The project, not bench/, comes first: bench/queue.py would hide the standard `queue`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

gc.disable()  # as `kiosk` starts: see wiring.cli and wiring.commands.run

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.pyside_sources import answer_from_file_bytes  # noqa: E402

answer_from_file_bytes()  # as `kiosk` does, before the kiosk's own modules

from bench.running_kiosk import running_kiosk  # noqa: E402
from kiosk.sample_answers import sample_answer  # noqa: E402
from wiring.app import KioskApp  # noqa: E402
from wiring.commands.run import settle_after_startup  # noqa: E402


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def visits(app: KioskApp) -> Iterator[None]:
    """One démarche per visit; yields between steps so the event loop runs."""
    guide = app.guide
    for demarche in app.catalog().demarches:
        app.start_visit()
        guide.start_demarche(demarche.id)
        yield
        while guide.session is not None and guide.session.current is not None:
            editor = guide.question.editor
            assert editor is not None
            editor.set_value(sample_answer(guide.session.current))
            guide.question.navigation.next.click()
            yield
        app.wipe_session()
        yield


def figures(qt_app: QApplication) -> tuple[int, int, float]:
    gc.collect()
    return len(qt_app.allWidgets()), len(gc.get_objects()), rss_mib()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    qt_app = QApplication(sys.argv[:1])
    with running_kiosk(qt_app) as app:
        settle_after_startup()
        rows: list[tuple[int, int, float]] = []

        def steps() -> Iterator[None]:
            for _ in range(args.rounds):
                yield from visits(app)
                yield  # one more turn: the last visit's screens are deleted
                rows.append(figures(qt_app))
                print(
                    f"round {len(rows):3d}: widgets {rows[-1][0]:5d}   "
                    f"Python objects {rows[-1][1]:7d}   RSS {rows[-1][2]:6.1f} MiB",
                    flush=True,
                )

        walk = steps()

        def step() -> None:
            """One step of the walk per turn of the event loop; the end stops the loop."""
            if next(walk, StopIteration) is StopIteration:
                qt_app.exit(0)

        timer = QTimer()
        timer.timeout.connect(step)
        timer.start(0)
        qt_app.exec()
        timer.stop()
        visits_done = args.rounds * len(app.catalog().demarches)
    (w0, o0, r0), (w1, o1, r1) = rows[0], rows[-1]
    print(
        f"{visits_done} visits: widgets {w0} -> {w1} ({w1 - w0:+d}), "
        f"Python objects {o0} -> {o1} ({o1 - o0:+d}), RSS {r0:.1f} -> {r1:.1f} MiB "
        f"({r1 - r0:+.1f}; goal within 2 MiB)"
    )


if __name__ == "__main__":
    main()
