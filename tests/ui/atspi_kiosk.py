"""A real kiosk for the AT-SPI test, in its own process on the display and bus it is given.

Run as ``python -m tests.ui.atspi_kiosk DATA_DIR``. It prints ``ready`` once shown, then
reads one command a line on stdin and answers ``done <command>`` once the screen is
drawn:

    scene NAME      a scene of ``kiosk.screenshots`` (welcome, receipt of a démarche…)
    refused         the first question of "signalement-rue" sent without an answer
    receipt         the receipt of "signalement-rue"
    language CODE   the kiosk's language

It is the tests' shared kiosk (``tests.e2e.module_kiosk``): in-memory keyring, no back
office.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QSocketNotifier
from PySide6.QtWidgets import QApplication

from tests.e2e.module_kiosk import shared_kiosk
from wiring.app import KioskApp
from wiring.screenshots import all_scenes

DEMARCHE = "signalement-rue"  # its first question is a single choice, required


def _settle(qt_app: QApplication) -> None:
    for _ in range(3):
        qt_app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qt_app.processEvents()


def _run(kiosk: KioskApp, command: str) -> None:
    verb, _, argument = command.partition(" ")
    if verb == "scene":
        scenes = {scene.name: scene for scene in all_scenes(kiosk)}
        scenes[argument].enter(kiosk)
    elif verb == "refused":
        kiosk.wipe_session()
        kiosk.start_visit()
        kiosk.guide.start_demarche(DEMARCHE)
        kiosk.guide.next_question()
    elif verb == "receipt":
        [*_, receipt] = (s for s in all_scenes(kiosk) if s.name.startswith(f"{DEMARCHE}-"))
        receipt.enter(kiosk)
    elif verb == "language":
        kiosk.set_language(argument)
    else:
        raise ValueError(f"unknown command {command!r}")


def main(data_dir: str) -> int:
    qt_app = QApplication(sys.argv[:1])
    running = shared_kiosk(qt_app, Path(data_dir))
    kiosk = next(running)

    def command_ready() -> None:
        line = sys.stdin.readline()
        if not line:
            qt_app.exit(0)  # not quit(): it asks the window, which refuses to close
            return
        command = line.strip()
        _run(kiosk, command)
        _settle(qt_app)
        print(f"done {command}", flush=True)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command_ready)
    _settle(qt_app)
    print("ready", flush=True)
    qt_app.exec()
    running.close()  # shuts the kiosk down
    return 0


if __name__ == "__main__":
    Path(sys.argv[1]).mkdir(parents=True, exist_ok=True)
    sys.exit(main(sys.argv[1]))
