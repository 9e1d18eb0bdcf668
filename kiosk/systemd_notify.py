"""sd_notify for systemd: READY=1 once the welcome screen shows, WATCHDOG=1 pings.

The protocol is one datagram to the socket named by $NOTIFY_SOCKET; a dozen lines of the
standard library, so no dependency (the PyPI `sdnotify` package is unmaintained since 2017).
"""

from __future__ import annotations

import logging
import os
import socket

_log = logging.getLogger(__name__)


class SystemdNotifier:
    """Sends notifications when systemd asked for them, and does nothing otherwise."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET", "")
        # An abstract socket is written with a leading "@" and means a leading NUL byte.
        self._address = "\0" + address[1:] if address.startswith("@") else address
        watchdog_usec = env.get("WATCHDOG_USEC", "")
        self.watchdog_interval_ms = (
            int(watchdog_usec) // 2000 if watchdog_usec.isdigit() and int(watchdog_usec) else 0
        )

    @property
    def enabled(self) -> bool:
        return bool(self._address)

    def notify(self, message: str) -> None:
        if not self._address:
            return
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                sock.connect(self._address)
                sock.sendall(message.encode("ascii"))
        except OSError as error:
            _log.warning("cannot notify systemd (%s)", error.strerror)

    def ready(self) -> None:
        self.notify("READY=1")

    def watchdog(self) -> None:
        self.notify("WATCHDOG=1")
