"""The ``kiosk`` command: runs the kiosk, and serves technicians with sub-commands.

Each sub-command lives in its own module under ``wiring.commands`` and exposes
``register(subparsers)``; adding one is one line in ``COMMAND_MODULES`` (its name, and the
module). Only the module of the command asked for is imported: the kiosk itself starts
without loading the technicians' tools (start-up time is a feature, see bench/startup.py).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.exit_codes import INTERRUPTED, exit_quietly_on_broken_pipe

COMMAND_MODULES: dict[str, str] = {
    "audit": "wiring.commands.audit",
    "catalog": "wiring.commands.catalog",
    "doctor": "wiring.commands.doctor",
    "enroll": "wiring.commands.enroll",
    "mediator": "wiring.commands.mediator",
    "queue": "wiring.commands.queue",
    "screenshots": "wiring.commands.screenshots",
}
_HELP = {"-h", "--help"}


def _wanted(argv: Sequence[str]) -> list[str]:
    """The command modules this command line needs: the one named, or all for help."""
    named = [COMMAND_MODULES[word] for word in argv if word in COMMAND_MODULES][:1]
    if named:
        return named
    return list(COMMAND_MODULES.values()) if _HELP & set(argv) else []


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the sub-command it names is loaded."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Borne citoyenne: accessible kiosk for administrative procedures.",
    )
    _add_global_options(parser, default=None)
    parser.add_argument(
        "--windowed", action="store_true", help="run in a normal window (development)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = COMMAND_MODULES.values() if argv is None else _wanted(argv)
    for name in modules:
        importlib.import_module(name).register(subparsers)
    for command_parser in _command_parsers(parser):
        _add_global_options(command_parser, default=argparse.SUPPRESS)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--config and --verbose, accepted before the command and after it.

    On a command's own parser the default is SUPPRESS, so an option given before the
    command is not overwritten by the command parser's default.
    """
    parser.add_argument(
        "--config", type=Path, default=default, help="configuration file (TOML)"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=False if default is None else default,
        help="show routine log messages (INFO) on stderr",
    )


def _command_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every command and sub-command parser below ``parser`` (``queue``, ``queue list``…)."""
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                found.append(child)
                found.extend(_command_parsers(child))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(arguments).parse_args(arguments)
    if args.command is None:
        # No garbage collection until the welcome screen is up (run.settle_after_startup).
        gc.disable()
        try:
            from wiring.commands.run import run_kiosk

            return run_kiosk(args)
        finally:
            gc.enable()
    try:
        return exit_quietly_on_broken_pipe(lambda: int(args.handler(args)))
    except KeyboardInterrupt:
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
