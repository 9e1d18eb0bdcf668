"""A fake Publik w.c.s., written from w.c.s.'s published behaviour (not from our connector).

Run in a subprocess on 127.0.0.1 by ``running_wcs()``; it prints ``LISTENING <url>`` once
it accepts connections. What it does as the real one does, read in w.c.s.'s source (the
snapshot kept in the public repository ``LoganSeven/publik_famille_demo``, commit
3654d1f7, folder ``wcs_snapshot/``: ``wcs/api_utils.py`` ``is_url_signed``, ``wcs/api.py``
``ApiFormdefDirectory.submit`` and ``ApiTrackingCodeDirectory``,
``wcs/backoffice/management.py`` ``FormPage.json`` (the listing), ``wcs/formdata.py``
``get_json_export_dict``, ``wcs/qommon/publisher.py`` ``finish_interrupted_request`` (the
error JSON)):

- Signatures: the ``orig`` must be known ("Invalid orig."), the signature is the standard
  base64 HMAC of the raw query up to ``&signature=`` with the orig's key ("Invalid
  signature."; the parameter is URL-decoded, so a raw ``+`` fails), the timestamp within
  30 s either way ("timestamp is more than 30 seconds in the past: …"), a nonce once
  (lower-cased, "Nonce already used."). Refusals are 403 ``{"err": 1, "err_class":
  "Access denied", "err_code", "err_desc"}``; a 404 is ``{"err": 1, "err_class": "Page not
  found", "err_code": "not-found", "err_desc": null}``; a crash is 500 ``{"err": 1}``.
- ``POST /api/formdefs/<slug>/submit``: 404 for an unknown form; 400 without a JSON
  content type; an unsigned call is "Unsigned API call."; ``meta.backoffice-submission``
  from an API access without a role is "User not authenticated." (w.c.s. needs an API
  user for it); stores ``data`` whatever it holds (w.c.s. validates nothing) with the
  next id of that form and answers ``{"err": 0, "data": {"id", "url", "backoffice_url",
  "api_url"}}``, plus ``"tracking_code"`` beside ``data`` when the form has tracking
  codes. ``meta.draft`` keeps it as a draft: not in the listing, no workflow status.
- ``GET /api/forms/<slug>/list?filter-<varname>=<value>``: the forms (drafts excluded)
  whose field equals the value exactly (a plain list of ``{"id", "display_id", "url",
  ...}``); 400 "Invalid filter" on a varname the form does not have.
- ``GET /api/forms/<slug>/<id>/``: one form's JSON (``{"id", "display_id", "url",
  "last_update_time", "fields", "workflow": {"status": {"id", "name", "endpoint"}}}``,
  ``"workflow": {}`` for a draft), 404 for a form it does not have, 403 "User not
  authenticated." to an API access without a role (a signature alone may list, not
  read one form). A form is in the default workflow's status ``new`` until an agent
  moves it.
- ``GET /api/code/<tracking code>`` (signed): ``{"err": 0, "url", "load_url"}``,
  ``load_url`` a temporary access link ``<site>/code/<64 characters>/load``; 404 for an
  unknown code or a form without tracking codes.
- ``GET /api/formdefs/<slug>/schema``: the form's schema (signed); ``fields`` of type
  ``string`` named by the varnames given, or the schema given for that slug; ``required``
  a string (w.c.s. since 2025) or, with ``"old_schema": true``, a boolean.
- ``GET /api/formdefs/``: the forms (unsigned).

Not modelled: which role may do what (an API access with a role may submit and read
every form; the refusals for missing roles are faults), the temporary access pages.

Test controls (never signed, never in the real server), JSON:

- ``POST /__fake__/faults`` ``{"submit": [...], "list": [...], "code": [...]}`` queues
  one fault per coming request of that kind (see ``SUBMIT_FAULTS``, ``LIST_FAULTS``, the
  latter for ``/api/code`` too);
  ``{"clear": true}`` forgets the faults still queued; ``{"status": {"slug", "id",
  "status", "name", "endpoint"}}`` moves a form to a status, as an agent would;
  ``{"clock_offset": s}`` moves the fake's clock; ``{"keys": {orig: key}, "roleless":
  [orig]}`` replaces the API accesses (those listed in ``roleless`` have no role).
- ``GET /__fake__/forms``: everything stored, ``{slug: [{"id", "data", "meta",
  "context"}]}``, and the submit requests seen (``"requests"``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.http_base import HANG_SECONDS, FakeHandler, FakeServer, Faults

WINDOW = dt.timedelta(seconds=30)

# What a submit request can be made to suffer, once each:
#   refuse           403 Invalid orig. (the API access was deleted), nothing stored
#   error            500 before storing
#   store-error      stored, then 500
#   store-drop       stored, then the connection closed without an answer
#   hang             no answer for HANG_SECONDS, nothing stored
#   store-hang       stored, then no answer for HANG_SECONDS
#   trickle          stored, then the answer one byte every TRICKLE_PAUSE
#   unknown-formdef  404, as if the form had been deleted
#   bad-field        400 as w.c.s. answers a refused value, nothing stored
#   no-bo-role       403 as for a form without back-office submission roles
#   store-stall      stored, then the answer's headers and half its body, then nothing
SUBMIT_FAULTS = frozenset({
    "refuse", "error", "store-error", "store-drop", "hang", "store-hang", "trickle",
    "unknown-formdef", "bad-field", "no-bo-role", "store-stall",
})
LIST_FAULTS = frozenset({"error", "drop", "hang"})


class Refusal(Exception):  # noqa: N818 - w.c.s.'s name for it is an error page
    """An error answer: status and the JSON w.c.s. gives."""

    def __init__(self, status: int, desc: str, code: str = "access-denied") -> None:
        super().__init__(desc)
        classes = {400: "Invalid request", 403: "Access denied", 404: "Page not found"}
        self.status = status
        self.body = {"err": 1, "err_class": classes.get(status, "Error"), "err_code": code,
                     "err_desc": None if status == 404 else desc}


def _simplify(nonce: str) -> str:
    """w.c.s. normalises a nonce (qommon.misc.simplify): lower case, words joined by -."""
    return re.sub(r"[^a-z0-9]+", "-", nonce[:128].lower()).strip("-")


@dataclass
class Verifier:
    """w.c.s.'s signature check, written from wcs/api_utils.py ``is_url_signed``."""

    keys: dict[str, str]
    roleless: frozenset[str] = frozenset()  # API accesses without a role
    seen_nonces: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, raw_query: str, now: dt.datetime,
              unsigned: str = "User not authenticated.") -> None:
        """Raise ``Refusal`` unless ``raw_query`` is signed as w.c.s. wants it
        (``unsigned``: what this endpoint says without a signature)."""
        form = parse_qs(raw_query, keep_blank_values=True)

        def one(name: str) -> str | None:
            values = form.get(name)
            return values[0] if values and len(values) == 1 else None

        signature = one("signature")
        if signature is None or "&signature=" not in raw_query:
            raise Refusal(403, unsigned)
        orig = one("orig")
        if orig is None:
            raise Refusal(403, "Missing/multiple orig field.")
        key = self.keys.get(orig)
        if not key:
            raise Refusal(403, "Invalid orig.")
        algo = one("algo")
        if algo is None:
            raise Refusal(403, "Missing/multiple algo field.")
        if algo not in hashlib.algorithms_guaranteed:
            raise Refusal(403, "Invalid algo.")
        signed = raw_query[: raw_query.find("&signature=")]
        expected = base64.standard_b64encode(
            hmac.new(key.encode(), signed.encode(), getattr(hashlib, algo)).digest()
        )
        if signature.encode() != expected:
            raise Refusal(403, "Invalid signature.")
        stamp = one("timestamp")
        if stamp is None:
            raise Refusal(403, "Missing/multiple timestamp field.")
        try:
            when = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError as error:
            raise Refusal(403, f"Invalid timestamp field; {error}.") from None
        delta = now.replace(tzinfo=None) - when
        if abs(delta) > WINDOW:
            period = "past" if delta.total_seconds() > 0 else "future"
            raise Refusal(403, f"timestamp is more than 30 seconds in the {period}: {abs(delta)}")
        nonce = one("nonce")
        if nonce:
            with self.lock:
                if _simplify(nonce) in self.seen_nonces:
                    raise Refusal(403, "Nonce already used.")
                self.seen_nonces.add(_simplify(nonce))


