"""``kiosk screenshots --out DIR``: every screen as PNG, without a display."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

from kiosk.commands.common import prepare


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "screenshots", help="render every screen to PNG files (no display needed)"
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.set_defaults(handler=take_screenshots)


def take_screenshots(args: argparse.Namespace) -> int:
    config = prepare(args)
    # Screenshots are for a window of the configured size, never the live screen.
    config = dataclasses.replace(
        config, kiosk=dataclasses.replace(config.kiosk, fullscreen=False, watchdog=False)
    )
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from PySide6.QtWidgets import QApplication

    from kiosk.app import KioskApp
    from kiosk.screenshots import render_all

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    kiosk_app = KioskApp(config, qt_app)
    kiosk_app.show()
    written = render_all(kiosk_app, args.out)
    print(f"{len(written)} screenshots written to {args.out}")
    kiosk_app.shutdown()
    qt_app.shutdown()  # destroy Qt objects now, not in random order at exit
    return 0
