"""``kiosk-receiver``: run the reference back office, enrol its terminals, list what arrived.

    kiosk-receiver terminal add admiville-01 --terminals terminals.txt [--secret-file F]
    kiosk-receiver terminal list --terminals terminals.txt
    kiosk-receiver terminal remove admiville-01 --terminals terminals.txt
    kiosk-receiver serve --db received.sqlite3 --terminals terminals.txt [--port 8765]
    kiosk-receiver list --db received.sqlite3
    kiosk-receiver heads --db received.sqlite3      # each terminal's highest journal head
    kiosk-receiver heartbeats --db received.sqlite3 [--json]  # each terminal's last one
    kiosk-receiver status set ADM-7K3-Q9P in_progress --service Voirie --db received.sqlite3
    kiosk-receiver staff add --role admin NAME --db received.sqlite3  # console accounts
    kiosk-receiver staff list --db received.sqlite3
    kiosk-receiver staff unlock NAME --db received.sqlite3
    kiosk-receiver serve --database postgresql://kiosk@db.example/kiosk ...  # a fleet

``--db`` and ``--database`` are one option: a SQLite file path or a ``postgresql://`` URL;
without it, ``$KIOSK_RECEIVER_DATABASE``. A database that cannot be used stops the
command at once with a message naming the problem: exit 2 for a location that cannot be
right (an unknown scheme, a bad option), 3 for a server or file that refuses (unreachable,
wrong password, no such database).

Each terminal has its own secret (kiosk.receiver.terminals); a request signed by a
terminal that is not enrolled is refused with ``unknown_terminal``. ``terminal add``
makes a secret and prints it once, or takes the terminal's own from ``--secret-file``
(``-``: standard input), never from the command line. Once listening, ``serve`` prints
``receiver ready on http://HOST:PORT`` on standard output (the real port with --port 0).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import getpass
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from secrets import token_bytes
from typing import TYPE_CHECKING

import uvicorn

from kiosk.connectors.signing import (
    DEFAULT_MAX_SKEW,
    decode_secret,
    fingerprint,
    valid_terminal_id,
)
from kiosk.domain.reference import normalise_reference
from kiosk.domain.request_status import MAX_SERVICE_NAME
from kiosk.exit_codes import DATA, INTERRUPTED, USAGE, exit_quietly_on_broken_pipe, in_words
from kiosk.paths import asset
from kiosk.receiver.app import ReceiverSettings, create_app
from kiosk.receiver.console.accounts import (
    AccountError,
    Role,
    check_name,
    check_password,
    create_account,
    unlock_account,
)
from kiosk.receiver.console.store import ConsoleStore
from kiosk.receiver.constants import DATABASE_ENV, DEFAULT_PORT, READY_PREFIX
from kiosk.receiver.database import DatabaseError, is_url
from kiosk.receiver.faults import FaultPlan
from kiosk.receiver.storage import STATUSES, Heartbeat
from kiosk.receiver.terminals import (
    TerminalRegistry,
    TerminalsFileError,
    load_terminals,
    save_terminals,
)

if TYPE_CHECKING:
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

NEW_SECRET_BYTES = 32
TERMINALS_HELP = "file of the terminals and their secrets (kiosk-receiver terminal add)"
DATABASE_HELP = (
    f"the receiver's database: a SQLite file, or postgresql://USER@HOST/NAME for a fleet"
    f" (default: ${DATABASE_ENV})"
)


class UsageError(Exception):
    """A command-line value cannot be used; the message says why."""


class DataError(Exception):
    """The database is well named but cannot be reached or read; the message says why."""


def _add_database(parser: argparse.ArgumentParser) -> None:
    """``--db``/``--database``: a path or URL, else ``$KIOSK_RECEIVER_DATABASE``."""
    parser.add_argument("--db", "--database", dest="db", metavar="DATABASE",
                        default=os.environ.get(DATABASE_ENV) or None, help=DATABASE_HELP)


def _database_of(args: argparse.Namespace) -> str:
    if not args.db:
        raise UsageError(f"no database: give --db FILE, --database URL or set ${DATABASE_ENV}")
    return str(args.db)


def _opened(location: str, *, must_exist: bool = True) -> ConsoleStore:
    """The receiver's database with the console's tables, or the problem in words
    (``UsageError`` for a location that cannot be right, ``DataError`` for a server or
    file that refuses)."""
    if must_exist and not is_url(location) and not Path(location).exists():
        raise UsageError(f"no such database: {location}")
    try:
        return ConsoleStore(location)
    except DatabaseError as problem:
        raise (DataError if problem.unreachable else UsageError)(str(problem)) from None


def parse_secret(text: str) -> bytes:
    """A secret written in hex or base64, or ``UsageError``."""
    try:
        return decode_secret(text)
    except ValueError as problem:
        raise UsageError(str(problem)) from None


def _read_secret(source: str) -> bytes:
    """The secret in the file ``source`` (``-``: standard input)."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as problem:
        raise UsageError(f"cannot read the secret from {source}: {in_words(problem)}") from None
    return parse_secret(text)


