"""``kiosk doctor [--json]``: check the machine around the kiosk, one line per check.

Each line reads ``OK|WARN|FAIL  <check>: <detail>``; the exit code is 1 when any check
FAILs, else 0. With ``--json``, one JSON object per line and per check, for fleet tools:
``name``, ``level``, ``message`` and ``what_to_do`` (the detail's remedy, split off at its
first ``; `` outside parentheses; empty when there is none). The checks themselves are in
``kiosk.doctor``.
"""

from __future__ import annotations

import argparse
import json

from kiosk import exit_codes
from kiosk.config import ConfigError
from kiosk.doctor import CheckResult, Level, run_checks
from kiosk.logging_setup import setup_logging
from wiring.commands.common import config_from_args

NEEDS_CONFIG = "the other checks need a valid configuration"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "doctor", help="check display, fonts, voices, audio, keyring, PIN, storage"
    )
    parser.add_argument(
        "--json", action="store_true",
        help="one JSON object per check (name, level, message, what_to_do), for fleet tools",
    )
    parser.set_defaults(handler=run_doctor)


def split_remedy(detail: str) -> tuple[str, str]:
    """``(finding, what to do)``: ``detail`` cut at its first ``"; "`` outside parentheses."""
    depth = 0
    for index, char in enumerate(detail):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and detail.startswith("; ", index):
            return detail[:index], detail[index + 2:]
    return detail, ""


def as_json(result: CheckResult, what_to_do: str = "") -> str:
    """The check as one JSON object; ``what_to_do`` replaces the remedy split off."""
    message, remedy = split_remedy(result.detail)
    return json.dumps({"name": result.name, "level": result.level.value, "message": message,
                       "what_to_do": what_to_do or remedy}, ensure_ascii=False)


def run_doctor(args: argparse.Namespace) -> int:
    # Not common.prepare(): a wrong configuration or an unusable keyring is a finding to
    # report as a FAIL line, not a reason to stop before checking anything.
    try:
        config = config_from_args(args)
    except ConfigError as error:
        result = CheckResult(Level.FAIL, "config", str(error))
        if args.json:
            print(as_json(result, what_to_do=f"fix the file; {NEEDS_CONFIG}"))
        else:
            print(result.line())
            print(f"      ({NEEDS_CONFIG})")
        return exit_codes.PROBLEM
    setup_logging("WARNING")  # the report is the output; INFO logs would interleave with it
    results = run_checks(config)
    for result in results:
        print(as_json(result) if args.json else result.line(), flush=True)
    failed = sum(result.level is Level.FAIL for result in results)
    warned = sum(result.level is Level.WARN for result in results)
    if not args.json:
        print(f"{len(results)} checks: {failed} FAIL, {warned} WARN")
    return exit_codes.PROBLEM if failed else exit_codes.OK
