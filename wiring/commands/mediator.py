"""``kiosk mediator add NAME | list | disable NAME|ID | unlock NAME|ID``: mediator accounts.

Each change is journaled with the actor ``technician``. A PIN is typed twice without echo
(or read from one line of stdin with ``--pin-stdin``), checked, hashed, and never printed.
Only ``add`` creates the accounts file (and, on a machine not ``deployed``, the journal's
key); the other actions need an existing one and create nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from collections.abc import Callable

from kiosk import exit_codes
from kiosk.audit.terminal import open_terminal_journal
from kiosk.mediator.accounts import (
    MEDIATOR_PIN_MIN_LENGTH,
    MEDIATORS_FILE,
    Mediator,
    MediatorError,
    MediatorRegistry,
)
from kiosk.secrets import AUDIT_KEY, SecretsError, first_run_keys
from wiring.commands.common import prepare
from wiring.commands.new_pin import PinsDifferError, read_new_pin

Action = Callable[[MediatorRegistry, argparse.Namespace], int]
NO_ACCOUNT = "no mediator account yet: kiosk mediator add NAME"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("mediator", help="add, list, disable mediator accounts")
    actions = parser.add_subparsers(dest="mediator_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="create an account (asks its PIN twice)")
    add.add_argument("name", metavar="NAME", help="display name shown to residents: Camille")
    add.add_argument(
        "--pin-stdin", action="store_true", help="read the PIN from one line of stdin (automation)"
    )
    actions.add_parser("list", help="every account, its state and lock")
    for name, text in (("disable", "disable an account for good"),
                       ("unlock", "lift the lock after wrong PINs")):
        action = actions.add_parser(name, help=text)
        action.add_argument("who", metavar="NAME|ID", help="display name or id (see list)")
    parser.set_defaults(handler=run_mediator_command)


def run_mediator_command(args: argparse.Namespace) -> int:
    adding = args.mediator_action == "add"
    config = prepare(args, read_only=not adding)
    action: Action = _ACTIONS[args.mediator_action]
    if not adding and not (config.data_path() / MEDIATORS_FILE).exists():
        if args.mediator_action == "list":
            print(NO_ACCOUNT)
            return 0
        print(f"kiosk mediator {args.mediator_action}: no account {args.who!r}: there is "
              "none yet (`kiosk mediator list`); nothing was changed", file=sys.stderr)
        return 1
    try:
        if adding:
            first_run_keys([AUDIT_KEY], deployed=config.security.deployed)
        with open_terminal_journal(config.data_path()) as journal, MediatorRegistry(
            config.data_path() / MEDIATORS_FILE, journal
        ) as registry:
            return action(registry, args)
    except (MediatorError, PinsDifferError) as error:
        print(f"kiosk mediator {args.mediator_action}: {error}; nothing was changed",
              file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print(f"kiosk mediator {args.mediator_action}: cancelled; nothing was changed",
              file=sys.stderr)
        return 1
    except (sqlite3.Error, SecretsError) as error:
        print(f"kiosk mediator: {config.data_path()}: {error}", file=sys.stderr)
        return exit_codes.DATA


def _add(registry: MediatorRegistry, args: argparse.Namespace) -> int:
    mediator = registry.add(
        args.name, read_new_pin("mediator", MEDIATOR_PIN_MIN_LENGTH, args.pin_stdin)
    )
    print(f"added {mediator.id} {mediator.name!r}: they log in by touching their name, "
          "then typing their PIN")
    return 0


def _state(mediator: Mediator, now: float) -> str:
    if not mediator.active:
        return "disabled"
    waiting = mediator.locked_for(now)
    if waiting > 0:
        until = dt.datetime.fromtimestamp(mediator.locked_until).strftime("%Y-%m-%d %H:%M")
        return f"locked until {until}"
    if mediator.failures:
        return f"active, {mediator.failures} wrong PIN(s)"
    return "active"


def _list(registry: MediatorRegistry, args: argparse.Namespace) -> int:
    accounts = registry.accounts()
    if not accounts:
        print(NO_ACCOUNT)
        return 0
    now = dt.datetime.now().timestamp()
    print(f"{'ID':<13} {'NAME':<24} {'ROLE':<10} {'CREATED':<25} STATE")
    for mediator in accounts:
        print(f"{mediator.id:<13} {mediator.name:<24} {mediator.role.value:<10} "
              f"{mediator.created_at:<25} {_state(mediator, now)}")
    return 0


def _disable(registry: MediatorRegistry, args: argparse.Namespace) -> int:
    mediator = registry.disable(args.who)
    print(f"disabled {mediator.id} {mediator.name!r}")
    return 0


def _unlock(registry: MediatorRegistry, args: argparse.Namespace) -> int:
    mediator, changed = registry.unlock(args.who)
    if changed:
        print(f"unlocked {mediator.id} {mediator.name!r}")
    else:
        print(f"{mediator.id} {mediator.name!r} is not locked; nothing changed")
    return 0


_ACTIONS: dict[str, Action] = {"add": _add, "list": _list, "disable": _disable, "unlock": _unlock}
