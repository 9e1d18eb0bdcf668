"""``kiosk queue status|list|retry ID|purge-delivered|resume``: the offline queue for
technicians. Plain text, never a payload: ids, references, démarche kinds, states, times.

No action creates the queue or its key: without a queue file there is nothing to show or
change, and a missing key is an error naming ``kiosk enroll``, never a new key.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk import exit_codes
from kiosk.config import Config
from kiosk.queue_file import open_queue, queue_path
from kiosk.queue_report import describe_clock_error, describe_pause, duration, when
from kiosk.secrets import TERMINAL_SECRET, MissingSecretError, SecretsError, get_key
from offline_queue.errors import NotRetryable, QueueError, UnknownItem
from offline_queue.store import QueueStatus, QueueStore, State
from wiring.commands.common import prepare


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("queue", help="inspect and repair the offline queue")
    actions = parser.add_subparsers(dest="queue_action", metavar="ACTION", required=True)
    actions.add_parser("status", help="counts per state, ages, last success and error")
    listing = actions.add_parser("list", help="the items (never their content)")
    listing.add_argument(
        "--state", choices=[s.value for s in State], help="only the items in this state"
    )
    retry = actions.add_parser("retry", help="send a dead or waiting item again now")
    retry.add_argument("item_id", metavar="ID", help="the item's id (see `kiosk queue list`)")
    actions.add_parser("purge-delivered", help="remove the tombstones of delivered items")
    actions.add_parser(
        "resume", help="lift a pause after the credentials or the back-office URL were fixed"
    )
    parser.set_defaults(handler=run_queue_command)


def run_queue_command(args: argparse.Namespace) -> int:
    config = prepare(args, read_only=True)  # retry, purge, resume change an existing queue
    action: Callable[[QueueStore, argparse.Namespace], int] = _ACTIONS[args.queue_action]
    if not queue_path(config).exists():
        print(f"no queue yet at {queue_path(config)}: the kiosk makes it with its first request")
        return 0 if args.queue_action in ("status", "list") else 1
    try:
        with open_queue(config) as store:
            code = action(store, args)
            if args.queue_action == "resume":
                code = check_access(config, store.status())
            return code
    except SecretsError as error:
        print(f"kiosk queue: {error}", file=sys.stderr)
        return exit_codes.DATA
    except (UnknownItem, NotRetryable) as error:
        print(f"kiosk queue: {error}", file=sys.stderr)
        return exit_codes.PROBLEM
    except QueueError as error:
        print(f"kiosk queue: {queue_path(config)}: {error}", file=sys.stderr)
        return exit_codes.DATA


# ---------------------------------------------------------------- actions


def format_status(status: QueueStatus, path: Path, retention_seconds: float) -> str:
    """The status as a technician reads it."""
    lines = [f"queue: {path}"]
    lines.append("deliveries: " + (describe_pause(status) if status.paused else "active"))
    clock = describe_clock_error(status)
    if clock:
        lines.append(f"clock: WRONG: {clock}")
    lines += [f"{state.value}: {status.counts[state]}" for state in State]
    age = status.oldest_pending_age
    lines.append("oldest waiting: " + ("-" if age is None else duration(age)))
    lines.append(f"last success: {when(status.last_success_at)}")
    if status.last_error:
        lines.append(f"last error: {status.last_error} ({when(status.last_error_at)})")
    else:
        lines.append("last error: -")
    retention = f"retention: {duration(retention_seconds)}"
    if status.expiring_soon:
        retention += (f"; WARNING {status.expiring_soon} undelivered item(s) will be erased,"
                      f" the first on {when(status.next_expiry_at)}")
    lines.append(retention)
    return "\n".join(lines)


def _status(store: QueueStore, args: argparse.Namespace) -> int:
    print(format_status(store.status(), store.path, store.retention_seconds))
    return 0


def _list(store: QueueStore, args: argparse.Namespace) -> int:
    items = store.items(State(args.state) if args.state else None)
    header = ("id", "reference", "kind", "state", "tries", "created", "next attempt",
              "back-office ref", "last error")
    rows = [
        (i.id, i.reference, i.kind, i.state.value, str(i.attempts), when(i.created_at),
         when(i.next_attempt_at), i.remote_reference or "-", i.last_error or "-")
        for i in items
    ]
    widths = [max(len(r[n]) for r in [header, *rows]) for n in range(len(header) - 1)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1])
    print(f"{len(rows)} item(s)")
    return 0


def _retry(store: QueueStore, args: argparse.Namespace) -> int:
    store.retry(args.item_id)
    print(f"{args.item_id}: pending again; the kiosk sends it at its next sync")
    return 0


def _purge_delivered(store: QueueStore, args: argparse.Namespace) -> int:
    print(f"{store.purge_delivered()} delivered item(s) removed")
    return 0


def _resume(store: QueueStore, args: argparse.Namespace) -> int:
    print("deliveries resumed" if store.resume() else "deliveries were not paused")
    return 0


def check_access(config: Config, status: QueueStatus) -> int:
    """After a resume: one signed heartbeat says whether the back office accepts the
    terminal's credentials now. The pause stays lifted either way (the kiosk pauses again
    at its next refusal); exit 1 when the back office still refuses, or nothing can be sent."""
    office = config.backoffice
    if office.kind != "http":
        print(f"credentials not checked: [backoffice] kind = {office.kind!r} has no heartbeat")
        return exit_codes.OK
    try:
        secret = get_key(TERMINAL_SECRET)
    except MissingSecretError as error:
        print(f"resumed, but nothing can be sent: {error}", file=sys.stderr)
        return exit_codes.PROBLEM
    # requests: for resume only
    from kiosk.connectors.http_api import HttpApiConnector, TerminalState

    connector = HttpApiConnector(office.url, office.terminal_id, secret,
                                 timeout=office.timeout_seconds)
    try:
        answer = connector.check_access(
            {s.value: n for s, n in status.counts.items()}, TerminalState.of(status)
        )
    finally:
        connector.close()
    if answer.accepted:
        print(f"the back office accepts the credentials ({answer.reason})")
        return exit_codes.OK
    if answer.accepted is False:
        print(f"resumed, but the back office still refuses the credentials: {answer.reason}; "
              "check `kiosk enroll --fingerprint` against `kiosk-receiver terminal list` "
              "(or the back office's list of terminals)", file=sys.stderr)
        return exit_codes.PROBLEM
    print(f"credentials not checked: the back office did not say ({answer.reason}); the "
          "kiosk tries again at its next sync")
    return exit_codes.OK


_ACTIONS: dict[str, Callable[[QueueStore, argparse.Namespace], int]] = {
    "status": _status,
    "list": _list,
    "retry": _retry,
    "purge-delivered": _purge_delivered,
    "resume": _resume,
}