@dataclass
class Site:
    """The fake site's state: forms per slug, faults to come, the clock offset."""

    formdefs: dict[str, list[str]]  # slug -> its varnames
    verifier: Verifier
    base_url: str = ""
    forms: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    faults: Faults = field(
        default_factory=lambda: Faults(
            {"submit": SUBMIT_FAULTS, "list": LIST_FAULTS, "code": LIST_FAULTS}
        )
    )
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)  # slug -> as given
    tracking_codes: frozenset[str] = frozenset()  # the slugs of forms with tracking codes
    old_schema: bool = False
    clock_offset: float = 0.0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.clock_offset)

    def store(self, slug: str, body: dict[str, Any]) -> dict[str, Any]:
        """Keep a submitted form; the answer w.c.s. gives for it."""
        meta = body.get("meta")
        draft = isinstance(meta, dict) and bool(meta.get("draft"))
        with self.lock:
            stored = self.forms.setdefault(slug, [])
            number = str(len(stored) + 1)
            data = body.get("data")
            code = secrets.token_hex(4).upper() if slug in self.tracking_codes else None
            stored.append({"id": number, "data": data if isinstance(data, dict) else {},
                           "meta": body.get("meta"), "context": body.get("context"),
                           "status": None if draft else
                           {"id": "new", "name": "Nouveau", "endpoint": False},
                           "tracking_code": code,
                           "updated": self.now().strftime("%Y-%m-%dT%H:%M:%S")})
        answer: dict[str, Any] = {"err": 0, "data": self.links(slug, number)}
        if code is not None:
            answer["tracking_code"] = code
        return answer

    def links(self, slug: str, number: str) -> dict[str, str]:
        return {
            "id": number,
            "url": f"{self.base_url}/{slug}/{number}/",
            "backoffice_url": f"{self.base_url}/backoffice/management/{slug}/{number}/",
            "api_url": f"{self.base_url}/api/forms/{slug}/{number}/",
        }



