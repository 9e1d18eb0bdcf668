"""``kiosk screenshots --out DIR``: every screen as PNG, without a display."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

import keyring

from kiosk.commands.common import prepare
from kiosk.config import Config
from kiosk.secrets import MemoryKeyring


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "screenshots", help="render every screen to PNG files (no display needed)"
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.set_defaults(handler=take_screenshots)


def take_screenshots(args: argparse.Namespace) -> int:
    config = prepare(args)
    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as scratch:
        # The walk through the démarches sends sample requests: they go to a throwaway
        # queue with no back office and throwaway keys, never to the terminal's own.
        keyring.set_keyring(MemoryKeyring())
        config = dataclasses.replace(
            config,
            kiosk=dataclasses.replace(
                config.kiosk, fullscreen=False, watchdog=False, data_dir=scratch
            ),
            backoffice=dataclasses.replace(config.backoffice, kind="none"),
        )
        return _render(config, args.out)


def _render(config: Config, out: Path) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the configured window size, not the screen

    from PySide6.QtWidgets import QApplication

    from kiosk.app import KioskApp
    from kiosk.screenshots import render_all

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    kiosk_app = KioskApp(config, qt_app)
    kiosk_app.show()
    kiosk_app.complete_setup()
    written = render_all(kiosk_app, out)
    print(f"{len(written)} screenshots written to {out}")
    kiosk_app.shutdown()
    qt_app.shutdown()  # destroy Qt objects now, not in random order at exit
    return 0
