"""The ``kiosk`` command: runs the kiosk, and serves technicians with sub-commands.

Each sub-command lives in its own module under ``kiosk.commands`` and exposes
``register(subparsers)``; adding one is one line in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

COMMAND_MODULES: tuple[str, ...] = (
    "kiosk.commands.doctor",
    "kiosk.commands.enroll",
    "kiosk.commands.queue",
    "kiosk.commands.screenshots",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Borne citoyenne: accessible kiosk for administrative procedures.",
    )
    parser.add_argument("--config", type=Path, help="configuration file (TOML)")
    parser.add_argument(
        "--windowed", action="store_true", help="run in a normal window (development)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from kiosk.commands.run import run_kiosk

        return run_kiosk(args)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
