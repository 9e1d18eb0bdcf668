"""Appearance benchmark: from a resident's text size or theme choice to the screen repainted.

Shows the kiosk (offscreen, overlays and services built), then alternates appearances
(text sizes and themes, never twice the same in a row) and times ``set_appearance`` +
a synchronous repaint of the window: at the welcome screen, then on a question screen
(the first question of a démarche, with its editor and the top bar). The floor is the
same restyle (the same font and stylesheets, in the same order) of a bare window holding
as many plain QWidgets, QLabels and QPushButtons as the kiosk has widgets, measured in
the same run, alternated with the kiosk's.

    .venv/bin/python bench/restyle.py [--rounds 12]

Goal (restyle work, 2026-12-03): twice as fast as before it; no fixed time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NamedTuple

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The project, not bench/, comes first: bench/queue.py would hide the standard `queue`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from accessibility.sizes import TextSize  # noqa: E402
from accessibility.themes import ThemeName  # noqa: E402
from bench.running_kiosk import running_kiosk  # noqa: E402
from ui.fonts import kiosk_font  # noqa: E402
from ui.style import Appearance, FontSizes, build_stylesheet  # noqa: E402
from wiring.app import KioskApp  # noqa: E402

# Every size with every theme, in an order where both change often.
SIZES, THEMES = list(TextSize), list(ThemeName)
APPEARANCES = [
    Appearance(text_size=SIZES[i % len(SIZES)], theme=THEMES[(i // len(SIZES) + i) % len(THEMES)])
    for i in range(len(SIZES) * len(THEMES))
]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def bare_window(kiosk_widgets: list[QWidget]) -> QWidget:
    """A shown window with one plain widget of each kiosk widget's kind, no layouts."""
    window = QWidget()
    window.resize(1920, 1080)
    layout = QVBoxLayout(window)
    for widget in kiosk_widgets:
        if isinstance(widget, QAbstractButton):
            child: QWidget = QPushButton("Suivant", window)
        elif isinstance(widget, QLabel):
            child = QLabel("Bonjour", window)
        else:
            child = QWidget(window)
        if widget.isVisible():
            layout.addWidget(child)
        else:
            child.hide()
    return window


def restyle(window: QWidget, appearance: Appearance, app: KioskApp) -> None:
    """The floor: the kiosk's font and stylesheet for ``appearance``, set on ``window``,
    without the kiosk's input filters (Qt's own cost)."""
    fonts = FontSizes.for_appearance(appearance, app.metrics)
    app.qt_app.removeEventFilter(app.input_hub)
    window.setFont(kiosk_font(fonts.body))
    window.setStyleSheet(build_stylesheet(appearance, app.metrics))
    app.qt_app.installEventFilter(app.input_hub)


class Samples(NamedTuple):
    wall: list[float]
    cpu: list[float]  # the GUI thread's: without the waits for a core on a shared machine


def timed(samples: Samples, action: Callable[[], None], window: QWidget) -> None:
    start, start_cpu = time.perf_counter(), time.thread_time()
    action()
    window.repaint()
    samples.wall.append(time.perf_counter() - start)
    samples.cpu.append(time.thread_time() - start_cpu)


def measure(app: KioskApp, floor_window: QWidget, rounds: int) -> tuple[Samples, Samples]:
    """Kiosk restyles and floor restyles, alternated."""
    project, floor = Samples([], []), Samples([], [])
    for _ in range(rounds):
        for appearance in APPEARANCES:
            timed(project, partial(app.set_appearance, appearance), app.window)
            timed(floor, partial(restyle, floor_window, appearance, app), floor_window)
    return project, floor


def report(name: str, project: Samples, floor: Samples) -> None:
    for kind in ("wall", "cpu"):
        mine, base = getattr(project, kind), getattr(floor, kind)
        p50, p95 = percentile(mine, 0.5) * 1e3, percentile(mine, 0.95) * 1e3
        f50, f95 = percentile(base, 0.5) * 1e3, percentile(base, 0.95) * 1e3
        print(f"{name:<28} {kind:<4} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms   "
              f"(floor p50 {f50:6.1f} ms p95 {f95:6.1f} ms; ratio p50 {p50 / f50:4.1f}x, "
              f"p95 {p95 / f95:4.1f}x)")
        name = ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="of the 9 appearances")
    args = parser.parse_args()
    qt_app = QApplication(sys.argv[:1])
    with running_kiosk(qt_app) as app:
        app.window.resize(1920, 1080)
        app.window.repaint()
        widgets = [w for w in qt_app.allWidgets() if w.window() is app.window]
        floor_window = bare_window(widgets)
        floor_window.show()
        welcome = measure(app, floor_window, args.rounds)
        welcome_count = len(widgets)
        app.start_visit()
        app.guide.start_demarche(app.catalog().demarches[0].id)
        app.window.repaint()
        question_count = sum(1 for w in qt_app.allWidgets() if w.window() is app.window)
        question = measure(app, floor_window, args.rounds)
        floor_window.close()
        app.wipe_session()
    print(f"{len(welcome[0].wall)} appearance changes per screen (sizes and themes alternated)")
    report(f"welcome ({welcome_count} widgets)", *welcome)
    report(f"question ({question_count} widgets)", *question)
    print(f"floor: a bare window of {welcome_count} plain widgets restyled the same way"
          f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
