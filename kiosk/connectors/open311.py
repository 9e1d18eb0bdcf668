"""Delivery to Open311 GeoReport v2 servers (cities' service requests: street problems).

``Open311Connector.deliver`` turns one queued submission into ``POST {endpoint}/requests.json``
(``application/x-www-form-urlencoded``: ``api_key``, ``service_code``, a location,
``description`` starting with the kiosk reference, ``attribute[code]``, ``jurisdiction_id``
when configured, contact fields only with the resident's consent; see
``open311_mapping``) and whatever happens into one of the queue's outcomes; it never
raises for network or server trouble.

Answers read (every documented or observed shape): 200 or 201; a list (or one object)
with ``service_request_id`` -> ``Delivered(id)``; with ``token`` only -> ``Delivered(
"token:<token>")`` (the server makes the request later; ``resolve_token`` asks for its id).

Open311 has no idempotency. The guard: an attempt that is not the item's first (the queue
counts an attempt before anything is sent, and keeps the count across a crash) first asks
``GET requests.json?service_code=…&start_date=<created - 1 day>&end_date=<now + 1 day>``
and looks for the kiosk reference in the descriptions listed; it sends only when none
holds it. A look-up that fails in passing (5xx, 408/429, network) sends nothing: the item
waits. A server that cannot be searched (any other status, an unreadable or too long list)
puts the item aside, saying so: a person checks the back office for the reference; when
they "send again", this connector sends it without looking (it remembers, in memory, the
items it put aside so). The connector also remembers the attempts that prove nothing was
stored (a 4xx refusal, a connection never made) so that their next attempt sends without
a look-up. Remaining risk: a server that stores a request but does not list it (yet)
gets it twice; and after a restart, the memory is gone (conservative: look up again).

How answers are classified (reasons carry the status, numeric or known error codes and a
fixed description; never the server's free text, which could echo personal data):

- 401, and 403 not about the service: ``Unauthorized`` (the queue pauses).
- 403 about the service (code refused for this key): ``Rejected``.
- 400, 404 and other 4xx: ``Rejected`` (the item goes aside for a person).
- 408, 409, 425, 429, 5xx (HTML pages included), 3xx, a 2xx without an id or a token,
  timeouts and network errors: ``RetryLater``; the next attempt looks the reference up.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any
from urllib.parse import quote, urlencode

import requests
import urllib3

from kiosk.connectors.answer_mapping import MappingError
from kiosk.connectors.base_url import check_base_url
from kiosk.connectors.bounded_http import Answer, BoundedHttp
from kiosk.connectors.http_api import parse_retry_after
from kiosk.connectors.look_up_first import LookUpFirst
from kiosk.connectors.open311_mapping import Open311Service, request_fields
from kiosk.connectors.remote_status import asked_status, open311_request_status
from kiosk.domain.request_status import Link, RequestStatus, Status, StatusUnavailableError
from kiosk.domain.submission import Submission
from offline_queue.connector import Delivered, Outcome, Outgoing, Rejected, RetryLater, Unauthorized

MAX_ANSWER_BYTES = 64 * 1024  # the answer to a POST: one request
MAX_LOOK_UP_BYTES = 4 * 1024 * 1024  # a search over a few days of one service
LOOK_UP_MARGIN = dt.timedelta(days=1)  # around the search window (clocks, slow servers)
TOKEN_PREFIX = "token:"  # noqa: S105 - marks a batch token, not a secret
RETRY_STATUSES = frozenset({408, 409, 425, 429})
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_REMOTE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
_NUMERIC_CODE = re.compile(r"[0-9]{1,4}")
# Error codes echoed in reasons besides numbers (GeoReport's are HTTP-like numbers; 6aika's
# are Django REST framework's): a fixed list, so that no server text reaches a reason.
_KNOWN_CODES = frozenset({
    "required", "invalid", "null", "blank", "max_length", "invalid_choice", "not_found",
    "parse_error", "authentication_failed", "not_authenticated", "permission_denied",
    "throttled", "does_not_exist",
})
# What an error's description is about -> a fixed meaning; the first that matches wins.
_SERVICE = "the server refuses this service code"
_NO_SERVICE = "the server has no such service (or the endpoint is wrong)"
_ABOUT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"attribute"), "the server refused an attribute"),
    (re.compile(r"service"), _SERVICE),  # before the key: "this key may not post to it"
    (re.compile(r"api.?key"), "the server refused the API key"),
    (re.compile(r"jurisdiction"), "the server refused the jurisdiction_id"),
    (re.compile(r"description"), "the server refused the description"),
    (re.compile(r"\blat\b|\blong\b|location|address|coordinate"),
     "the server refused the location"),
    (re.compile(r"e-?mail|phone|first.?name|last.?name"), "the server refused a contact field"),
)
_log = logging.getLogger(__name__)


_Prepared = tuple[Open311Service, dt.datetime, list[tuple[str, str]]]  # service, created, form


class Open311Connector(LookUpFirst[_Prepared]):
    """Delivers submissions to an Open311 GeoReport v2 server.

    Args:
        endpoint: the server's GeoReport v2 address, e.g.
            ``https://signalements.mairie.example/open311/v2`` (``/requests.json`` … are
            appended).
        api_key: the key the server gave this terminal (from the keyring).
        services: démarche id -> its Open311 service.
        deadline: seconds one HTTP request may take in all.
        jurisdiction_id: sent with every request when the server serves several.
        connect_timeout, probe_timeout, session: as ``BoundedHttp``.
    """

    def __init__(
        self,
        endpoint: str,
        api_key: str,
        services: Mapping[str, Open311Service],
        *,
        deadline: float,
        jurisdiction_id: str = "",
        connect_timeout: float = 5.0,
        probe_timeout: float = 3.0,
        session: requests.Session | None = None,
    ) -> None:
        check_base_url(endpoint, "the Open311 endpoint")
        if not api_key:
            raise ValueError("the Open311 api_key is empty")
        super().__init__(BoundedHttp(
            deadline=deadline, connect_timeout=connect_timeout, probe_timeout=probe_timeout,
            session=session,
        ))
        self.endpoint = endpoint.rstrip("/")
        self._api_key = api_key
        self.services = MappingProxyType(dict(services))
        self.jurisdiction_id = jurisdiction_id
        # Items whose next attempt may send without a look-up: nothing of them reached
        # the server, or a person chose to send again one the server could not be searched
        # for. In memory only: after a restart, the look-up comes first again.
        self._send_without_look_up: set[str] = set()

    def reachable(self) -> bool:
        """True when the server answers ``GET services.json`` (any status under 500)."""
        return self._http.reachable(self._url("services.json", []))

    def resolve_token(self, token: str) -> str | None:
        """The ``service_request_id`` the server gave the request it answered ``token`` for
        (``GET tokens/<token>.json``); None while it has none, or on any failure."""
        token = token.removeprefix(TOKEN_PREFIX)
        if not _REMOTE_ID.fullmatch(token):
            return None
        try:
            answer = self.get(f"tokens/{quote(token)}.json")
        except requests.RequestException:
            return None
        records = _records(answer.json()) if 200 <= answer.status < 300 else []
        found = [_remote_id(r.get("service_request_id")) for r in records or []]
        return next((remote for remote in found if remote), None)

    # ------------------------------------------------------------------ status

    def complete_link(self, link: Link) -> Link:
        """``link`` with the request's id once the server has made the request it answered
        a token for (``resolve_token``); ``link`` itself otherwise."""
        if not link.remote_reference.startswith(TOKEN_PREFIX):
            return link
        remote = self.resolve_token(link.remote_reference)
        return link if remote is None else Link(link.demarche_id, remote)

    def linked_status(self, link: Link) -> RequestStatus:
        """The status of the request ``link`` names (``GET requests/<id>.json``): ``open``
        is in progress, ``closed`` done, with ``agency_responsible`` and ``status_notes``.
        A request still known by its token only was received: the server has not made it.

        Raises ``UnknownReferenceError`` (a 404) or ``StatusUnavailableError``.
        """
        remote = link.remote_reference
        if remote.startswith(TOKEN_PREFIX):
            return RequestStatus(Status.RECEIVED)
        if not _REMOTE_ID.fullmatch(remote):
            raise StatusUnavailableError("status: the request's id cannot be asked about")
        return asked_status(
            lambda: self.get(f"requests/{quote(remote)}.json"),
            lambda reply: open311_request_status(reply, remote), remote, _reason,
        )

    # ------------------------------------------------------------------ LookUpFirst

    def _must_look_up(self, item: Outgoing) -> bool:
        if item.item_id in self._send_without_look_up:
            self._send_without_look_up.discard(item.item_id)
            return False
        return True

    def _prepare(self, item: Outgoing) -> _Prepared | Rejected:
        """The item's service, creation time and form fields, or why it cannot go."""
        try:
            submission = Submission.from_json(item.payload)
            created = dt.datetime.fromisoformat(submission.created_at).astimezone(dt.UTC)
        except (ValueError, KeyError, TypeError):
            return Rejected("payload is not a kiosk submission")
        service = self.services.get(submission.demarche_id)
        if service is None:
            return Rejected(f"no Open311 service for démarche {submission.demarche_id!r}")
        try:
            fields = request_fields(service, submission)
        except MappingError as error:
            return Rejected(str(error))
        return service, created, [("api_key", self._api_key), *fields, *self._jurisdiction()]

    def _look_up(self, item: Outgoing, prepared: _Prepared) -> Outcome | None:
        """The earlier request holding the item's reference as ``Delivered``, None when
        there is none, or the outcome that stops this attempt (nothing is sent)."""
        service, created, _ = prepared
        now = dt.datetime.now(dt.UTC)
        params = [
            ("service_code", service.service_code),
            ("start_date", (min(created, now) - LOOK_UP_MARGIN).strftime(DATE_FORMAT)),
            ("end_date", (now + LOOK_UP_MARGIN).strftime(DATE_FORMAT)),
            ("status", "open,closed"),
        ]
        answer = self.get("requests.json", params, limit=MAX_LOOK_UP_BYTES)
        if answer.status in RETRY_STATUSES or answer.status >= 500:
            return RetryLater(f"look-up: {_reason(answer)}",
                              parse_retry_after(answer.headers.get("Retry-After")))
        listed = _records(answer.json()) if 200 <= answer.status < 300 else None
        if listed is None:
            self._send_without_look_up.add(item.item_id)  # once a person has looked
            why = "answer unreadable" if 200 <= answer.status < 300 else _reason(answer)
            return Rejected(
                f"look-up: {why}: the server cannot be searched, so whether an earlier "
                "attempt arrived is unknown; look for the reference in the back office "
                "before sending again (sending again sends it without looking)"
            )
        for record in listed:
            text = record.get("description")
            if isinstance(text, str) and item.reference in text:
                return _delivered(record) or Delivered(None)
        return None

    def _send(self, item: Outgoing, prepared: _Prepared) -> Outcome:
        item_id, fields = item.item_id, prepared[2]
        try:
            answer = self._http.request(
                "POST", f"{self.endpoint}/requests.json", limit=MAX_ANSWER_BYTES,
                headers={"Accept": "application/json",
                         "Content-Type": "application/x-www-form-urlencoded"},
                data=urlencode(list(fields)).encode("ascii"),
            )
        except requests.RequestException as error:
            if _never_connected(error):
                self._send_without_look_up.add(item_id)
            raise
        if 200 <= answer.status < 300:
            delivered = _delivered(next(iter(_records(answer.json()) or []), {}))
            # Perhaps stored: the next attempt looks it up before sending anything.
            return delivered or RetryLater(f"submit: HTTP {answer.status} answer unreadable")
        outcome = _failure(answer)
        if isinstance(outcome, Rejected | Unauthorized):
            self._send_without_look_up.add(item_id)  # a refusal: nothing was stored
        return outcome

    def get(
        self, path: str, params: Sequence[tuple[str, str]] = (), *, limit: int = MAX_ANSWER_BYTES
    ) -> Answer:
        """``GET {endpoint}/{path}`` (with the jurisdiction), its answer at most ``limit``
        bytes; raises ``requests.RequestException`` on network trouble."""
        return self._http.request(
            "GET", self._url(path, params), limit=limit, headers={"Accept": "application/json"}
        )

    def _url(self, path: str, params: Sequence[tuple[str, str]]) -> str:
        """``{endpoint}/{path}`` with ``params`` and, for the GET calls, the jurisdiction."""
        query = [*params, *self._jurisdiction()]
        return f"{self.endpoint}/{path}" + (f"?{urlencode(query)}" if query else "")

    def _jurisdiction(self) -> list[tuple[str, str]]:
        return [("jurisdiction_id", self.jurisdiction_id)] if self.jurisdiction_id else []


