"""Delivery to Publik w.c.s. (Entr'ouvert's forms engine, run by many French communes).

``WcsConnector.deliver`` turns one queued submission into a signed
``POST /api/formdefs/<slug>/submit`` (body ``{"data": {varname: value}, "meta": {},
"context": {"channel": ...}}``, ``"meta": {"draft": true}`` for a FranceConnect démarche)
and whatever happens into one of the queue's outcomes; it never raises for network or
server trouble.

What w.c.s. does with it, read in its source (``wcs/api.py``
``ApiFormdefDirectory.submit``, in the snapshot kept in the public repository
``LoganSeven/publik_famille_demo``, commit 3654d1f7, folder ``wcs_snapshot/``; see
docs/back-office.md "How w.c.s. does it"): an API access with a role is an API user, and
w.c.s. records its forms as back-office submissions (the form's back-office submission
roles must hold that role) whatever ``meta`` says; ``meta.backoffice-submission`` asks
the same of a signature without an API user and is refused for it ("User not
authenticated."), so the kiosk never sends it. ``context.channel`` becomes the form's
submission channel. ``meta.draft`` stores a draft (workflow not started) and answers as
for a form, plus ``tracking_code`` beside ``data`` when the form has tracking codes; a
draft is opened on another device only through its tracking code, so for a draft the
connector asks ``GET /api/code/<code>`` for the temporary access link (``load_url``,
valid 5 minutes) and gives that as the outcome's URL (the receipt's QR code). w.c.s. never
lists drafts: the look-up below cannot find one (docs/back-office.md says what remains).

Exactly once although w.c.s. has no idempotency on submit: the submission's UUID is sent
in a field of the form (``WcsForm.uuid_varname``, e.g. ``kiosk_uuid``). An attempt that is
not the item's first (the queue counts an attempt before anything is sent, and keeps the
count across a crash) first asks ``GET /api/forms/<slug>/list?filter-<varname>=<uuid>``
and sends only when w.c.s. has no form with that UUID; when the look-up fails, nothing is
sent and the item waits. So a timeout, a connection dropped after sending or a 5xx never
lead to a second form.

How w.c.s.'s answers are classified (reasons carry the status, w.c.s.'s ``err_code``
and, for the messages listed in ``_KNOWN_REFUSALS``, a fixed description; never free
text, which could echo personal data):

- 200 ``{"err": 0, "data": {"id", "url", ...}}``: ``Delivered(id, url)`` (a draft:
  ``Delivered(id, load_url)``, or no URL when the draft's link cannot be had).
- 403 "timestamp is more than 30 seconds…" or "Nonce already used.": ``RetryLater``
  (the next attempt signs afresh; a terminal clock off by more than 30 s needs NTP).
- 403 about one form (disabled, no back-office submission role, the API access's role
  not allowed on it, "Unsufficient roles." on the look-up): ``Rejected``: other démarches
  may still go through.
- Any other 401/403 (invalid orig, invalid signature, not authenticated): ``Unauthorized``,
  which pauses the whole queue.
- 404 (no such form) and 400 (a refused field, JSON refused, an unknown filter):
  ``Rejected`` with the reason: the item goes aside for a person to look at.
- 408, 409, 425, 429, 5xx, a 2xx that cannot be read, 3xx (never followed), timeouts and
  network errors: ``RetryLater``; the next attempt looks the UUID up first.

Every HTTP request is bounded by ``deadline`` seconds in all, its answer by
``MAX_ANSWER_BYTES`` (``kiosk.connectors.bounded_http``). ``deliver`` makes at most two
requests (look-up, then submit), three for a draft (then its link).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

import requests

from kiosk.catalog.backoffices import WCS_SLUG as _SLUG
from kiosk.catalog.backoffices import WCS_VARNAME as _VARNAME
from kiosk.connectors.answer_mapping import MappingError, mapped_choice
from kiosk.connectors.base_url import check_base_url
from kiosk.connectors.bounded_http import Answer, BoundedHttp, describe_network_error
from kiosk.connectors.http_api import parse_retry_after
from kiosk.connectors.look_up_first import LookUpFirst
from kiosk.connectors.remote_status import asked_status, wcs_request_status
from kiosk.connectors.wcs_signing import signed_query
from kiosk.domain.request_status import Link, RequestStatus, StatusUnavailableError
from kiosk.domain.submission import Submission
from offline_queue.connector import Delivered, Outcome, Outgoing, Rejected, RetryLater, Unauthorized

MAX_ANSWER_BYTES = 256 * 1024  # a look-up lists at most a few forms; more is not read
RETRY_STATUSES = frozenset({408, 409, 425, 429})
AUTH_STATUSES = frozenset({401, 403})
# w.c.s. names the channels mail, email, phone, counter, fax, web and social-network
# (FormData.get_submission_channels) and shows any other one as "Web": a terminal in a
# town hall's or social centre's hall is a counter.
DEFAULT_CHANNEL = "counter"

_ERR_CODE = re.compile(r"[a-z0-9_-]{1,64}")
_TRACKING_CODE = re.compile(r"[A-Za-z0-9]{1,64}")
_REMOTE_ID = re.compile(r"[0-9]{1,20}")
_REMOTE_URL = re.compile(r"https?://[\x21-\x7e]{1,2040}")
_log = logging.getLogger(__name__)

# w.c.s.'s fixed refusal messages (wcs/api_utils.py, wcs/api.py) -> what they mean here.
# Matched by prefix: the timestamp message goes on with the offset.
_CLOCK = "the terminal's clock is more than 30 s away from w.c.s.'s (check NTP)"
_NONCE = "w.c.s. saw this nonce already"
_FORM_REFUSALS: tuple[tuple[str, str], ...] = (  # about one form: that item goes aside
    ("Disabled form", "the form is disabled"),
    ("No backoffice submission roles", "the form has no back-office submission role"),
    ("User is not allowed to perform backoffice submission",
     "the API access's role may not submit this form in the back office"),
    ("Unsufficient roles", "the API access's role may not list this form"),
)
_KNOWN_REFUSALS: tuple[tuple[str, str], ...] = (
    ("timestamp is more than", _CLOCK),
    ("Nonce already used", _NONCE),
    ("Invalid orig", "w.c.s. does not know this API access (orig)"),
    ("Invalid signature", "w.c.s. refused the signature (wrong key?)"),
    ("Missing/multiple", "w.c.s. found a signature parameter missing or repeated"),
    ("User not authenticated", "w.c.s. saw no API user (an API access without a role?)"),
    ("Unsigned API call", "w.c.s. saw no signature"),
    ("Expected JSON", "w.c.s. refused the body (not JSON)"),
    ("Invalid filter", "the form has no field for the submission's UUID"),
    *_FORM_REFUSALS,
)
_PASSING = frozenset({_CLOCK, _NONCE})
_ONE_FORM = frozenset(meaning for _, meaning in _FORM_REFUSALS)


@dataclass(frozen=True)
class WcsField:
    """Where one answer of a démarche goes in the w.c.s. form.

    ``varname``: the w.c.s. field's identifier. ``choices``: the kiosk's choice value (or
    place id) -> w.c.s.'s value, for choice questions whose values differ and for places
    (their coordinates, ``"lat;long"``); empty: sent as they are; when given, a value
    missing from it is refused rather than sent wrong.
    """

    varname: str
    choices: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if not _VARNAME.fullmatch(self.varname):
            raise ValueError(f"invalid w.c.s. varname {self.varname!r}")


@dataclass(frozen=True)
class WcsForm:
    """One démarche as a w.c.s. form.

    ``slug``: the formdef's URL name. ``fields``: the kiosk's answer key -> its field.
    ``ignored``: answers deliberately not sent (any other unmapped answer makes the item
    refused, never silently dropped). ``uuid_varname``: the field holding the
    submission's UUID, what makes delivery exactly-once. ``draft``: sent as a draft
    (``meta.draft``) that the resident finishes on their phone, signed in with
    FranceConnect (the receipt's QR code holds the ``url`` w.c.s. gives for it).
    """

    slug: str
    fields: Mapping[str, WcsField]
    uuid_varname: str = "kiosk_uuid"
    ignored: frozenset[str] = frozenset()
    draft: bool = False

    def __post_init__(self) -> None:
        if not _SLUG.fullmatch(self.slug):
            raise ValueError(f"invalid w.c.s. form slug {self.slug!r}")
        if not _VARNAME.fullmatch(self.uuid_varname):
            raise ValueError(f"invalid w.c.s. varname {self.uuid_varname!r}")
        varnames = [f.varname for f in self.fields.values()]
        if self.uuid_varname in varnames or len(set(varnames)) != len(varnames):
            raise ValueError(f"form {self.slug}: two answers go to the same w.c.s. field")


def form_data(form: WcsForm, submission: Submission) -> dict[str, Any]:
    """The ``data`` object of the submit body (raises ``MappingError``)."""
    data: dict[str, Any] = {form.uuid_varname: submission.id}
    for key, value in submission.answers.items():
        target = form.fields.get(key)
        if target is None:
            if key in form.ignored:
                continue
            raise MappingError(f"answer {key!r} has no field in w.c.s. form {form.slug}")
        data[target.varname] = _value(value, target, key)
    return data


def _value(value: object, target: WcsField, key: str) -> Any:
    if isinstance(value, tuple):
        return [mapped_choice(target.choices, item, key, "w.c.s.") for item in value]
    if isinstance(value, str):
        return mapped_choice(target.choices, value, key, "w.c.s.")
    if isinstance(value, Mapping):
        if "id" in value:  # a place of the catalog's list: its value (coordinates "lat;long")
            return mapped_choice(target.choices, str(value["id"]), key, "w.c.s.")
        if "text" in value:  # a place typed by the resident: the address as typed
            return str(value["text"])
        return dict(value)  # an address, or coordinates {"lat", "lon"} (map fields take them)
    return value  # numbers and booleans as they are


_Prepared = tuple[WcsForm, dict[str, Any]]  # the item's form and its ``data``


class WcsConnector(LookUpFirst[_Prepared]):
    """Delivers submissions to a w.c.s. site through its signed API.

    Args:
        base_url: the w.c.s. site, e.g. ``https://demarches.mairie.example`` (paths
            ``/api/...`` are appended).
        orig: the API access identifier set up in w.c.s.
        key: that access's key (from the keyring, never from the configuration file).
        forms: démarche id -> its w.c.s. form.
        deadline: seconds one HTTP request may take in all.
        connect_timeout: seconds to establish a connection (at most ``deadline``).
        probe_timeout: seconds for ``reachable()``.
        channel: ``context.channel`` sent with every form.
        session: a ``requests.Session`` (tests); TLS verification stays on anyway.
    """

    def __init__(
        self,
        base_url: str,
        orig: str,
        key: str,
        forms: Mapping[str, WcsForm],
        *,
        deadline: float,
        connect_timeout: float = 5.0,
        probe_timeout: float = 3.0,
        channel: str = DEFAULT_CHANNEL,
        session: requests.Session | None = None,
    ) -> None:
        check_base_url(base_url, "the w.c.s. URL")
        super().__init__(BoundedHttp(
            deadline=deadline, connect_timeout=connect_timeout, probe_timeout=probe_timeout,
            session=session,
        ), most_requests=3 if any(form.draft for form in forms.values()) else 2)
        signed_query((), orig, key)  # fail early on an empty orig or key
        self.base_url = base_url.rstrip("/")
        self.orig = orig
        self._key = key
        self.forms = MappingProxyType(dict(forms))
        self.channel = channel

    # ------------------------------------------------------------------ LookUpFirst

    def _prepare(self, item: Outgoing) -> _Prepared | Rejected:
        """The item's form and ``data``, or why it cannot go to w.c.s. at all."""
        try:
            submission = Submission.from_json(item.payload)
        except (ValueError, KeyError, TypeError):
            return Rejected("payload is not a kiosk submission")
        form = self.forms.get(submission.demarche_id)
        if form is None:
            return Rejected(f"no w.c.s. form for démarche {submission.demarche_id!r}")
        try:
            return form, form_data(form, submission)
        except MappingError as error:
            return Rejected(str(error))

    def reachable(self) -> bool:
        """True when w.c.s. answers ``GET /api/formdefs/`` (any status under 500)."""
        return self._http.reachable(self.base_url + "/api/formdefs/")

    # ------------------------------------------------------------------ status

    def complete_link(self, link: Link) -> Link:
        """w.c.s. gives a form's id at once: ``link`` as it is."""
        return link

    def linked_status(self, link: Link) -> RequestStatus:
        """The status of the form ``link`` names (signed ``GET /api/forms/<slug>/<id>/``).

        Raises ``UnknownReferenceError`` (w.c.s. has no such form) or
        ``StatusUnavailableError`` (network, another answer, no status that can be read).
        """
        form = self.forms.get(link.demarche_id)
        if form is None or not _REMOTE_ID.fullmatch(link.remote_reference):
            raise StatusUnavailableError("status: no w.c.s. form for this request's démarche")
        remote = link.remote_reference
        return asked_status(
            lambda: self.signed_get(f"/api/forms/{quote(form.slug)}/{remote}/"),
            wcs_request_status, remote, _reason,
        )

    # ------------------------------------------------------------------ the two calls

    def _look_up(self, item: Outgoing, prepared: _Prepared) -> Outcome | None:
        """The earlier form with this UUID as ``Delivered``, None when there is none, or
        the outcome that stops this attempt (the look-up failed: nothing is sent)."""
        form, item_id = prepared[0], item.item_id
        answer = self.signed_get(
            f"/api/forms/{quote(form.slug)}/list", [(f"filter-{form.uuid_varname}", item_id)]
        )
        if not 200 <= answer.status < 300:
            return _failure(answer, "look-up")
        listed = answer.json()
        if isinstance(listed, dict) and listed.get("err") == 0:
            listed = listed.get("data")  # the wrapped shape some versions answer
        if not isinstance(listed, list) or not all(isinstance(f, dict) for f in listed):
            return RetryLater(f"look-up: HTTP {answer.status} answer unreadable")
        if not listed:
            return None
        if len(listed) > 1:
            _log.warning("w.c.s. holds %d forms for submission %s", len(listed), item_id)
        first = min(listed, key=lambda f: _sort_key(f.get("id")))
        return _delivered(first)

    def _send(self, item: Outgoing, prepared: _Prepared) -> Outcome:
        form, data = prepared
        body = json.dumps(
            {
                "data": data,
                "meta": {"draft": True} if form.draft else {},
                "context": {"channel": self.channel},
            },
            ensure_ascii=False,
            allow_nan=False,
        ).encode("utf-8")
        answer = self._request(
            "POST", f"/api/formdefs/{quote(form.slug)}/submit", [], body=body
        )
        if not 200 <= answer.status < 300:
            return _failure(answer, "submit")
        reply = answer.json()
        created = reply.get("data") if isinstance(reply, dict) and reply.get("err") == 0 else None
        if not isinstance(created, dict):
            # Perhaps stored: the next attempt looks it up before sending anything.
            return RetryLater(f"submit: HTTP {answer.status} answer unreadable")
        delivered = _delivered(created)
        if form.draft:
            return Delivered(delivered.remote_reference, self._draft_link(form, reply))
        return delivered

    def _draft_link(self, form: WcsForm, reply: Mapping[str, Any]) -> str | None:
        """The temporary link that opens a just stored draft on the resident's phone, or
        None. Never raises: the draft is stored, and a re-send would store a second one."""
        code = reply.get("tracking_code")
        if not isinstance(code, str) or not _TRACKING_CODE.fullmatch(code):
            _log.warning("w.c.s. gave no tracking code for a draft of form %s: enable "
                         "tracking codes on it, or residents cannot open it", form.slug)
            return None
        try:
            answer = self.signed_get(f"/api/code/{code}")
        except requests.RequestException as error:
            _log.warning("no link for a draft of form %s: %s", form.slug,
                         describe_network_error(error))
            return None
        link = answer.json()
        url = link.get("load_url") if isinstance(link, dict) and link.get("err") == 0 else None
        if answer.status != 200 or not isinstance(url, str) or not _REMOTE_URL.fullmatch(url):
            _log.warning("no link for a draft of form %s: %s", form.slug, _reason(answer))
            return None
        return url

    # ------------------------------------------------------------------ plumbing

    def signed_get(self, path: str, params: Sequence[tuple[str, str]] = ()) -> Answer:
        """``GET {site}{path}``, signed now (look-ups, statuses, schemas, the doctor);
        raises ``requests.RequestException`` on network trouble."""
        return self._request("GET", path, params)

    def _request(
        self,
        method: str,
        path: str,
        params: Sequence[tuple[str, str]],
        *,
        body: bytes | None = None,
    ) -> Answer:
        """One request, signed now, bounded by ``deadline`` in all."""
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        query = signed_query(params, self.orig, self._key)
        return self._http.request(
            method, f"{self.base_url}{path}?{query}", limit=MAX_ANSWER_BYTES, headers=headers,
            data=body,
        )


