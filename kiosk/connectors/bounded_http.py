"""HTTP calls bounded in time and size, shared by the connectors of protocols without
idempotency (w.c.s., Open311), and the guard that keeps their ``deliver`` from raising.

``BoundedHttp.request`` makes one request and reads its answer within ``deadline``
seconds in all: connecting (at most ``connect_timeout``), then the status line, headers
and body, each socket read given only the time left (``kiosk.connectors.deadline``, as
the kiosk's own API connector does), so an answer that trickles in, headers included, is
cut at the deadline. Redirects are never followed and TLS is always verified. A body
longer than the call's limit is not read further (``body`` None).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from kiosk import __version__
from kiosk.connectors.deadline import (
    DeadlineAdapter,
    DeadlinePassed,
    exchange_deadline,
    read_body,
)
from kiosk.connectors.http_api import _describe_network_error as describe_http_error
from offline_queue.connector import Outcome, RetryLater


@dataclass(frozen=True)
class Answer:
    """An HTTP answer read within limits; ``body`` is None when too big."""

    status: int
    headers: Mapping[str, str]
    body: bytes | None

    def json(self) -> Any:
        """The body as JSON, or None when it is empty, too big or not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            return None


class BoundedHttp:
    """A ``requests.Session`` whose every call is bounded (see the module docstring).

    Args:
        deadline: seconds one request may take in all.
        connect_timeout: seconds to establish a connection (at most ``deadline``).
        probe_timeout: seconds for ``reachable()``.
        session: a ``requests.Session`` (tests); TLS verification stays on anyway.
    """

    def __init__(
        self,
        *,
        deadline: float,
        connect_timeout: float = 5.0,
        probe_timeout: float = 3.0,
        session: requests.Session | None = None,
    ) -> None:
        if deadline <= 0 or connect_timeout <= 0 or probe_timeout <= 0:
            raise ValueError("timeouts must be positive")
        self.deadline = float(deadline)
        self.connect_timeout = min(float(connect_timeout), self.deadline)
        self.probe_timeout = float(probe_timeout)
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = f"borne-citoyenne/{__version__}"
        # Pieces of the answer are read as they come: no compression to decode.
        self._session.headers["Accept-Encoding"] = "identity"
        # Every socket read of an answer, headers included, gets only the time left.
        self._session.mount("http://", DeadlineAdapter(max_retries=0))
        self._session.mount("https://", DeadlineAdapter(max_retries=0))

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        limit: int,
        headers: Mapping[str, str] | None = None,
        data: bytes | Mapping[str, Any] | list[tuple[str, str]] | None = None,
    ) -> Answer:
        """One request; raises ``requests.RequestException`` on network trouble."""
        ends = time.monotonic() + self.deadline
        with exchange_deadline(ends):
            response = self._session.request(
                method,
                url,
                data=data,
                headers=dict(headers or {}),
                timeout=(self.connect_timeout, self.deadline),
                allow_redirects=False,
                verify=True,
                stream=True,
            )
            try:
                content = read_body(response, ends, limit)
            finally:
                response.close()
        return Answer(response.status_code, response.headers, content)

    def reachable(self, url: str) -> bool:
        """True when ``GET url`` answers with any status under 500 within ``probe_timeout``."""
        try:
            with exchange_deadline(time.monotonic() + self.probe_timeout):
                response = self._session.get(
                    url,
                    timeout=(self.probe_timeout, self.probe_timeout),
                    allow_redirects=False,
                    verify=True,
                    stream=True,
                )
                response.close()
        except requests.RequestException:
            return False
        return response.status_code < 500


def describe_network_error(error: requests.RequestException) -> str:
    """A short technical name for a network failure (never the URL: it may hold secrets)."""
    if isinstance(error, DeadlinePassed):
        return "deadline passed while reading"
    return describe_http_error(error)


def guarded(attempt: Callable[[], Outcome], reference: str, log: logging.Logger) -> Outcome:
    """``attempt()``, with network trouble and any unexpected error as ``RetryLater``: a
    broken server or library must not kill the sync thread."""
    try:
        return attempt()
    except requests.RequestException as error:
        return RetryLater(f"network: {describe_network_error(error)}")
    except Exception as error:
        # The type only: a message could quote the payload (rule of attempt._ask).
        log.error("unexpected failure delivering %s: %s", reference, type(error).__name__)
        return RetryLater(f"unexpected: {type(error).__name__}")