def _terminals_of(path: Path, *, missing_ok: bool = False) -> dict[str, bytes]:
    if missing_ok and not path.exists():
        return {}
    try:
        return load_terminals(path)
    except TerminalsFileError as problem:
        raise UsageError(str(problem)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk-receiver", description="Reference back office of the Borne citoyenne."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="receive submissions over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="0: any free port")
    _add_database(serve)
    serve.add_argument("--terminals", type=Path, required=True, help=TERMINALS_HELP)
    catalog = serve.add_mutually_exclusive_group()
    catalog.add_argument("--catalog", type=Path, help="catalog JSON served on /v1/catalog")
    catalog.add_argument("--no-catalog", action="store_true", help="serve no catalog (404)")
    serve.add_argument("--max-skew", type=float, default=DEFAULT_MAX_SKEW, help="seconds")
    serve.add_argument(
        "--fault-plan", default="", help="e.g. 500,429,401,422,hang,reset,lost (see faults.py)"
    )
    serve.add_argument("--fault-loop", action="store_true", help="play the plan again and again")
    serve.add_argument("--hang-seconds", type=float, default=30.0)
    serve.add_argument("--retry-after", type=int, default=1, help="seconds, for 429/503 faults")
    serve.add_argument(
        "--processing-delay", type=float, default=0.0, help="seconds a submission is in progress"
    )
    serve.add_argument("--log-level", default="warning", choices=["debug", "info", "warning"])
    serve.set_defaults(handler=_serve)

    _add_terminal_commands(commands)

    listing = commands.add_parser("list", help="list the submissions received")
    _add_database(listing)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(handler=_list)

    heads = commands.add_parser(
        "heads", help="each terminal's highest journal head (for kiosk audit verify --expect-head)"
    )
    _add_database(heads)
    heads.set_defaults(handler=_heads)

    beats = commands.add_parser(
        "heartbeats", help="each terminal's last heartbeat: when, its version, its queue"
    )
    _add_database(beats)
    beats.add_argument("--json", action="store_true", help="one JSON object per line")
    beats.set_defaults(handler=_heartbeats)
    status = commands.add_parser("status", help="say where a request is (what residents see)")
    status_actions = status.add_subparsers(dest="action", required=True, metavar="ACTION")
    status_set = status_actions.add_parser("set", help="set the status of a request")
    status_set.add_argument("reference", metavar="REFERENCE", help="e.g. ADM-7K3-Q9P")
    status_set.add_argument("status", metavar="STATUS", choices=STATUSES,
                            help=" | ".join(STATUSES))
    status_set.add_argument("--service", help="the service in charge, as residents know it")
    _add_database(status_set)
    status_set.set_defaults(handler=_status_set)
    _add_staff_commands(commands)
    return parser


def _save(path: Path, terminals: dict[str, bytes]) -> None:
    try:
        save_terminals(path, terminals)
    except OSError as problem:
        raise UsageError(f"cannot write {path}: {in_words(problem)}") from None


def _action(
    actions: SubParsers, name: str, help_text: str, handler: Callable[[argparse.Namespace], int],
    argument: tuple[str, str] | None = None,
) -> argparse.ArgumentParser:
    """A sub-command running ``handler``, with one positional ``(dest, METAVAR)`` if given."""
    parser = actions.add_parser(name, help=help_text)
    if argument is not None:
        parser.add_argument(argument[0], metavar=argument[1])
    parser.set_defaults(handler=handler)
    return parser


def _add_terminal_commands(commands: SubParsers) -> None:
    terminal = commands.add_parser("terminal", help="enrol, list or remove terminals")
    actions = terminal.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="enrol a terminal; prints its fingerprint")
    add.add_argument("terminal_id", metavar="TERMINAL-ID")
    add.add_argument(
        "--secret-file", help="the terminal's secret (hex or base64; -: standard input); "
        "without it a new secret is made and printed once"
    )
    add.add_argument("--replace", action="store_true", help="replace an enrolled terminal")
    add.set_defaults(handler=_terminal_add)
    listing = _action(actions, "list", "the enrolled terminals and their fingerprints",
                      _terminal_list)
    remove = _action(actions, "remove", "refuse a terminal from now on", _terminal_remove,
                     ("terminal_id", "TERMINAL-ID"))
    for action in (add, listing, remove):
        action.add_argument("--terminals", type=Path, required=True, help=TERMINALS_HELP)