def _never_connected(error: requests.RequestException) -> bool:
    """True when the request cannot have reached the server (no connection was made)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    cause = error.args[0] if error.args else None
    reason = getattr(cause, "reason", None)
    return isinstance(error, requests.ConnectionError) and isinstance(
        reason, urllib3.exceptions.NewConnectionError
    )


def _records(reply: Any) -> list[Mapping[str, Any]] | None:
    """The request records of an answer: a list of objects, or one object; else None."""
    if isinstance(reply, dict):
        reply = [reply]
    if not isinstance(reply, list) or not all(isinstance(r, dict) for r in reply):
        return None
    return reply


def _remote_id(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) and _REMOTE_ID.fullmatch(value) else None


def _delivered(record: Mapping[str, Any]) -> Delivered | None:
    """``Delivered`` with the record's id, or its token; None when it has neither."""
    remote = _remote_id(record.get("service_request_id"))
    if remote is not None:
        return Delivered(remote)
    token = _remote_id(record.get("token"))
    return Delivered(TOKEN_PREFIX + token) if token is not None else None


def _failure(answer: Answer) -> Outcome:
    """The outcome of a non-2xx answer to the POST (see the module docstring)."""
    status = answer.status
    reason = f"submit: {_reason(answer, _NO_SERVICE)}"
    if status in RETRY_STATUSES or status >= 500 or status < 400:
        return RetryLater(reason, parse_retry_after(answer.headers.get("Retry-After")))
    if status == 401 or (status == 403 and _meaning(answer) != _SERVICE):
        return Unauthorized(reason)
    return Rejected(reason)


