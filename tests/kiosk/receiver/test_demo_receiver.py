"""`make run`'s back office accepts the kiosk beside it with no manual step."""

from __future__ import annotations

import re
import socket
import subprocess
import sys

import requests

from kiosk import secrets
from kiosk.config import Config
from kiosk.connectors.http_api import HttpApiConnector
from kiosk.receiver.launcher import stop_receiver
from wiring.demo import console_hints, start_demo_receiver


def test_the_demo_receiver_enrols_this_terminal_with_its_keyring_secret(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = Config()
    process, url = start_demo_receiver(config, tmp_path / "demo.sqlite3", port)
    try:
        secret = secrets.get_key(secrets.TERMINAL_SECRET)
        kiosk = HttpApiConnector(url, config.backoffice.terminal_id, secret, timeout=5.0)
        assert kiosk.heartbeat({"pending": 0}, "0.1.0")
        stranger = HttpApiConnector(url, "another-terminal", secret, timeout=5.0)
        assert not stranger.heartbeat({"pending": 0}, "0.1.0")
    finally:
        stop_receiver(process)


def test_make_run_says_where_the_console_is_and_its_first_login_command_works(tmp_path):
    database = tmp_path / "demo.sqlite3"
    process, url = start_demo_receiver(Config(), database, 0)
    try:
        hints = console_hints(url, database)
        address = re.search(r"console on (\S+)", hints[0]).group(1)
        command = hints[2].removeprefix("demo:").split()
        assert command[0] == ".venv/bin/kiosk-receiver"
        command = [sys.executable, "-m", "kiosk.receiver.cli",
                   *[("maire" if part == "NAME" else part) for part in command[1:]]]
        made = subprocess.run(command, input="un mot de passe assez long\n", text=True,
                              capture_output=True, timeout=60, check=False)
        assert made.returncode == 0, made.stderr
        session = requests.Session()
        page = session.get(address, timeout=10)
        assert page.url.endswith("/console/connexion")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        answer = session.post(page.url, timeout=30, data={
            "csrf": token, "name": "maire", "password": "un mot de passe assez long"})
        assert answer.url.endswith("/console/terminaux")
    finally:
        stop_receiver(process)
