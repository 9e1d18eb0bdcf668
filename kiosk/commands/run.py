"""``kiosk`` (no sub-command): run the kiosk full screen, or ``--windowed``."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys

from kiosk.commands.common import prepare


def display_available(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Whether Qt can open a window: a display server, or a platform chosen explicitly."""
    return any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_kiosk(args: argparse.Namespace) -> int:
    config = prepare(args)
    if args.windowed:
        config = dataclasses.replace(
            config, kiosk=dataclasses.replace(config.kiosk, fullscreen=False)
        )
    if not display_available():
        print(
            "kiosk: no display is available (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "kiosk: on a terminal, start it under the cage compositor (see docs/install.md);\n"
            "kiosk: to see the screens without a display: kiosk screenshots --out DIR",
            file=sys.stderr,
        )
        return 1

    from PySide6.QtWidgets import QApplication

    from kiosk.app import KioskApp

    qt_app = QApplication(sys.argv[:1])
    qt_app.setQuitOnLastWindowClosed(True)
    kiosk_app = KioskApp(config, qt_app)
    kiosk_app.show()
    return qt_app.exec()