def _delivered(created: Mapping[str, Any]) -> Delivered:
    remote_id = created.get("id")
    if isinstance(remote_id, int) and not isinstance(remote_id, bool):
        remote_id = str(remote_id)
    url = created.get("url")
    return Delivered(
        remote_id if isinstance(remote_id, str) and _REMOTE_ID.fullmatch(remote_id) else None,
        url if isinstance(url, str) and _REMOTE_URL.fullmatch(url) else None,
    )


def _sort_key(remote_id: object) -> int:
    """The earliest form first (w.c.s. numbers forms in order); unreadable ids last."""
    text = str(remote_id)
    return int(text) if _REMOTE_ID.fullmatch(text) else 10**21


def _failure(answer: Answer, call: str) -> Outcome:
    """The outcome of a non-2xx answer (see the module docstring)."""
    status = answer.status
    reason = f"{call}: {_reason(answer)}"
    if status in RETRY_STATUSES or status >= 500:
        return RetryLater(reason, parse_retry_after(answer.headers.get("Retry-After")))
    if status in AUTH_STATUSES:
        meaning = _known_refusal(answer)
        if meaning in _PASSING:
            return RetryLater(reason)
        return Rejected(reason) if meaning in _ONE_FORM else Unauthorized(reason)
    if 400 <= status < 500:
        return Rejected(reason)
    return RetryLater(reason)  # 1xx/3xx: not a verdict on the item; a technician looks


def describe_refusal(answer: Answer) -> tuple[str, str | None]:
    """A refusal's reason (``HTTP 403 access-denied: …``) and its fixed meaning, if known."""
    return _reason(answer), _known_refusal(answer)


def _known_refusal(answer: Answer) -> str | None:
    reply = answer.json()
    desc = reply.get("err_desc") if isinstance(reply, dict) else None
    if not isinstance(desc, str):
        return None
    return next((meaning for start, meaning in _KNOWN_REFUSALS if desc.startswith(start)), None)


def _reason(answer: Answer) -> str:
    """``HTTP 403 access-denied: w.c.s. refused the signature (wrong key?)``."""
    reason = f"HTTP {answer.status}"
    reply = answer.json()
    code = reply.get("err_code") if isinstance(reply, dict) else None
    if isinstance(code, str) and _ERR_CODE.fullmatch(code):
        reason += f" {code}"
    meaning = _known_refusal(answer)
    if meaning is None and answer.status == 404:
        meaning = "w.c.s. has no such form"
    return f"{reason}: {meaning}" if meaning else reason

