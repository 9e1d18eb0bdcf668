"""``make run``: the kiosk on its embedded defaults, with the demo back office beside it.

The reference receiver (kiosk-receiver) listens on the address of ``[backoffice] url``
(127.0.0.1:8765 by default) with this terminal enrolled (its id and its keyring secret),
so a newcomer sees a request travel from the screen to "the town hall" with no manual
step: ``kiosk-receiver list --db FILE``. The commune console is served beside it, at
``/console/``; its first administrator is made with ``kiosk-receiver staff add``
(there is no default password): ``console_hints`` says how.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from kiosk import secrets
from kiosk.config import Config
from kiosk.receiver.launcher import ReceiverStartError, start_receiver, stop_receiver
from wiring.commands.common import prepare
from wiring.commands.run import NO_DISPLAY, display_available, run_with_config

RECEIVER_DB = "demo-receiver.sqlite3"


def start_demo_receiver(
    config: Config, database: Path, port: int
) -> tuple[subprocess.Popen[str], str]:
    """The demo back office with this terminal enrolled (its ``terminal_id`` and its
    keyring secret, made on first use): nothing to set up by hand."""
    secrets.first_run_keys([secrets.TERMINAL_SECRET], deployed=config.security.deployed)
    secret = secrets.get_key(secrets.TERMINAL_SECRET)
    return start_receiver(database, {config.backoffice.terminal_id: secret}, port=port)


def console_hints(url: str, database: Path) -> list[str]:
    """What ``make run`` prints about the console: its address, how to log in first."""
    return [
        f"demo: commune console on {url}/console/",
        "demo: first time, create its administrator (the password is asked twice):",
        f"demo:   .venv/bin/kiosk-receiver staff add --role admin NAME --db {database}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fullscreen", action="store_true", help="as on a terminal")
    args = parser.parse_args()
    config = prepare(argparse.Namespace(config=None))
    if not display_available():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    port = urlsplit(config.backoffice.url).port or 8765
    database = config.data_path() / RECEIVER_DB
    try:
        receiver, url = start_demo_receiver(config, database, port)
    except ReceiverStartError as error:
        print(f"demo: the demo back office did not start ({error}).", file=sys.stderr)
        print(f"demo: is port {port} already taken by another kiosk?", file=sys.stderr)
        return 1
    print(f"demo: back office listening on {url}")
    print(f"demo: see what arrived with: .venv/bin/kiosk-receiver list --db {database}")
    for line in console_hints(url, database):
        print(line)
    print("demo: technician exit: five taps on the logo within 3 s, then PIN 123456")
    try:
        return run_with_config(config, windowed=not args.fullscreen)
    finally:
        stop_receiver(receiver)


if __name__ == "__main__":
    sys.exit(main())
