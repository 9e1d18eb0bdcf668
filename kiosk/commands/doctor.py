"""``kiosk doctor``: check the machine around the kiosk, one line per check.

Each line reads ``OK|WARN|FAIL  <check>: <detail>``; the exit code is 1 when any check
FAILs, else 0. The checks themselves are in ``kiosk.doctor``.
"""

from __future__ import annotations

import argparse

from kiosk.commands.common import config_from_args
from kiosk.config import ConfigError
from kiosk.doctor import CheckResult, Level, run_checks
from kiosk.logging_setup import setup_logging


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor", help="check display, fonts, voices, audio, keyring, PIN, storage"
    )
    parser.set_defaults(handler=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    # Not common.prepare(): a wrong configuration or an unusable keyring is a finding to
    # report as a FAIL line, not a reason to stop before checking anything.
    try:
        config = config_from_args(args)
    except ConfigError as error:
        print(CheckResult(Level.FAIL, "config", str(error)).line())
        print("      (the other checks need a valid configuration)")
        return 1
    setup_logging("WARNING")  # the report is the output; INFO logs would interleave with it
    results = run_checks(config)
    for result in results:
        print(result.line(), flush=True)
    failed = sum(result.level is Level.FAIL for result in results)
    warned = sum(result.level is Level.WARN for result in results)
    print(f"{len(results)} checks: {failed} FAIL, {warned} WARN")
    return 1 if failed else 0
