"""How many key presses and touches each démarche takes without sight (issue 12, item 9).

Goes through the six démarches of the bundled catalog from the welcome screen to the
receipt, as ``tests/e2e/test_every_demarche_alone.py`` does (same answers, same drivers:
``tests/e2e/journeys.py``), three times each: with the tactile keypad only and the voice
on; with touch and confirm (the first tap turns the mode on); with plain taps, one per
control, for comparison. Then "Où en est ma demande ?" with the keypad only. Prints a
Markdown table (docs/accessibility.md quotes it). Offscreen, a few minutes.

    .venv/bin/python bench/accessible_journeys.py
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The project, not bench/, comes first: bench/queue.py would hide the standard `queue`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import pytest  # noqa: E402  (MonkeyPatch: swaps the synthesizer for a recorder, typed)
from PySide6.QtWidgets import QApplication  # noqa: E402

from accessibility import qt_speech  # noqa: E402
from accessibility.speech import Utterance  # noqa: E402
from bench.running_kiosk import running_kiosk  # noqa: E402
from kiosk.config import SpeechSection  # noqa: E402
from tests.accessibility.conftest import QUICK_PLAYER, RecordingSynthesizer  # noqa: E402
from tests.e2e.journeys import (  # noqa: E402
    JOURNEYS,
    Journey,
    TouchUser,
    by_keypad,
    by_touch,
    status_by_keypad,
)
from tests.e2e.keypad_user import KeypadUser  # noqa: E402
from tests.e2e.resident import Resident, answer_street_report, settle  # noqa: E402
from wiring.app import KioskApp  # noqa: E402


@contextmanager
def voiced_kiosk(qt_app: QApplication) -> Iterator[tuple[KioskApp, list[Utterance]]]:
    """A fresh kiosk whose synthesis is a recorder (its Speaker and privacy rules real)."""
    synth = RecordingSynthesizer()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(qt_speech, "Synthesizer", lambda **_kwargs: synth)
        with running_kiosk(qt_app, SpeechSection(player=QUICK_PLAYER)) as app:
            app.window.activateWindow()  # the keypad's keys go to the focused widget
            settle()
            yield app, synth.submitted


def keypad_presses(qt_app: QApplication, journey: Journey) -> int:
    with voiced_kiosk(qt_app) as (app, said):
        user = KeypadUser(app, said)
        walked = by_keypad(user, said, journey)
        assert walked.unheard == [], walked.unheard
        return user.presses


def touches(qt_app: QApplication, journey: Journey, confirm: bool) -> int:
    with voiced_kiosk(qt_app) as (app, said):
        user = TouchUser(app, said, confirm=confirm)
        by_touch(user, journey)
        return user.taps


def status_presses(qt_app: QApplication) -> int:
    with voiced_kiosk(qt_app) as (app, said):
        resident = Resident(app)
        resident.start()
        resident.open_demarche("Un problème dans la rue")
        answer_street_report(resident)
        reference = resident.send()
        resident.finish()
        user = KeypadUser(app, said)
        status_by_keypad(user, said, reference)
        return user.presses


def main() -> None:
    qt_app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qt_app, QApplication)
    rows: list[tuple[str, ...]] = []
    measures: tuple[Callable[[Journey], int], ...] = (
        lambda j: keypad_presses(qt_app, j),
        lambda j: touches(qt_app, j, confirm=True),
        lambda j: touches(qt_app, j, confirm=False),
    )
    for journey in JOURNEYS:
        typed = ", ".join(f'"{t}"' for step in journey.steps for t in step.type)
        counts = [str(measure(journey)) for measure in measures]
        rows.append((journey.title, *counts, typed))
        print(f"{journey.demarche}: {', '.join(counts)}", file=sys.stderr, flush=True)
    rows.append((STATUS_ROW, str(status_presses(qt_app)), "-", "-", "a reference, 9 signs"))
    print(
        "| démarche | keypad presses (voice on) | touches, touch and confirm "
        "| plain touches | typed |"
    )
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


STATUS_ROW = "Où en est ma demande ? (status look-up)"

if __name__ == "__main__":
    main()