def _terminal_add(args: argparse.Namespace) -> int:
    if not valid_terminal_id(args.terminal_id):
        raise UsageError("a terminal id is 1-64 letters, digits, '.', '_' or '-'")
    terminals = _terminals_of(args.terminals, missing_ok=True)
    if args.terminal_id in terminals and not args.replace:
        raise UsageError(f"terminal {args.terminal_id} is already enrolled (--replace)")
    made = args.secret_file is None
    secret = token_bytes(NEW_SECRET_BYTES) if made else _read_secret(args.secret_file)
    terminals[args.terminal_id] = secret
    _save(args.terminals, terminals)
    if made:
        print(base64.b64encode(secret).decode("ascii"))
        print("the secret above (base64) is shown once: enrol it on the terminal with "
              "`kiosk enroll terminal-secret --from-file FILE`", file=sys.stderr)
    print(f"{args.terminal_id} {fingerprint(secret)}", file=sys.stderr if made else sys.stdout)
    return 0


def _terminal_list(args: argparse.Namespace) -> int:
    for terminal_id, secret in sorted(_terminals_of(args.terminals).items()):
        print(f"{terminal_id} {fingerprint(secret)}")
    return 0


def _terminal_remove(args: argparse.Namespace) -> int:
    terminals = _terminals_of(args.terminals)
    if terminals.pop(args.terminal_id, None) is None:
        raise UsageError(f"terminal {args.terminal_id} is not enrolled")
    _save(args.terminals, terminals)
    return 0


def _serve(args: argparse.Namespace) -> int:
    try:
        terminals = TerminalRegistry(args.terminals)
    except TerminalsFileError as problem:
        raise UsageError(str(problem)) from None
    try:
        faults = FaultPlan.parse(args.fault_plan, loop=args.fault_loop)
    except ValueError as problem:
        raise UsageError(str(problem)) from None
    catalog = None if args.no_catalog else (args.catalog or asset("catalog", "admiville.json"))
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not len(terminals):
        logging.getLogger("kiosk.receiver").warning(
            "no terminal enrolled in %s: every signed request is refused (unknown_terminal) "
            "until `kiosk-receiver terminal add` enrols one", args.terminals
        )
    location = _database_of(args)
    store = _opened(location, must_exist=False)
    settings = ReceiverSettings(
        db=location,
        secret_for=terminals.secret_for,
        catalog=catalog,
        max_skew=args.max_skew,
        faults=faults,
        hang_seconds=args.hang_seconds,
        retry_after_seconds=args.retry_after,
        processing_delay=args.processing_delay,
    )
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say they are TCP;
    # without it every answer on a kept-alive connection waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as problem:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {in_words(problem)}"
                         ) from None
    sock.listen(128)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if family == socket.AF_INET6 else args.host
    config = uvicorn.Config(
        create_app(settings, store),
        log_level=args.log_level,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)

    async def serve() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started:
            print(f"{READY_PREFIX}http://{host}:{port}", flush=True)
        await task

    asyncio.run(serve())
    return 0


@contextmanager
def _received(args: argparse.Namespace, *, must_exist: bool = True) -> Iterator[ConsoleStore]:
    """The receiver's database; a SQLite file must exist (reading never creates it),
    unless a first staff account creates it."""
    store = _opened(_database_of(args), must_exist=must_exist)
    try:
        yield store
    finally:
        store.close()


def _when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))


def _show(rows: Sequence[tuple[dict[str, object], str]], as_json: bool, total: str) -> None:
    """Each row as one JSON object per line, or as its line of text and ``total`` on stderr."""
    for record, line in rows:
        print(json.dumps(record, ensure_ascii=False) if as_json else line)
    if not as_json:
        print(total, file=sys.stderr)


def _list(args: argparse.Namespace) -> int:
    with _received(args) as store:
        received = store.submissions()
    _show([({"id": item.remote_id, "idempotency_key": item.idempotency_key,
              "terminal_id": item.terminal_id, "reference": item.reference,
              "received_at": item.received_at, "payload": json.loads(item.payload)},
             f"{item.remote_id}  {_when(item.received_at)}  {item.terminal_id}  "
             f"{item.reference or '-'}  {item.idempotency_key}")
            for item in received], args.json, f"{len(received)} submission(s)")
    return 0


