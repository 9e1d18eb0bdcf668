"""The kiosk's own back-office API over HTTPS (docs/api/openapi.yaml): the first connector.

``HttpApiConnector.deliver`` makes one signed ``POST /v1/submissions`` and turns whatever
happens into one of the queue's outcomes (docs/back-office.md); it never raises for network or
server trouble, whatever the server answers (not JSON, huge, wrong types, resets).

Decisions worth knowing:

- A 2xx means the back office accepted the submission, even when its body cannot be
  read: ``Delivered(None)`` (no back-office reference) and a warning in the log. Sending
  it again would only be answered by the same replay.
- Redirects are never followed (the signature covers the path, and a submission must not
  wander to another host): a 3xx is a passing failure that a technician must look at.
- A wrong clock is not a wrong credential: a 401 ``stale_timestamp`` is ``ClockRefused``
  (retried with backoff, the queue goes on), with the skew measured from the answer's
  ``Date`` header. Other 401/403 pause the queue (``Unauthorized``).
- A wrong URL is not a refused item: a 404, 405 or 501, or a web page (HTML) where the
  API answers JSON, is ``Misconfigured`` (the queue pauses with the reason), never ``dead``
  nor, for a 2xx, ``delivered``.
- Reasons are built from the HTTP status and the server's short error code only, never
  from free text that could echo personal data.
- Each exchange has a deadline, ``timeout`` seconds after it starts: the headers and the
  body of the answer are read by then, however slowly the server sends them
  (``kiosk.connectors.deadline``); past it, the attempt is a passing failure.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple

import requests
from urllib3.util.retry import Retry

from kiosk import __version__
from kiosk.audit.head import JournalHead
from kiosk.connectors.base_url import check_base_url
from kiosk.connectors.deadline import DeadlineAdapter, exchange_deadline, read_body
from kiosk.connectors.signing import sign_request
from kiosk.domain.reference import normalise_reference
from kiosk.domain.request_status import (
    MAX_SERVICE_NAME,
    RequestStatus,
    Status,
    StatusUnavailableError,
    UnknownReferenceError,
)
from kiosk.mediator.roster import MAX_ROSTER_BYTES
from kiosk.statistics.keys import DayCounts
from offline_queue.connector import (
    ClockRefused,
    Delivered,
    Misconfigured,
    Outcome,
    Outgoing,
    Rejected,
    RetryLater,
    Unauthorized,
)
from offline_queue.store import PAUSE_CONFIGURATION, PAUSE_CREDENTIALS, QueueStatus

SUBMISSIONS_PATH = "/v1/submissions"
CATALOG_PATH = "/v1/catalog"
HEARTBEAT_PATH = "/v1/heartbeat"
HEALTH_PATH = "/v1/health"
STATUS_PATH = "/v1/requests/{reference}/status"
MEDIATORS_PATH = "/v1/mediators"
MEDIATOR_USAGE_PATH = "/v1/mediators/usage"
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"

MAX_ANSWER_BYTES = 64 * 1024  # an answer longer than this is not read further
MAX_CATALOG_BYTES = 8 * 1024 * 1024
MAX_RETRY_AFTER = 24 * 3600.0  # a server asking for more is capped (the queue backs off too)
MAX_REMOTE_REFERENCE = 128
RETRY_STATUSES = frozenset({408, 409, 425, 429})
AUTH_STATUSES = frozenset({401, 403})
# The API has this route, for this method: these say the URL leads somewhere else.
WRONG_URL_STATUSES = frozenset({404, 405, 501})
CLOCK_ERROR = "stale_timestamp"  # the error code of a timestamp the back office refused
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_DIGITS = re.compile(r"[0-9]{1,20}")
_ERROR_CODE = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_REMOTE_REFERENCE = re.compile(rf"[\x21-\x7e]{{1,{MAX_REMOTE_REFERENCE}}}")
UNKNOWN_REFERENCE = "unknown_reference"  # the error code of a 404 on a request's status
PAUSE_CAUSES = frozenset({PAUSE_CREDENTIALS, PAUSE_CONFIGURATION})  # a heartbeat's pause_cause
_log = logging.getLogger(__name__)


class ConnectorError(RuntimeError):
    """The back office could not be reached or gave an unusable answer (catalog, heartbeat).

    ``resident_message`` is safe to show; the exception text is technical detail for logs.
    """

    resident_message = "La mairie ne répond pas pour le moment. Réessayez plus tard."


class CatalogAnswer(NamedTuple):
    """The answer to ``GET /v1/catalog``: 200 with a body, or 304 (not modified, no body)."""

    status: int
    body: bytes | None
    etag: str | None


class HeartbeatAnswer(NamedTuple):
    """Whether a heartbeat was accepted, and the days of statistics the back office says
    it stored (``statistics_stored`` in its answer; none from one that does not keep them)."""

    accepted: bool
    statistics_stored: frozenset[str]

    def __bool__(self) -> bool:
        return self.accepted


@dataclass(frozen=True)
class TerminalState:
    """What a heartbeat says of the terminal beside its queue counts: the version of the
    catalog it runs (``kiosk.catalog.version``), whether its queue is paused, and why when
    the queue knows it (a code of ``PAUSE_CAUSES``, never the pause's free text). A field
    left None is not sent."""

    catalog_version: str | None = None
    paused: bool | None = None
    pause_cause: str | None = None

    @classmethod
    def of(cls, queue: QueueStatus, catalog_version: str | None = None) -> TerminalState:
        """The state of a terminal whose queue is ``queue``."""
        cause = queue.pause_cause if queue.paused and queue.pause_cause in PAUSE_CAUSES else None
        return cls(catalog_version, queue.paused, cause)

    def fields(self) -> dict[str, object]:
        """The heartbeat's fields that say this state."""
        named = {"catalog_version": self.catalog_version, "paused": self.paused,
                 "pause_cause": self.pause_cause}
        return {name: value for name, value in named.items() if value is not None}


class AccessCheck(NamedTuple):
    """Whether the back office accepts the terminal's credentials: True, False, or None
    when it cannot be told (unreachable, a clock refusal, a server error), and why."""

    accepted: bool | None
    reason: str


@dataclass(frozen=True)
class _Answer:
    """An HTTP answer read within limits: its body is None when too big or unreadable."""

    status: int
    headers: Mapping[str, str]
    body: bytes | None


class HttpApiConnector:
    """Delivers submissions to the kiosk's own HTTP JSON API, signed with the terminal secret.

    Args:
        base_url: e.g. ``https://mairie.example/kiosk-api`` (paths ``/v1/...`` are appended;
            a path prefix is part of what is signed).
        terminal_id: this terminal's id, as the back office knows it.
        secret: the terminal's HMAC secret (``kiosk.secrets.TERMINAL_SECRET``).
        timeout: seconds one exchange may last in all, from connecting to the answer's last
            byte (the catalog download included).
        connect_timeout: seconds to establish the connection, and to send the request
            (default: min(timeout, 5); never more than ``timeout``).
        probe_timeout: seconds ``reachable()``'s health check may last in all.
        session: a ``requests.Session`` to use (tests); TLS verification stays on anyway.
        clock: the terminal's clock, for signing and for measuring the back office's
            (tests set it wrong).
    """

    def __init__(
        self,
        base_url: str,
        terminal_id: str,
        secret: bytes,
        *,
        timeout: float,
        connect_timeout: float | None = None,
        probe_timeout: float = 3.0,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        parts = check_base_url(base_url, "the back-office URL")
        if timeout <= 0 or probe_timeout <= 0:
            raise ValueError("timeouts must be positive")
        self.base_url = base_url.rstrip("/")
        self._prefix = parts.path.rstrip("/")
        self.terminal_id = terminal_id
        self._secret = secret
        self.timeout = float(timeout)
        if connect_timeout is None:
            connect_timeout = min(timeout, 5.0)
        self.connect_timeout = min(float(connect_timeout), self.timeout)
        self.probe_timeout = float(probe_timeout)
        self._clock = clock
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = f"borne-citoyenne/{__version__}"
        # The answer is read piece by piece as it comes (read_body): nothing to decompress.
        self._session.headers["Accept-Encoding"] = "identity"
        # A pooled connection the server closed while idle fails the next request once:
        # safe to try again at once for GET and HEAD only (a POST is the queue's business,
        # with its idempotency key).
        once = Retry(total=1, connect=1, read=1, status=0, other=0,
                     allowed_methods=frozenset({"GET", "HEAD"}), raise_on_status=False)
        self._session.mount("http://", DeadlineAdapter(max_retries=once))
        self._session.mount("https://", DeadlineAdapter(max_retries=once))
        sign_request(secret, terminal_id, "GET", "/", b"")  # fail early on a bad secret or id

    @property
    def longest_call(self) -> float:
        """Seconds any one call (deliver, reachable, catalog, heartbeat) may last at most.

        The answer is read by the exchange's deadline, unless connecting, the TLS handshake
        and sending, each bounded by the connect timeout, have already taken longer. The
        name lookup is not counted: the system's resolver bounds it (resolv.conf).
        """
        return max(self.timeout, 3 * self.connect_timeout, 3 * self.probe_timeout)

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    # ------------------------------------------------------------------ Connector

    def deliver(self, item: Outgoing) -> Outcome:
        """One signed ``POST /v1/submissions`` of the item's payload; never raises."""
        headers = {"Content-Type": "application/json", IDEMPOTENCY_HEADER: item.item_id}
        try:
            answer = self._request("POST", SUBMISSIONS_PATH, item.payload, headers)
        except requests.RequestException as error:
            return RetryLater(f"network: {_describe_network_error(error)}")
        except Exception as error:  # a broken server or library must not kill the sync thread
            # The type only: a message could quote the payload (rule of attempt._ask).
            _log.error(
                "unexpected failure while delivering %s: %s", item.reference, type(error).__name__
            )
            return RetryLater(f"unexpected: {type(error).__name__}")
        return self._classify(answer, item)

    def reachable(self) -> bool:
        """True when ``GET /v1/health`` answers 200 within ``probe_timeout``."""
        try:
            with exchange_deadline(time.monotonic() + self.probe_timeout):
                response = self._session.get(
                    self.base_url + HEALTH_PATH,
                    timeout=(self.probe_timeout, self.probe_timeout),
                    allow_redirects=False,
                    verify=True,
                    stream=True,  # the status is enough: the body is never read
                )
                response.close()
        except requests.RequestException:
            return False
        return response.status_code == 200

    # ------------------------------------------------------------------ other calls

    def fetch_catalog(self, etag: str | None = None) -> CatalogAnswer:
        """``GET /v1/catalog``, conditional on ``etag``; raises ``ConnectorError`` on failure."""
        headers = {"If-None-Match": etag} if etag else {}
        try:
            answer = self._request("GET", CATALOG_PATH, b"", headers, limit=MAX_CATALOG_BYTES)
        except requests.RequestException as error:
            raise ConnectorError(f"catalog: {_describe_network_error(error)}") from None
        new_etag = answer.headers.get("ETag")
        if answer.status == 304:
            return CatalogAnswer(304, None, new_etag or etag)
        if answer.status == 200 and answer.body is not None:
            return CatalogAnswer(200, answer.body, new_etag)
        raise ConnectorError(f"catalog: {_status_reason(answer)}")

    def heartbeat(
        self,
        queue_counts: Mapping[str, int],
        version: str = __version__,
        journal_head: JournalHead | None = None,
        statistics: Sequence[DayCounts] = (),
        state: TerminalState = TerminalState(),
    ) -> HeartbeatAnswer:
        """``POST /v1/heartbeat`` (terminal id, version, queue counts, the journal's head,
        the days of statistics not yet acknowledged, the terminal's ``state``); its answer
        says whether it was accepted and which days of statistics the back office stored.

        Never raises for network trouble: a missed heartbeat is only logged.
        """
        try:
            answer = self._post_heartbeat(queue_counts, version, journal_head, statistics, state)
        except requests.RequestException as error:
            _log.info("heartbeat not sent: %s", _describe_network_error(error))
            return HeartbeatAnswer(False, frozenset())
        if 200 <= answer.status < 300:
            return HeartbeatAnswer(True, _stored_days(answer))
        _log.warning("heartbeat refused: %s", _status_reason(answer))
        return HeartbeatAnswer(False, frozenset())

    def check_access(
        self, queue_counts: Mapping[str, int], state: TerminalState = TerminalState()
    ) -> AccessCheck:
        """One signed heartbeat, to learn whether the back office accepts this terminal's
        credentials now (``kiosk queue resume``); never raises for network trouble."""
        try:
            answer = self._post_heartbeat(queue_counts, __version__, None, (), state)
        except requests.RequestException as error:
            return AccessCheck(None, f"network: {_describe_network_error(error)}")
        reason = _status_reason(answer)
        if 200 <= answer.status < 300:
            return AccessCheck(True, reason)
        if answer.status in AUTH_STATUSES and _error_code(answer) != CLOCK_ERROR:
            return AccessCheck(False, reason)
        return AccessCheck(None, reason)  # a clock refusal, a server error: cannot tell

    def _post_heartbeat(
        self,
        queue_counts: Mapping[str, int],
        version: str,
        journal_head: JournalHead | None,
        statistics: Sequence[DayCounts],
        state: TerminalState,
    ) -> _Answer:
        beat: dict[str, object] = {
            "terminal_id": self.terminal_id,
            "version": version,
            "queue": {str(name): int(count) for name, count in queue_counts.items()},
            "sent_at": int(time.time()),
            **state.fields(),
        }
        if journal_head is not None:
            beat["journal_head"] = journal_head.to_dict()
        if statistics:
            beat["statistics"] = [day.to_dict() for day in statistics]
        body = json.dumps(beat, separators=(",", ":"), sort_keys=True).encode("utf-8")
        return self._request("POST", HEARTBEAT_PATH, body, {"Content-Type": "application/json"})

    def request_status(self, reference: str) -> RequestStatus:
        """``GET /v1/requests/{reference}/status``: where a request is, by the reference on
        its receipt, within the exchange's deadline.

        Raises ``UnknownReferenceError`` (a 404 ``unknown_reference``) or ``StatusUnavailableError``
        (network, deadline, any other answer, or a body that is not the documented one).
        """
        if normalise_reference(reference) != reference:
            raise ValueError("a reference in its written form, e.g. ADM-7K3-Q9P")
        path = STATUS_PATH.format(reference=reference)
        try:
            answer = self._request("GET", path, b"", {"Accept": "application/json"})
        except requests.RequestException as error:
            raise StatusUnavailableError(f"status: {_describe_network_error(error)}") from None
        if answer.status == 404 and _error_code(answer) == UNKNOWN_REFERENCE:
            raise UnknownReferenceError(reference)
        if answer.status != 200 or _is_html(answer):
            raise StatusUnavailableError(f"status: {_status_reason(answer)}")
        status = parse_request_status(answer.body)
        if status is None:
            raise StatusUnavailableError("status: an answer that is not a RequestStatus")
        return status

    def fetch_mediators(self) -> bytes | None:
        """``GET /v1/mediators``: the commune's mediator roster, unchecked (the caller
        checks it: kiosk.mediator.roster); None, logged, when there is none this time."""
        try:
            answer = self._request("GET", MEDIATORS_PATH, b"", {"Accept": "application/json"},
                                   limit=MAX_ROSTER_BYTES)
        except requests.RequestException as error:
            _log.info("no mediator roster this time: %s", _describe_network_error(error))
            return None
        if answer.status != 200:
            _log.info("no mediator roster this time: %s", _status_reason(answer))
            return None
        if answer.body is None:
            _log.warning("mediator roster refused, the last good one stays: roster too big: "
                         "more than %d bytes", MAX_ROSTER_BYTES)
        return answer.body

    def report_mediator_usage(
        self, uses: Sequence[tuple[str, int]], locks: Sequence[tuple[str, int, int]]
    ) -> bool:
        """``POST /v1/mediators/usage``: the last logins of console accounts here, and
        which of them are locked here (since when, seconds left)."""
        body = json.dumps({
            "mediators": [{"id": mediator_id, "last_used_at": at} for mediator_id, at in uses],
            "locks": [{"id": mediator_id, "since": since, "seconds_left": left}
                      for mediator_id, since, left in locks],
        }).encode("utf-8")
        try:
            answer = self._request("POST", MEDIATOR_USAGE_PATH, body,
                                   {"Content-Type": "application/json"})
        except requests.RequestException as error:
            _log.info("mediator usage not sent: %s", _describe_network_error(error))
            return False
        if 200 <= answer.status < 300:
            return True
        _log.warning("mediator usage refused: %s", _status_reason(answer))
        return False

    # ------------------------------------------------------------------ plumbing

    def _request(
        self,
        method: str,
        path: str,
        body: bytes,
        headers: Mapping[str, str],
        *,
        limit: int = MAX_ANSWER_BYTES,
    ) -> _Answer:
        """One signed request, over by ``timeout`` seconds from now, headers and body read.

        The answer body is read within ``limit`` bytes. Raises ``requests.Timeout`` when
        the deadline passes, ``requests.RequestException`` for other network trouble.
        """
        signed = dict(headers)
        full_path = self._prefix + path
        signed.update(
            sign_request(self._secret, self.terminal_id, method, full_path, body, now=self._clock())
        )
        deadline = time.monotonic() + self.timeout
        try:
            with exchange_deadline(deadline):
                response = self._session.request(
                    method,
                    self.base_url + path,
                    data=body or None,
                    headers=signed,
                    timeout=(self.connect_timeout, self.timeout),
                    allow_redirects=False,
                    verify=True,
                    stream=True,
                )
                try:
                    content = read_body(response, deadline, limit)
                finally:
                    response.close()
        except requests.RequestException as error:
            # urllib3 names a timeout while reading the body a connection error.
            if time.monotonic() >= deadline and not isinstance(error, requests.Timeout):
                raise requests.ReadTimeout("the exchange outlasted its deadline") from error
            raise
        return _Answer(response.status_code, response.headers, content)

    def _classify(self, answer: _Answer, item: Outgoing) -> Outcome:
        status = answer.status
        misconfigured = _misconfiguration(answer)
        if misconfigured is not None:
            return misconfigured
        if 200 <= status < 300:
            return Delivered(self._remote_reference(answer, item))
        reason = _status_reason(answer)
        if 400 <= status < 500 and status not in RETRY_STATUSES:
            return self._refusal(answer, reason)
        # 408, 409, 425, 429, 5xx; and 1xx/3xx: not a verdict on the item (a technician
        # looks at a redirect).
        return RetryLater(reason, parse_retry_after(answer.headers.get("Retry-After")))

    def _refusal(self, answer: _Answer, reason: str) -> Outcome:
        """The outcome of a 4xx that is not worth retrying as it is."""
        if answer.status == 401 and _error_code(answer) == CLOCK_ERROR:
            return ClockRefused(reason, clock_skew(answer.headers.get("Date"), self._clock()))
        if answer.status in AUTH_STATUSES:
            return Unauthorized(reason)
        return Rejected(reason)

    @staticmethod
    def _remote_reference(answer: _Answer, item: Outgoing) -> str | None:
        data = _json_object(answer.body)
        remote = data.get("id") if data is not None else None
        if isinstance(remote, int) and not isinstance(remote, bool):
            remote = str(remote)
        if isinstance(remote, str) and _REMOTE_REFERENCE.fullmatch(remote):
            return remote
        _log.warning(
            "back office accepted %s (HTTP %d) without a usable id in its answer",
            item.reference,
            answer.status,
        )
        return None


def parse_request_status(body: bytes | None) -> RequestStatus | None:
    """A ``RequestStatus`` body (docs/api/openapi.yaml), or None when it is not one: an
    unknown status, a service name that is not a short line of text."""
    data = _json_object(body)
    if data is None:
        return None
    try:
        status = Status(data.get("status"))
    except (ValueError, TypeError):
        return None
    service = data.get("service")
    if service is not None and not (
        isinstance(service, str)
        and 0 < len(service.strip()) <= MAX_SERVICE_NAME
        and service.isprintable()
    ):
        return None
    updated = data.get("updated_at")
    return RequestStatus(
        status,
        service.strip() if service else None,
        updated if isinstance(updated, str) and len(updated) <= 64 else None,
    )


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds asked by a ``Retry-After`` header (delay-seconds or HTTP-date), or None.

    The result is within [0, MAX_RETRY_AFTER]; an unreadable value gives None.
    """
    if value is None:
        return None
    value = value.strip()
    if _DIGITS.fullmatch(value):
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT
        return None
    clock = time.time() if now is None else now
    delay = when.timestamp() - clock
    if math.isnan(delay):
        return None
    return min(max(delay, 0.0), MAX_RETRY_AFTER)


def back_office_clock_skew(
    base_url: str, *, timeout: float = 3.0, clock: Callable[[], float] = time.time
) -> float | None:
    """Seconds the back office's clock is ahead of ours (negative: behind), from the
    ``Date`` header of its ``GET /v1/health`` (unsigned, so it answers whatever our clock
    says); None when it does not answer or gives no readable date (``kiosk doctor``)."""
    try:
        with requests.get(
            base_url.rstrip("/") + HEALTH_PATH,
            timeout=(timeout, timeout),
            allow_redirects=False,
            verify=True,
            stream=True,  # the body is not read
        ) as response:
            return clock_skew(response.headers.get("Date"), clock())
    except requests.RequestException:
        return None


def clock_skew(date: str | None, now: float) -> float | None:
    """Seconds an HTTP ``Date`` header is ahead of ``now`` (negative: behind), or None
    when the header is missing or unreadable. ``Date`` has a one-second resolution."""
    if date is None:
        return None
    try:
        when = parsedate_to_datetime(date.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT
        return None
    try:
        skew = when.timestamp() - now
    except (OverflowError, ValueError):
        return None
    return None if math.isnan(skew) or math.isinf(skew) else round(skew, 1)


def _misconfiguration(answer: _Answer) -> Misconfigured | None:
    """``Misconfigured`` when the answer says the URL does not lead to the API: a 404, 405
    or 501 on a route the API has, or a web page where the API would answer (a 413 page
    refuses one big item only; a 408/429 page or a 5xx is a passing failure)."""
    status = answer.status
    if status in WRONG_URL_STATUSES:
        return Misconfigured(f"the back-office URL answers HTTP {status}: check [backoffice] url")
    accepted = 200 <= status < 300
    refused = 400 <= status < 500 and status not in RETRY_STATUSES and status != 413
    if (accepted or refused) and _is_html(answer):
        return Misconfigured(
            f"the back-office URL answers a web page (HTML, HTTP {status}): "
            "check [backoffice] url"
        )
    return None


def _is_html(answer: _Answer) -> bool:
    """Whether the answer is a web page, which our API never sends."""
    media_type = answer.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if media_type in HTML_TYPES:
        return True
    start = (answer.body or b"")[:64].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _json_object(body: bytes | None) -> dict[str, Any] | None:
    if not body:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _error_code(answer: _Answer) -> str | None:
    """The server's short error code (``{"error": "<code>"}``), if clean."""
    data = _json_object(answer.body)
    code = data.get("error") if data is not None else None
    if isinstance(code, str) and _ERROR_CODE.fullmatch(code):
        return code
    return None


def _status_reason(answer: _Answer) -> str:
    """``HTTP 422 invalid_submission``: the status and the server's error code, if clean."""
    code = _error_code(answer)
    return f"HTTP {answer.status} {code}" if code else f"HTTP {answer.status}"


def _describe_network_error(error: requests.RequestException) -> str:
    """A short technical name for a network failure (no URL, no payload)."""
    if isinstance(error, requests.ConnectTimeout):
        return "connect timeout"
    if isinstance(error, requests.Timeout):
        return "read timeout"
    if isinstance(error, requests.exceptions.SSLError):
        return "TLS error"
    if isinstance(error, requests.ConnectionError):
        return "connection failed or reset"
    return type(error).__name__


def _stored_days(answer: _Answer) -> frozenset[str]:
    """The ``statistics_stored`` days of a heartbeat's answer (none when absent or odd)."""
    try:
        document = json.loads(answer.body or b"")
    except ValueError:
        return frozenset()
    days = document.get("statistics_stored") if isinstance(document, dict) else None
    if not isinstance(days, list):
        return frozenset()
    return frozenset(day for day in days if isinstance(day, str))
