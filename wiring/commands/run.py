"""``kiosk`` (no sub-command): run the kiosk full screen, or ``--windowed``."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from kiosk.config import Config
from wiring.commands.common import prepare

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTimer

NO_DISPLAY = (
    "kiosk: no display is available (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
    "kiosk: on a terminal, start it under the cage compositor (see docs/install.md);\n"
    "kiosk: to see the screens without a display: kiosk screenshots --out DIR"
)


def display_available(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether Qt can open a window: a display server, or a platform chosen explicitly."""
    return any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def stop_on_signals(qt_app: QCoreApplication) -> QTimer:
    """SIGTERM (systemd stop) and SIGINT end the event loop, so shutdown runs in order.

    Python handles signals only when it runs; a timer gives it that chance twice a second.
    """
    from PySide6.QtCore import QTimer

    def stop(*_: object) -> None:
        # exit(), not quit(): quit() asks the window, which refuses to close. Through a
        # zero timer, so that a signal arriving before exec() still ends the loop.
        QTimer.singleShot(0, lambda: qt_app.exit(0))

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, stop)
    timer = QTimer(qt_app)
    timer.timeout.connect(lambda: None)
    timer.start(500)
    return timer


def settle_after_startup() -> None:
    """Start-up is over: collect once, set the objects it made aside, collect as usual again.

    ``wiring.cli`` turns the garbage collector off before the kiosk's imports: start-up
    creates tens of thousands of objects, and the collector walked over them some sixty
    times, about 15 ms of a 170 ms start (bench/startup.py). Freezing them keeps them
    out of every later collection, so that a full collection during a visit does not
    walk the whole application. The one collection here takes some 40 ms, once, before
    any resident has touched the screen.
    """
    gc.collect()
    gc.freeze()
    gc.enable()


def run_kiosk(args: argparse.Namespace) -> int:
    # The keyring is set up by the kiosk itself, after its first picture is on screen.
    return run_with_config(prepare(args, with_keyring=False), windowed=args.windowed)


def run_with_config(config: Config, *, windowed: bool) -> int:
    """Open the kiosk window and serve residents until the technician exit."""
    if windowed:
        config = config._replace(kiosk=config.kiosk._replace(fullscreen=False))
    if not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 1

    from PySide6.QtCore import QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from kiosk.pyside_sources import answer_from_file_bytes

    answer_from_file_bytes()  # before the kiosk's own modules: about 10 MiB less
    from kiosk.logging_setup import install_exception_hooks, route_qt_messages
    from wiring.app import KioskApp

    install_exception_hooks()
    previous_qt_handler = route_qt_messages()
    qt_app = QApplication(sys.argv[:1])
    stop_on_signals(qt_app)  # before READY=1: from then on systemd may stop us
    kiosk_app = KioskApp(config, qt_app, setup_keyring=True)
    kiosk_app.show()  # paints, sends READY=1, and queues complete_setup()

    def finish_startup() -> None:
        try:
            kiosk_app.complete_setup()  # already done by show()'s timer: a no-op then
        finally:
            settle_after_startup()  # whatever happened, the collector works again

    QTimer.singleShot(0, finish_startup)
    code = qt_app.exec()
    kiosk_app.shutdown()
    qt_app.shutdown()
    qInstallMessageHandler(previous_qt_handler)  # nothing calls into Python after this
    return code
