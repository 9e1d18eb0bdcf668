"""A fake Open311 GeoReport v2 server, written from the specification (wiki.open311.org,
GeoReport v2) and from what a real one was seen doing, not from our connector.

Run in a subprocess on 127.0.0.1 by ``running_open311()``; it prints ``LISTENING <url>``
once it accepts connections. Two modes:

``spec`` (GeoReport v2 as written):
- ``GET services.json``; ``GET services/<code>.json`` (the attributes).
- ``POST requests.json`` (form data): 403 ``[{"code": 403, "description"}]`` for a missing
  or unknown ``api_key``; 404 for an unknown ``service_code``; 400 without a location
  (``lat`` and ``long``, or ``address_string``), with a ``description`` over 4000
  characters, or without a required attribute. Stored with a numeric id and the server's
  time; answers 200 ``[{"service_request_id", "service_notice"}]``.
- ``GET requests.json``: filters ``service_code`` (comma-separated), ``start_date``,
  ``end_date`` (on the stored time) and ``status``; ``GET requests/<id>.json``;
  ``GET tokens/<token>.json``.

``deviant`` (what 6aika/issue-reporting was seen doing): 201 with the whole record in a
one-element list; errors ``[{"code", "detail"}]``; an HTML 500 page for a missing
``api_key`` or location, or ``lat=0``; reads ``address`` (not ``address_string``);
``description`` required; ids are random strings; a token fault answers with an id (its
"batch" services do); ``services/<code>.json`` is a 404.

Test controls (never in a real server), JSON:

- ``POST /__fake__/control`` ``{"post": [...], "lookup": [...]}`` queues one fault per
  coming request of that kind (``POST_FAULTS``, ``LOOKUP_FAULTS``); ``{"clear": true}``
  forgets them; ``{"mode": "spec"|"deviant"}``; ``{"searchable": false}`` makes every
  ``GET requests.json`` a 404 (a server without search); ``{"status": {"id", "status",
  "status_notes"}}`` updates a request as an agent would.
- ``GET /__fake__/stored``: ``{"requests": [every stored record, with its form fields],
  "posts": how many POSTs arrived}``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.http_base import HANG_SECONDS, FakeHandler, FakeServer, Faults

MAX_DESCRIPTION = 4000
HTML_500 = b"<!DOCTYPE html><html><body><h1>Server Error (500)</h1></body></html>"

# What a POST can be made to suffer, once each:
#   refuse       403 invalid api_key, nothing stored
#   error        500 before storing
#   store-error  stored, then 500 (an HTML page)
#   store-drop   stored, then the connection closed without an answer
#   hang         no answer for HANG_SECONDS, nothing stored
#   store-hang   stored, then no answer for HANG_SECONDS
#   trickle      stored, then the answer one byte every TRICKLE_PAUSE
#   token        stored, answered with a token only (batch services; an id in deviant mode)
#   bad-service  403 "service_code not allowed for this api_key", nothing stored
POST_FAULTS = frozenset({
    "refuse", "error", "store-error", "store-drop", "hang", "store-hang", "trickle", "token",
    "bad-service",
})
LOOKUP_FAULTS = frozenset({"error", "drop", "hang", "unsupported"})


class Refusal(Exception):  # noqa: N818 - a GeoReport error answer
    """An error answer: status, code and description, shaped by the mode."""

    def __init__(self, status: int, description: str, code: int | str | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.code = status if code is None else code
        self.description = description


@dataclass
class Site:
    """The fake server's state."""

    services: dict[str, dict[str, Any]]  # code -> {"service_name", "attributes": [...]}
    api_keys: set[str]
    mode: str = "spec"
    searchable: bool = True
    records: list[dict[str, Any]] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> service_request_id
    faults: Faults = field(
        default_factory=lambda: Faults({"post": POST_FAULTS, "lookup": LOOKUP_FAULTS})
    )
    posts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def store(self, form: dict[str, list[str]], *, token: bool) -> dict[str, Any]:
        def one(name: str) -> str | None:
            return form[name][0] if name in form else None

        with self.lock:
            remote = (secrets.token_hex(6) if self.mode == "deviant"
                      else str(len(self.records) + 1))
            address = one("address") if self.mode == "deviant" else one("address_string")
            record = {
                "service_request_id": remote,
                "service_code": one("service_code"),
                "description": one("description") or "",
                "lat": one("lat"),
                "long": one("long"),
                "address": address,
                "status": "open",
                "status_notes": None,
                "requested_datetime": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "form": form,
            }
            self.records.append(record)
            if token:
                record["token"] = secrets.token_hex(8)
                self.tokens[record["token"]] = remote
        return record


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A record as GeoReport lists it (without the test's copy of the form)."""
    return {k: v for k, v in record.items() if k not in ("form", "token")}


class Handler(FakeHandler):
    server: Server

    # ------------------------------------------------------------------ routing

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        site = self.server.site
        path = parts.path.removeprefix("/open311/v2")
        query = parse_qs(parts.query, keep_blank_values=True)
        if path == "/__fake__/stored":
            with site.lock:
                self._json(200, {"requests": site.records, "posts": site.posts})
        elif path == "/services.json":
            self._json(200, [{"service_code": code, "service_name": s.get("service_name", code),
                              "metadata": bool(s.get("attributes")), "type": "realtime"}
                             for code, s in site.services.items()])
        elif path.startswith("/services/") and path.endswith(".json"):
            self._service(unquote(path[len("/services/"):-len(".json")]))
        elif path == "/requests.json":
            self._answer(lambda: self._search(query))
        elif path.startswith("/requests/") and path.endswith(".json"):
            self._one(unquote(path[len("/requests/"):-len(".json")]))
        elif path.startswith("/tokens/") and path.endswith(".json"):
            self._token(unquote(path[len("/tokens/"):-len(".json")]))
        else:
            self._error(Refusal(404, "Not found"))

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path.removeprefix("/open311/v2")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if path == "/__fake__/control":
            self._control(json.loads(body))
        elif path == "/requests.json":
            self._answer(lambda: self._post(body))
        else:
            self._error(Refusal(404, "Not found"))

    def _answer(self, call: Any) -> None:
        try:
            call()
        except Refusal as refusal:
            self._error(refusal)

    # ------------------------------------------------------------------ the API

    def _post(self, body: bytes) -> None:
        site = self.server.site
        with site.lock:
            site.posts += 1
        fault = site.faults.next("post")
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        if site.mode == "deviant":
            self._deviant_checks(form)
        if form.get("api_key", [""])[0] not in site.api_keys or fault == "refuse":
            raise Refusal(403, "Invalid api_key received -- can't proceed with create_request.")
        code = form.get("service_code", [""])[0]
        if code not in site.services:
            raise Refusal(404, "Service not found", "not_found" if site.mode == "deviant" else None)
        if fault == "bad-service":
            raise Refusal(403, "This api_key may not post to this service_code.")
        self._spec_checks(form, site.services[code])
        if fault == "error":
            self._html(500)
            return
        if fault == "hang":
            time.sleep(HANG_SECONDS)
            return
        record = site.store(form, token=fault == "token" and site.mode == "spec")
        if fault == "store-error":
            self._html(500)
        elif fault == "store-drop":
            self.close_connection = True
        elif fault == "store-hang":
            time.sleep(HANG_SECONDS)
        elif fault == "trickle":
            self._trickle(self._created(record))
        elif "token" in record:
            self._json(200, [{"token": record["token"]}])
        else:
            self._json(201 if site.mode == "deviant" else 200, self._created(record))

    def _created(self, record: dict[str, Any]) -> list[dict[str, Any]]:
        if self.server.site.mode == "deviant":
            return [public(record)]
        return [{"service_request_id": record["service_request_id"],
                 "service_notice": "Merci, la demande est enregistrée."}]

    def _deviant_checks(self, form: dict[str, list[str]]) -> None:
        """6aika: a crash for a missing api_key or location, or lat=0; description required."""
        located = ("lat" in form and "long" in form) or "address" in form
        if "api_key" not in form or not located or form.get("lat", ["x"])[0] in ("0", "0.0"):
            raise _Crash
        if not form.get("description", [""])[0]:
            raise Refusal(400, "This field is required.", "required")

    def _spec_checks(self, form: dict[str, list[str]], service: dict[str, Any]) -> None:
        if self.server.site.mode == "spec":
            located = ("lat" in form and "long" in form) or "address_string" in form
            if not located:
                raise Refusal(400, "A location is required: lat and long, or address_string.")
        if len(form.get("description", [""])[0]) > MAX_DESCRIPTION:
            raise Refusal(400, "description is longer than 4000 characters")
        for attribute in service.get("attributes", []):
            name = f"attribute[{attribute['code']}]"
            if attribute.get("required") and name not in form and f"{name}[]" not in form:
                raise Refusal(400, f"attribute {attribute['code']} is required")

    def _search(self, query: dict[str, list[str]]) -> None:
        site = self.server.site
        fault = site.faults.next("lookup")
        if not site.searchable or fault == "unsupported":
            self._html(404)
            return
        if self._failed(fault, lambda: self._html(500)):
            return
        codes = set(query["service_code"][0].split(",")) if "service_code" in query else None
        statuses = set(query.get("status", ["open,closed"])[0].split(","))
        try:
            start = _date(query.get("start_date"), dt.datetime.min.replace(tzinfo=dt.UTC))
            end = _date(query.get("end_date"), dt.datetime.max.replace(tzinfo=dt.UTC))
        except ValueError:
            raise Refusal(400, "start_date and end_date are w3c dates") from None
        with site.lock:
            listed = [
                public(r) for r in site.records
                if (codes is None or r["service_code"] in codes) and r["status"] in statuses
                and start <= dt.datetime.fromisoformat(r["requested_datetime"]) <= end
            ]
        self._json(200, listed)

    def _service(self, code: str) -> None:
        site = self.server.site
        if site.mode == "deviant" or code not in site.services:
            self._error(Refusal(404, "Not found"))
            return
        self._json(200, {"service_code": code,
                         "attributes": site.services[code].get("attributes", [])})

    def _one(self, remote: str) -> None:
        site = self.server.site
        with site.lock:
            found = [public(r) for r in site.records if r["service_request_id"] == remote]
        if found:
            self._json(200, found)
        else:
            self._error(Refusal(404, "Not found"))

    def _token(self, token: str) -> None:
        site = self.server.site
        with site.lock:
            remote = site.tokens.get(token)
        if remote is None:
            self._error(Refusal(404, "Not found"))
        else:
            self._json(200, [{"service_request_id": remote, "token": token}])

    def _control(self, order: dict[str, Any]) -> None:
        site = self.server.site
        site.faults.order(order)
        with site.lock:
            site.mode = order.get("mode", site.mode)
            site.searchable = bool(order.get("searchable", site.searchable))
            change = order.get("status")
            for record in site.records:
                if change and record["service_request_id"] == change["id"]:
                    record["status"] = change["status"]
                    record["status_notes"] = change.get("status_notes")
        self._json(200, {"ok": True})

    # ------------------------------------------------------------------ answers

    def _error(self, refusal: Refusal) -> None:
        if isinstance(refusal, _Crash):
            self._html(500)
            return
        key = "detail" if self.server.site.mode == "deviant" else "description"
        self._json(refusal.status, [{"code": refusal.code, key: refusal.description}])

    def _html(self, status: int) -> None:
        self._send(status, HTML_500 if status == 500 else b"<html>Not Found</html>",
                   "text/html")


class _Crash(Refusal):
    """What a Django server answers when its code fails on the input: an HTML 500."""

    def __init__(self) -> None:
        super().__init__(500, "Server Error")


def _date(values: list[str] | None, default: dt.datetime) -> dt.datetime:
    if not values:
        return default
    moment = dt.datetime.fromisoformat(values[0])
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Server(FakeServer):
    site: Site


CONFIG_ENV = "FAKE_OPEN311_CONFIG"  # JSON {"api_keys": [...], "services": {code: {...}}}


def main() -> None:
    """Serve on a free port of 127.0.0.1 the server described by ``$FAKE_OPEN311_CONFIG``."""
    config = json.loads(os.environ[CONFIG_ENV])
    site = Site(services=config["services"], api_keys=set(config["api_keys"]),
                mode=config.get("mode", "spec"))
    server = Server(site, Handler)
    print(f"LISTENING {server.url}/open311/v2", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
