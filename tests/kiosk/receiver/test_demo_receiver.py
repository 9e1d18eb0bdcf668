"""`make run`'s back office accepts the kiosk beside it with no manual step."""

from __future__ import annotations

import socket

from kiosk import secrets
from kiosk.config import Config
from kiosk.connectors.http_api import HttpApiConnector
from kiosk.receiver.launcher import stop_receiver
from wiring.demo import start_demo_receiver


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
