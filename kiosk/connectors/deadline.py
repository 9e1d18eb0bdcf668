"""A deadline for a whole HTTP exchange, headers and body included.

requests' ``timeout`` is a limit on each socket operation, not on the exchange: a server
that sends one byte of its headers or its body every second never trips a 3-second read
timeout, and http.client accepts 100 header lines of 64 KiB each (requests' maintainers
do not offer a total timeout: requests issue #4276; urllib3's ``Timeout`` documents the
same "one byte every fifteen seconds" case). A back office that trickles its answer
would keep the queue's only thread busy for days.

Every read of an answer goes through ``http.client.HTTPResponse.fp``, the status line and
headers as much as the body. ``DeadlineAdapter`` makes the connections it pools build
their responses with a reader that, before each ``recv``, sets the socket's timeout to
the time left until the deadline of the exchange under way (``exchange_deadline``), and
raises ``TimeoutError`` once it has passed. No watchdog thread, no signal: the blocked
``recv`` itself cannot outlive the deadline. Connecting (TCP, then the TLS handshake,
which CPython bounds as a whole by the socket's timeout) is bounded by the connect
timeout the caller passes to requests; sending (``sendall``, bounded as a whole too since
Python 3.5) by the socket's timeout: that connect timeout on a new connection, the read
timeout on a pooled one (the reader gives it back when the answer is closed).

A response built outside ``exchange_deadline`` reads as http.client always does.
"""

from __future__ import annotations

import http.client
import io
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager

_DEADLINE: ContextVar[float | None] = ContextVar("http_exchange_deadline", default=None)


class DeadlineExceededError(TimeoutError):
    """The exchange went on past its deadline (a socket timeout, for urllib3)."""


@contextmanager
def exchange_deadline(deadline: float) -> Iterator[None]:
    """Answers received in this block are read by ``deadline`` (``time.monotonic()``)."""
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


class _DeadlineReader(io.RawIOBase):
    """The socket file http.client reads, each ``recv`` given only the time left."""

    def __init__(self, sock: Any, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._file = sock.makefile("rb", buffering=0)  # holds the socket open, as http.client
        self._deadline = deadline
        self._timeout_before = sock.gettimeout()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceededError("the answer took longer than the exchange's deadline")
        self._sock.settimeout(left)
        result: int | None = self._file.readinto(buffer)
        return result

    def close(self) -> None:
        if not self.closed:
            # A pooled connection's next request must not inherit our last few ms
            # (OSError: the socket is already closed, nothing to give back).
            with suppress(OSError):
                self._sock.settimeout(self._timeout_before)
            self._file.close()
        super().close()


class _SocketWithDeadline:
    """What http.client's response asks of a socket (``makefile``), with a deadline."""

    def __init__(self, sock: Any, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str) -> io.BufferedReader:  # http.client asks for "rb"
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


class _DeadlineResponse(http.client.HTTPResponse):
    def __init__(self, sock: Any, *args: Any, **kwargs: Any) -> None:
        deadline = _DEADLINE.get()
        if deadline is not None:
            sock = _SocketWithDeadline(sock, deadline)
        super().__init__(sock, *args, **kwargs)


class _HTTPConnection(HTTPConnection):
    response_class = _DeadlineResponse


class _HTTPSConnection(HTTPSConnection):
    response_class = _DeadlineResponse


class _HTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS_WITH_DEADLINE = {"http": _HTTPConnectionPool, "https": _HTTPSConnectionPool}
_DEFAULT_POOLS = {"http": HTTPConnectionPool, "https": HTTPSConnectionPool}


def _with_deadline(manager: PoolManager) -> PoolManager:
    # A SOCKS proxy brings pools of its own: those read without the deadline.
    if manager.pool_classes_by_scheme == _DEFAULT_POOLS:
        manager.pool_classes_by_scheme = _POOLS_WITH_DEADLINE
    return manager


class DeadlineAdapter(HTTPAdapter):
    """A requests adapter whose answers honour ``exchange_deadline`` (direct or by proxy)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _with_deadline(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        return _with_deadline(super().proxy_manager_for(proxy, **proxy_kwargs))


_READ_PIECE = 16384


class DeadlinePassed(requests.Timeout):
    """The answer was still coming in when the request's deadline passed."""


def read_body(response: requests.Response, ends: float, limit: int) -> bytes | None:
    """The body of a streamed answer as its pieces arrive, until ``ends``
    (``time.monotonic()``); None when it is longer than ``limit`` (not read further).

    The deadline reader stops a trickling body mid-piece; the check between pieces is what
    still holds for an answer read without it (through a SOCKS proxy). urllib3's errors
    come out as requests' (it wraps them only in its own reading loop).
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > ends:
            raise DeadlinePassed("the answer was still coming in at the deadline")
        try:
            piece = response.raw.read1(_READ_PIECE)
        except urllib3.exceptions.ReadTimeoutError as error:
            raise requests.ReadTimeout(str(error)) from None
        except (urllib3.exceptions.HTTPError, OSError) as error:
            raise requests.ConnectionError(str(error)) from None
        if not piece:
            return b"".join(chunks)
        size += len(piece)
        if size > limit:
            return None
        chunks.append(piece)