class Handler(FakeHandler):
    server: Server

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header from the fake's clock (``clock_offset`` moves both)."""
        return super().date_time_string(self.server.site.now().timestamp())

    # ------------------------------------------------------------------ routing

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        site = self.server.site
        if parts.path == "/__fake__/forms":
            with site.lock:
                self._json(200, {"forms": site.forms, "requests": site.requests})
            return
        if parts.path == "/api/formdefs/":
            self._json(200, {"data": [{"slug": slug} for slug in site.formdefs]})
            return
        schema = re.fullmatch(r"/api/formdefs/([^/]+)/schema/?", parts.path)
        if schema:
            self._answer(lambda: self._schema(unquote(schema.group(1)), parts.query))
            return
        found = re.fullmatch(r"/api/forms/([^/]+)/list/?", parts.path)
        if found:
            self._answer(lambda: self._list(unquote(found.group(1)), parts.query))
            return
        code = re.fullmatch(r"/api/code/([A-Za-z0-9]+)/?", parts.path)
        if code:
            self._answer(lambda: self._code(code.group(1), parts.query))
            return
        one = re.fullmatch(r"/api/forms/([^/]+)/([0-9]+)/?", parts.path)
        if not one:
            self._json(404, Refusal(404, "not found", "not-found").body)
            return
        self._answer(lambda: self._one(unquote(one.group(1)), one.group(2), parts.query))

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/__fake__/faults":
            self._control()
            return
        found = re.fullmatch(r"/api/formdefs/([^/]+)/submit/?", parts.path)
        if not found:
            self._json(404, Refusal(404, "not found", "not-found").body)
            return
        self._answer(lambda: self._submit(unquote(found.group(1)), parts.query))

    def _answer(self, call: Any) -> None:
        try:
            call()
        except Refusal as refusal:
            self._json(refusal.status, refusal.body)

    # ------------------------------------------------------------------ the API

    def _submit(self, slug: str, query: str) -> None:
        site = self.server.site
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with site.lock:
            site.requests += 1
        fault = site.faults.next("submit")
        if slug not in site.formdefs or fault == "unknown-formdef":
            raise Refusal(404, "Page not found", "not-found")
        if fault == "refuse":
            raise Refusal(403, "Invalid orig.")
        site.verifier.check(query, site.now(), unsigned="Unsigned API call.")
        posted = self._posted(body)
        meta = posted.get("meta") or {}
        if isinstance(meta, dict) and meta.get("backoffice-submission") and (
            _orig(query) in site.verifier.roleless
        ):
            raise Refusal(403, "User not authenticated.")
        if fault == "no-bo-role":
            raise Refusal(403, "No backoffice submission roles on form.",
                          "no-backoffice-submission-role")
        if fault == "bad-field":
            raise Refusal(400, "Invalid value for field.", "invalid-request")
        if fault == "error":
            self._json(500, {"err": 1})
        elif fault == "hang":
            time.sleep(HANG_SECONDS)
        else:
            self._stored(site.store(slug, posted), fault)

    def _posted(self, body: bytes) -> dict[str, Any]:
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            raise Refusal(400, "Expected JSON but missing appropriate content-type.",
                          "invalid-request")
        try:
            posted = json.loads(body)
        except ValueError:
            raise Refusal(400, "Invalid JSON payload.", "invalid-request") from None
        if not isinstance(posted, dict):
            raise Refusal(400, "Invalid payload.", "invalid-request")
        return posted

    def _stored(self, answer: dict[str, Any], fault: str | None) -> None:
        """The answer to a stored form, as ``fault`` wants it."""
        if fault == "store-error":
            self._json(500, {"err": 1})
        elif fault == "store-drop":
            self.close_connection = True
        elif fault == "store-hang":
            time.sleep(HANG_SECONDS)
        elif fault in ("trickle", "store-stall"):
            self._trickle(answer, stall=fault == "store-stall")
        else:
            self._json(200, answer)

    def _list(self, slug: str, query: str) -> None:
        site = self.server.site
        if slug not in site.formdefs:
            raise Refusal(404, "Page not found", "not-found")
        site.verifier.check(query, site.now())
        fault = site.faults.next("list")
        if self._failed(fault, lambda: self._json(500, {"err": 1})):
            return
        filters = {
            name.removeprefix("filter-"): values[0]
            for name, values in parse_qs(query, keep_blank_values=True).items()
            if name.startswith("filter-")
        }
        for varname in filters:
            if varname not in site.formdefs[slug]:
                raise Refusal(400, "Invalid filter", "invalid-request")
        with site.lock:
            matching = [
                form for form in site.forms.get(slug, [])
                if form["status"] is not None  # w.c.s. never lists drafts
                and all(form["data"].get(name) == value for name, value in filters.items())
            ]
        self._json(200, [
            {**site.links(slug, form["id"]), "display_id": f"1-{form['id']}"}
            for form in matching
        ])

    def _schema(self, slug: str, query: str) -> None:
        site = self.server.site
        site.verifier.check(query, site.now())
        if slug not in site.formdefs:
            raise Refusal(404, "Page not found", "not-found")
        if slug in site.schemas:
            self._json(200, site.schemas[slug])
            return
        required = False if site.old_schema else "optional"
        self._json(200, {"name": slug, "slug": slug,
                         "enable_tracking_codes": slug in site.tracking_codes, "fields": [
            {"id": str(n), "label": varname, "type": "string", "varname": varname,
             "required": required}
            for n, varname in enumerate(site.formdefs[slug], 1)
        ]})

    def _one(self, slug: str, number: str, query: str) -> None:
        site = self.server.site
        site.verifier.check(query, site.now())
        if _orig(query) in site.verifier.roleless:
            raise Refusal(403, "User not authenticated.")
        with site.lock:
            found = [f for f in site.forms.get(slug, []) if f["id"] == number]
        if not found:
            raise Refusal(404, "Page not found", "not-found")
        form = found[0]
        status = form["status"]
        self._json(200, {
            **site.links(slug, number), "id": int(number), "display_id": f"1-{number}",
            "last_update_time": form["updated"], "fields": form["data"],
            "workflow": {"status": status, "real_status": status} if status else {},
        })

    def _code(self, code: str, query: str) -> None:
        site = self.server.site
        site.verifier.check(query, site.now(), unsigned="Missing signature.")
        if self._failed(site.faults.next("code"), lambda: self._json(500, {"err": 1})):
            return
        with site.lock:
            found = [(slug, f) for slug, forms in site.forms.items() for f in forms
                     if f.get("tracking_code") == code]
        if not found:
            raise Refusal(404, "Page not found", "not-found")
        slug, form = found[0]
        self._json(200, {"err": 0, "url": site.links(slug, form["id"])["url"],
                         "load_url": f"{site.base_url}/code/{secrets.token_hex(32)}/load"})

    def _control(self) -> None:
        site = self.server.site
        order = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        site.faults.order(order)
        with site.lock:
            site.clock_offset = float(order.get("clock_offset", site.clock_offset))
            if "keys" in order:
                site.verifier.keys = dict(order["keys"])
                site.verifier.roleless = frozenset(order.get("roleless", ()))
            change = order.get("status")
            # A draft too: its resident submitted it on their phone.
            for form in site.forms.get(change["slug"], []) if change else []:
                if form["id"] == str(change["id"]):
                    form["status"] = {k: change[k] for k in ("id", "name", "endpoint")
                                      if k in change} | {"id": change["status"]}
                    form["updated"] = site.now().strftime("%Y-%m-%dT%H:%M:%S")
        self._json(200, {"err": 0})


class Server(FakeServer):
    site: Site


CONFIG_ENV = "FAKE_WCS_CONFIG"  # JSON {"keys": {orig: key}, "formdefs": {slug: [varname]}}


def _orig(query: str) -> str:
    """The (already verified) ``orig`` of a signed query."""
    return parse_qs(query).get("orig", [""])[0]


def main() -> None:
    """Serve on a free port of 127.0.0.1 the site described by ``$FAKE_WCS_CONFIG``."""
    config = json.loads(os.environ[CONFIG_ENV])
    verifier = Verifier(dict(config["keys"]), frozenset(config.get("roleless", ())))
    site = Site(formdefs=config["formdefs"], verifier=verifier,
                schemas=config.get("schemas", {}), old_schema=config.get("old_schema", False),
                tracking_codes=frozenset(config.get("tracking_codes", ())))
    server = Server(site, Handler)
    site.base_url = server.url
    print(f"LISTENING {site.base_url}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
