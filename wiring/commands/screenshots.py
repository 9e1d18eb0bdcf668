"""``kiosk screenshots --out DIR``: every screen as PNG, without a display."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import keyring

from kiosk.config import Config
from kiosk.secrets import MemoryKeyring
from wiring.commands.common import prepare


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "screenshots", help="render every screen to PNG files (no display needed)"
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument(
        "--scene",
        action="append",
        default=[],
        metavar="NAME",
        help="only the scenes whose name starts with NAME (repeatable; default: all, which "
        "takes minutes: every scene in every language, text size and theme)",
    )
    parser.set_defaults(handler=take_screenshots)


def take_screenshots(args: argparse.Namespace) -> int:
    config = prepare(args, with_keyring=False)  # throwaway keys only, see below
    with tempfile.TemporaryDirectory(prefix="kiosk-screenshots-") as scratch:
        # The walk through the démarches sends sample requests: they go to a throwaway
        # queue with no back office and throwaway keys, never to the terminal's own.
        keyring.set_keyring(MemoryKeyring())
        config = config._replace(
            kiosk=config.kiosk._replace(fullscreen=False, watchdog=False, data_dir=scratch),
            backoffice=config.backoffice._replace(kind="none"),
            security=config.security._replace(deployed=False),  # so the kiosk makes them
            # Silent: the touch-and-confirm scenes turn audio mode on, as a resident does.
            speech=config.speech._replace(enabled=False),
        )
        return _render(config, args.out, tuple(args.scene))


def _render(config: Config, out: Path, wanted: tuple[str, ...]) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the configured window size, not the screen

    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from kiosk.logging_setup import route_qt_messages
    from wiring.app import KioskApp
    from wiring.screenshots import all_scenes, render_all

    previous_qt_handler = route_qt_messages()
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    kiosk_app = KioskApp(config, qt_app)
    kiosk_app.show()
    kiosk_app.complete_setup()
    scenes = all_scenes(kiosk_app)
    unknown = [name for name in wanted if not any(s.name.startswith(name) for s in scenes)]
    code = 0
    if unknown:
        names = " ".join(scene.name for scene in scenes)
        print(f"kiosk: no scene starts with {' or '.join(unknown)}; the scenes: {names}",
              file=sys.stderr)
        code = 2
    else:
        chosen = [s for s in scenes if not wanted or s.name.startswith(wanted)]
        written = render_all(kiosk_app, out, chosen, progress=_print_progress)
        print(f"{len(written)} screenshots written to {out}")
    kiosk_app.shutdown()
    qt_app.shutdown()  # destroy Qt objects now, not in random order at exit
    qInstallMessageHandler(previous_qt_handler)
    return code


def _print_progress(done: int, total: int) -> None:
    """One stderr line every 25 shots and at the end: the full set takes minutes."""
    if done % 25 == 0 or done == total:
        print(f"kiosk screenshots: {done}/{total}", file=sys.stderr, flush=True)
