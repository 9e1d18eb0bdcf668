"""start_receiver: says clearly when the receiver cannot start."""

from __future__ import annotations

import socket

import pytest

from kiosk.receiver.launcher import ReceiverStartError, start_receiver


def test_a_busy_port_is_a_clear_start_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ReceiverStartError, match=r"cannot listen on 127\.0\.0\.1"):
            start_receiver(tmp_path / "r.sqlite3", {"t-01": bytes(32)}, port=port)
