"""``kiosk audit verify [--expect-head SEQ:HASH] | export --since YYYY-MM-DD [--out FILE]``.

``verify`` walks the whole chain with the terminal's audit key: exit 0 when intact, 1 when
an entry is missing, moved, changed or unsigned (the first one is printed), 3 when the
journal or its key cannot be read (a missing key is named, never made). ``--expect-head``
is the head the back office saw (``kiosk-receiver heads``): the journal must still hold
that entry, or it was rolled back. ``export`` writes CSV for the data-protection officer
(stdout by default, or a new file: an existing one is a usage error, exit 2, never
overwritten) and warns on stderr when the chain is broken. Neither creates a
file, a folder or a key.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import TextIO

from kiosk import exit_codes
from kiosk.audit.head import JournalHead
from kiosk.audit.journal import AUDIT_FILE, Journal, VerifyResult
from kiosk.audit.terminal import open_terminal_journal
from kiosk.secrets import SecretsError
from wiring.commands.common import prepare


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-01-31") from None


def _head(text: str) -> JournalHead:
    try:
        return JournalHead.parse(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("audit", help="verify or export the mediator journal")
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check the whole hash chain; exit 1 if broken")
    verify.add_argument("--expect-head", type=_head, metavar="SEQ:HASH",
                        help="the journal head the back office saw (kiosk-receiver heads): "
                             "exit 1 if the journal no longer holds it (rolled back)")
    export = actions.add_parser("export", help="CSV of the entries since a date")
    export.add_argument("--since", type=_date, required=True, metavar="YYYY-MM-DD",
                        help="first day to export (terminal's local date)")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")
    parser.set_defaults(handler=run_audit_command)


def run_audit_command(args: argparse.Namespace) -> int:
    config = prepare(args, read_only=True)
    path = config.data_path() / AUDIT_FILE
    if not path.exists():
        print(f"kiosk audit: no journal at {path} yet", file=sys.stderr)
        return exit_codes.DATA
    try:
        with open_terminal_journal(config.data_path()) as journal:
            if args.audit_action == "verify":
                return _verify(journal, args.expect_head)
            return _export(journal, args.since, args.out)
    except _OutputError as error:
        print(f"kiosk audit export: {error}", file=sys.stderr)
        return exit_codes.USAGE
    except (sqlite3.Error, OSError, SecretsError) as error:
        print(f"kiosk audit: {path}: {error}", file=sys.stderr)
        return exit_codes.DATA


class _OutputError(Exception):
    """The file named by ``--out`` cannot be made; the message says why."""


def _new_file(out: Path) -> TextIO:
    """``out``, created for writing; never an existing file."""
    try:
        return out.open("x", encoding="utf-8", newline="")
    except FileExistsError:
        raise _OutputError(f"{out} exists: choose another name or remove it") from None
    except OSError as error:
        raise _OutputError(f"cannot create {out}: {error.strerror}") from None


def _report_break(journal: Journal, result: VerifyResult) -> None:
    print(f"BROKEN at entry {result.first_broken_seq}: {result.reason}", file=sys.stderr)
    print(f"{result.checked} entries before it are intact", file=sys.stderr)
    found = journal.entry(result.first_broken_seq or 0)
    if found is not None:
        print(f"stored entry: {found.summary()}", file=sys.stderr)


def _verify(journal: Journal, expect: JournalHead | None) -> int:
    result = journal.verify(expect)
    if not result.ok:
        _report_break(journal, result)
        return 1
    print(f"OK: {result.reason}")
    return 0


def _export(journal: Journal, since: dt.date, out: Path | None) -> int:
    if out is None:
        count = journal.export_csv(since, sys.stdout)
    else:
        with _new_file(out) as stream:
            count = journal.export_csv(since, stream)
        print(f"{count} entries since {since.isoformat()} written to {out}", file=sys.stderr)
    result = journal.verify()
    if not result.ok:
        print("WARNING: the journal is not intact; do not rely on this export alone",
              file=sys.stderr)
        _report_break(journal, result)
    return 0