def _errors(answer: Answer) -> list[Mapping[str, Any]]:
    """The error objects of an answer: ``[{code, description}]``, ``{code, detail}``…"""
    return [e for e in _records(answer.json()) or [] if "code" in e or "detail" in e
            or "description" in e]


def _meaning(answer: Answer) -> str | None:
    for error in _errors(answer):
        text = " ".join(str(error.get(k, "")) for k in ("description", "detail")).lower()
        meaning = next((m for pattern, m in _ABOUT if pattern.search(text)), None)
        if meaning is not None:
            return meaning
    return None


def _reason(answer: Answer, if_404: str | None = None) -> str:
    """``HTTP 400 codes 400: the server refused the location``: the status, the codes
    known to hold no free text, and a fixed meaning (``if_404`` for a 404 without one)."""
    reason = f"HTTP {answer.status}"
    codes = []
    for error in _errors(answer):
        code = error.get("code")
        text = str(code) if isinstance(code, int) and not isinstance(code, bool) else code
        if isinstance(text, str) and (_NUMERIC_CODE.fullmatch(text) or text in _KNOWN_CODES):
            codes.append(text)
    if codes:
        reason += " codes " + ",".join(dict.fromkeys(codes))
    meaning = _meaning(answer) or (if_404 if answer.status == 404 else None)
    return f"{reason}: {meaning}" if meaning else reason