def _heads(args: argparse.Namespace) -> int:
    """One line per terminal: id, SEQ:HASH (as ``kiosk audit verify --expect-head`` takes
    it), and when it was seen."""
    with _received(args) as store:
        for seen in store.journal_heads():
            print(f"{seen.terminal_id}  {seen.head}  {_when(seen.seen_at)}")
    return 0


def _heartbeats(args: argparse.Namespace) -> int:
    """One line per terminal: id, last seen, version, heartbeats counted, queue counts,
    and PAUSED (with its cause) while its queue is paused."""
    with _received(args) as store:
        beats = store.heartbeats()
    _show([({"terminal_id": beat.terminal_id, "last_seen": beat.received_at,
              "version": beat.version, "beats": beat.beats, "queue": beat.queue,
              "catalog_version": beat.catalog_version, "paused": beat.paused,
              "pause_cause": beat.pause_cause},
             f"{beat.terminal_id}  {_when(beat.received_at)}  {beat.version}  "
             f"{beat.beats} beat(s)  {_counts(beat.queue)}{_pause(beat)}")
            for beat in beats], args.json, f"{len(beats)} terminal(s)")
    return 0


def _pause(beat: Heartbeat) -> str:
    if not beat.paused:
        return ""
    return f"  PAUSED ({beat.pause_cause})" if beat.pause_cause else "  PAUSED"


def _counts(queue: dict[str, int]) -> str:
    return " ".join(f"{state}={count}" for state, count in sorted(queue.items())) or "-"


def _status_set(args: argparse.Namespace) -> int:
    """Set a request's status; the reference may be typed as a resident would."""
    reference = normalise_reference(args.reference)
    if reference is None:
        raise UsageError(f"{args.reference!r} is not a reference (written like ADM-7K3-Q9P)")
    service = args.service.strip() if args.service is not None else None
    if service is not None and not (0 < len(service) <= MAX_SERVICE_NAME
                                    and service.isprintable()):
        raise UsageError(f"--service: 1-{MAX_SERVICE_NAME} printable characters")
    with _received(args) as store:
        try:
            record = store.set_status(reference, args.status, service)
        except LookupError:  # the command ran; its answer is a problem (exit code 1)
            print(f"kiosk-receiver: no request with the reference {reference} arrived here",
                  file=sys.stderr)
            return 1
    print(f"{record.reference} {record.status}" + (f" ({record.service})" if service else ""))
    return 0


def _add_staff_commands(commands: SubParsers) -> None:
    staff = commands.add_parser("staff", help="accounts of the commune console")
    actions = staff.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add", help="create an account; the password is asked twice (or read from stdin)"
    )
    add.add_argument("name", metavar="NAME", help="login name: lowercase letters, digits, ._-")
    add.add_argument("--role", required=True, choices=[role.value for role in Role],
                     help="agent: terminals and requests; admin: everything; dpo: journal")
    add.set_defaults(handler=_staff_add)
    listing = _action(actions, "list", "the accounts, their roles, locked or not", _staff_list)
    unlock = _action(actions, "unlock", "clear an account's lockout after failures",
                     _staff_unlock, ("name", "NAME"))
    for action in (add, listing, unlock):
        _add_database(action)


def _new_password() -> str:
    """The new account's password: typed twice at a terminal, else the first line of
    standard input (for scripts); never from the command line."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise UsageError("the two passwords differ; nothing was created")
    return first


def _staff_add(args: argparse.Namespace) -> int:
    try:
        check_name(args.name)
        password = check_password(_new_password())
        with _received(args, must_exist=False) as store:
            create_account(store, args.name, Role(args.role), password)
    except AccountError as problem:
        raise UsageError(str(problem)) from None
    print(f"{args.name} ({args.role}) can now log in to the console at /console/")
    return 0


def _staff_list(args: argparse.Namespace) -> int:
    now = time.time()
    with _received(args) as store:
        for account in store.all_staff():
            locked = "  locked" if account.locked_until > now else ""
            print(f"{account.name}  {account.role}{locked}")
    return 0


def _staff_unlock(args: argparse.Namespace) -> int:
    with _received(args) as store:
        try:
            unlock_account(store, args.name, "kiosk-receiver")
        except LookupError:
            raise UsageError(f"no account called {args.name}") from None
    print(f"{args.name} unlocked")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``kiosk-receiver``."""
    args = build_parser().parse_args(argv)
    try:
        return exit_quietly_on_broken_pipe(lambda: int(args.handler(args)))
    except UsageError as problem:
        print(f"kiosk-receiver: {problem}", file=sys.stderr)
        return USAGE
    except DataError as problem:
        print(f"kiosk-receiver: {problem}", file=sys.stderr)
        return DATA
    except KeyboardInterrupt:
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
