"""HTTP calls bounded in time and size, shared by the connectors of protocols without
idempotency (w.c.s., Open311), and the guard that keeps their ``deliver`` from raising.

``BoundedHttp.request`` makes one request and reads its answer within ``deadline``
seconds in all: connecting (at most ``connect_timeout``), then the status line, headers
and body, each socket read given only the time left (``kiosk.connectors.deadline``, as
the kiosk's own API connector does), so an answer that trickles in, headers included, is
cut at the deadline. Redirects are never followed and TLS is always verified. A body
longer than the call's limit is not read further (``body`` None).

The environment is read once, not for every request: requests otherwise looks through
every environment variable for proxies (twice) and for ``~/.netrc`` on each call, about a
millisecond per request on a busy two-core machine (bench/queue.py drain-wcs, profiled:
docs/performance.md), and a running kiosk's environment does not change. The proxy
variables (``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``...) are read for a site the
first time it is called, ``REQUESTS_CA_BUNDLE`` (or ``CURL_CA_BUNDLE``) when the object is
made; ``~/.netrc`` never: a back office's credentials are the connector's own.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.utils import get_environ_proxies

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
        self._session.trust_env = False  # read once instead (see the module docstring)
        self._verify: bool | str = (
            os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        )
        self._proxies: dict[str, dict[str, str]] = {}  # per scheme://host:port
        self._session.headers["User-Agent"] = f"borne-citoyenne/{__version__}"
        # Pieces of the answer are read as they come: no compression to decode.
        self._session.headers["Accept-Encoding"] = "identity"
        # Every socket read of an answer, headers included, gets only the time left.
        self._session.mount("http://", DeadlineAdapter(max_retries=0))
        self._session.mount("https://", DeadlineAdapter(max_retries=0))

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def _proxies_for(self, url: str) -> dict[str, str]:
        """The proxies the environment gives for ``url``'s site (none when ``NO_PROXY``
        names it), read the first time that site is called."""
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._proxies:
            self._proxies[site] = get_environ_proxies(site)
        return self._proxies[site]

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
                proxies=self._proxies_for(url),
                verify=self._verify,
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
                    proxies=self._proxies_for(url),
                    verify=self._verify,
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
