"""``kiosk-receiver``: run the reference back office, or list what arrived.

    kiosk-receiver serve --db received.sqlite3 --secret-file terminal.key [--port 8765]
    kiosk-receiver list --db received.sqlite3
    kiosk-receiver heads --db received.sqlite3      # each terminal's highest journal head

The terminal secret is read from ``--secret-file`` (hex or base64), ``--secret-hex``, or
the environment variable ``KIOSK_RECEIVER_SECRET`` (hex or base64), so that it does not
have to appear on a command line that ``ps`` shows. Once listening, ``serve`` prints
``receiver ready on http://HOST:PORT`` on standard output (the real port with --port 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from kiosk.connectors.signing import DEFAULT_MAX_SKEW, decode_secret
from kiosk.paths import asset
from kiosk.receiver.app import ReceiverSettings, create_app
from kiosk.receiver.constants import DEFAULT_PORT, READY_PREFIX, SECRET_ENV
from kiosk.receiver.faults import FaultPlan
from kiosk.receiver.storage import ReceiverStore


class UsageError(Exception):
    """A command-line value cannot be used; the message says why."""


def parse_secret(text: str) -> bytes:
    """A secret written in hex or base64, or ``UsageError``."""
    try:
        return decode_secret(text)
    except ValueError as problem:
        raise UsageError(str(problem)) from None


def _secret_from(args: argparse.Namespace) -> bytes:
    if args.secret_file is not None:
        try:
            return parse_secret(Path(args.secret_file).read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError) as problem:
            raise UsageError(f"cannot read the secret file: {problem}") from None
    if args.secret_hex is not None:
        return parse_secret(args.secret_hex)
    if os.environ.get(SECRET_ENV):
        return parse_secret(os.environ[SECRET_ENV])
    raise UsageError(f"give --secret-file, --secret-hex or the environment variable {SECRET_ENV}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk-receiver", description="Reference back office of the Borne citoyenne."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="receive submissions over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="0: any free port")
    serve.add_argument("--db", type=Path, required=True, help="SQLite file of what arrives")
    secret = serve.add_mutually_exclusive_group()
    secret.add_argument("--secret-file", type=Path, help="file holding the terminal secret")
    secret.add_argument("--secret-hex", help="the terminal secret (visible in ps: tests only)")
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

    listing = commands.add_parser("list", help="list the submissions received")
    listing.add_argument("--db", type=Path, required=True)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(handler=_list)

    heads = commands.add_parser(
        "heads", help="each terminal's highest journal head (for kiosk audit verify --expect-head)"
    )
    heads.add_argument("--db", type=Path, required=True)
    heads.set_defaults(handler=_heads)
    return parser


def _serve(args: argparse.Namespace) -> int:
    secret = _secret_from(args)
    try:
        faults = FaultPlan.parse(args.fault_plan, loop=args.fault_loop)
    except ValueError as problem:
        raise UsageError(str(problem)) from None
    catalog = None if args.no_catalog else (args.catalog or asset("catalog", "admiville.json"))
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = ReceiverSettings(
        db=args.db,
        secret_for=lambda _terminal: secret,
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
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {problem}") from None
    sock.listen(128)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if family == socket.AF_INET6 else args.host
    config = uvicorn.Config(
        create_app(settings),
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


def _list(args: argparse.Namespace) -> int:
    if not args.db.exists():
        raise UsageError(f"no such database: {args.db}")
    store = ReceiverStore(args.db)
    try:
        received = store.submissions()
        for item in received:
            if args.json:
                print(
                    json.dumps(
                        {
                            "id": item.remote_id,
                            "idempotency_key": item.idempotency_key,
                            "terminal_id": item.terminal_id,
                            "reference": item.reference,
                            "received_at": item.received_at,
                            "payload": json.loads(item.payload),
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(item.received_at))
                print(
                    f"{item.remote_id}  {when}  {item.terminal_id}  "
                    f"{item.reference or '-'}  {item.idempotency_key}"
                )
        if not args.json:
            print(f"{len(received)} submission(s)", file=sys.stderr)
    finally:
        store.close()
    return 0


def _heads(args: argparse.Namespace) -> int:
    """One line per terminal: id, SEQ:HASH (as ``kiosk audit verify --expect-head`` takes
    it), and when it was seen."""
    if not args.db.exists():
        raise UsageError(f"no such database: {args.db}")
    store = ReceiverStore(args.db)
    try:
        for seen in store.journal_heads():
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seen.seen_at))
            print(f"{seen.terminal_id}  {seen.head}  {when}")
    finally:
        store.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``kiosk-receiver``."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except UsageError as problem:
        print(f"kiosk-receiver: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
