"""The receiver's HTTP API (Starlette): the server side of docs/api/openapi.yaml."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kiosk.catalog.version import catalog_version
from kiosk.connectors.signing import DEFAULT_MAX_SKEW, SignatureError, verify_request
from kiosk.domain.reference import normalise_reference
from kiosk.receiver.answers import error
from kiosk.receiver.bodies import BodyError, check_heartbeat, check_submission, is_json_media_type
from kiosk.receiver.console.store import ConsoleStore
from kiosk.receiver.console.web import Console
from kiosk.receiver.faults import (
    RETRY_AFTER_STATUSES,
    ASGIApp,
    FaultPlan,
    drop_connection,
    expose_abort,
)
from kiosk.receiver.mediator_api import MediatorApi
from kiosk.receiver.storage import ReceiverStore, StoredAnswer

MAX_SUBMISSION_BYTES = 20 * 1024 * 1024
MAX_HEARTBEAT_BYTES = 2 * 1024 * 1024  # a few days of statistics (docs/statistics.md)
REPLAYED_HEADER = "Idempotent-Replayed"
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,128}")
_log = logging.getLogger("kiosk.receiver")


@dataclass
class ReceiverSettings:
    """Everything the receiver app needs (built by ``kiosk-receiver serve``)."""

    db: Path | str  # a SQLite file, or a postgresql:// URL (kiosk/receiver/database.py)
    secret_for: Callable[[str], bytes | None]
    catalog: Path | None = None
    max_skew: float = DEFAULT_MAX_SKEW
    faults: FaultPlan = field(default_factory=lambda: FaultPlan(()))
    hang_seconds: float = 30.0
    retry_after_seconds: int = 1
    processing_delay: float = 0.0  # seconds a first submission stays "in progress" (tests)
    max_submission_bytes: int = MAX_SUBMISSION_BYTES


class _Catalog:
    """The catalog file, re-read when it changes on disk, with its strong ETag."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._stamp: tuple[float, int] | None = None
        self.body = b""
        self.etag = ""

    def current(self) -> tuple[bytes, str] | None:
        if self.path is None:
            return None
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime, stat.st_size)
            if stamp != self._stamp:
                self.body = self.path.read_bytes()
                self.etag = f'"{catalog_version(self.body)}"'
                self._stamp = stamp
        except OSError:
            return None
        return self.body, self.etag


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of an ``If-None-Match`` list with our ETag."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


class Receiver:
    """The endpoints, sharing one store and the in-progress keys.

    Every call to the store runs in Starlette's thread pool (``run_in_threadpool``): a
    statement waits on a disk or a database server, and on the event loop it would stop
    every other request meanwhile. Several requests' statements are then in flight at
    once, each on a connection of its own (kiosk/receiver/database.py).
    """

    def __init__(self, settings: ReceiverSettings, store: ReceiverStore) -> None:
        self.settings = settings
        self.store = store
        self.catalog = _Catalog(settings.catalog)
        # Keys whose first request is in its processing delay here (tests), with their
        # body digest. Otherwise the UNIQUE key in the database decides between concurrent
        # requests, of this process or another (ReceiverStore.add_submission).
        self.in_progress: dict[str, str] = {}

    async def _verified(
        self, request: Request, limit: int, *, json_body: bool = True
    ) -> tuple[str, bytes] | Response:
        """The signing terminal and the body, or the error answer to send.

        Checked in this order: size (413), signature (401), media type (415).
        """
        body = await _read_body(request, limit)
        if isinstance(body, Response):
            return body
        raw_path = request.scope.get("raw_path") or request.url.path.encode("ascii")
        path = raw_path.decode("latin-1")
        if request.url.query:
            path += "?" + request.url.query
        try:
            verified = verify_request(
                self.settings.secret_for,
                request.headers,
                request.method,
                path,
                body,
                max_skew=self.settings.max_skew,
            )
        except SignatureError as refusal:
            _log.warning("refused %s %s: %s", request.method, request.url.path, refusal)
            return error(401, refusal.code, str(refusal))
        if json_body and not is_json_media_type(request.headers.get("content-type")):
            return error(415, "unsupported_media_type", "Content-Type must be application/json")
        return verified.terminal_id, body

    # ------------------------------------------------------------------ endpoints

    async def submissions(self, request: Request) -> Response:
        checked = await self._verified(request, self.settings.max_submission_bytes)
        if isinstance(checked, Response):
            return checked
        terminal_id, body = checked
        key = request.headers.get("idempotency-key", "")
        if not _IDEMPOTENCY_KEY.fullmatch(key):
            return error(400, "missing_idempotency_key", "Idempotency-Key: 1-128 visible ASCII")
        try:
            check_submission(body)
        except BodyError as refusal:
            return error(400, refusal.code, str(refusal))
        action = self.settings.faults.next_action()
        if action != "ok":
            await run_in_threadpool(self.store.record_fault, action, key)
            faulty = await self._fault(request, action)
            if faulty is not None:
                return faulty
        response = await self._idempotent(key, terminal_id, body)
        if action == "lost":  # stored (or replayed), but the answer never reaches the kiosk
            await drop_connection(request.scope)
        return response

    async def _idempotent(self, key: str, terminal_id: str, body: bytes) -> Response:
        """Store a first submission, replay the answer to a repeat, refuse a reused key."""
        digest = hashlib.sha256(body).hexdigest()
        if self.settings.processing_delay > 0:
            refusal = await self._delay_first(key, digest)
            if refusal is not None:
                return refusal
        answer, first = await run_in_threadpool(
            self._stored_or_added, key, terminal_id, digest, body
        )
        if first:
            _log.info("submission %s from %s stored", key, terminal_id)
            return _stored(answer, replayed=False)
        if answer.body_sha256 == digest:
            return _stored(answer, replayed=True)
        return _key_reused()

    def _stored_or_added(
        self, key: str, terminal_id: str, digest: str, body: bytes
    ) -> tuple[StoredAnswer, bool]:
        """In the thread pool, both statements in one trip: the answer stored for ``key``,
        else the submission stored now (True). Another request storing the same key at
        the same time, here or in another receiver process, waits for the first's
        commit and gets its answer (ReceiverStore.add_submission)."""
        answer = self.store.answer_for(key)
        if answer is not None:
            return answer, False
        return self.store.add_submission(
            key=key, terminal_id=terminal_id, body_sha256=digest, payload=body
        )

    async def _delay_first(self, key: str, digest: str) -> Response | None:
        """``--processing-delay`` (tests): a first submission stays in progress that long,
        and a repeat meanwhile is answered 409 (422 with another payload)."""
        if await run_in_threadpool(self.store.answer_for, key) is not None:
            return None  # a repeat: replayed at once
        in_progress = self.in_progress.get(key)
        if in_progress is not None:
            if in_progress == digest:
                return error(409, "in_progress", "the first request with this key is not finished")
            return _key_reused()
        self.in_progress[key] = digest
        try:
            await asyncio.sleep(self.settings.processing_delay)
        finally:
            del self.in_progress[key]
        return None

    async def _fault(self, request: Request, action: str) -> Response | None:
        """The answer of an injected fault, or None to go on (``ok``, ``lost``)."""
        _log.info("fault injected: %s", action)
        if action in ("ok", "lost"):
            return None
        if action == "reset":
            await drop_connection(request.scope)
            return error(500, "fault_injected", "connection dropped")
        if action == "hang":
            await asyncio.sleep(self.settings.hang_seconds)
            return error(503, "fault_injected", "hung")
        status = int(action)
        headers = None
        if status in RETRY_AFTER_STATUSES:
            headers = {"Retry-After": str(self.settings.retry_after_seconds)}
        return error(status, "fault_injected", f"injected {status}", headers)

    async def catalog_endpoint(self, request: Request) -> Response:
        checked = await self._verified(request, 0, json_body=False)
        if isinstance(checked, Response):
            return checked
        current = self.catalog.current()
        if current is None:
            return error(404, "no_catalog", "this back office publishes no catalog")
        body, etag = current
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/json", headers=headers)

    async def heartbeat(self, request: Request) -> Response:
        checked = await self._verified(request, MAX_HEARTBEAT_BYTES)
        if isinstance(checked, Response):
            return checked
        terminal_id, body = checked
        try:
            beat = check_heartbeat(body)
        except BodyError as refusal:
            return error(400, refusal.code, str(refusal))

        def keep() -> None:
            self.store.record_heartbeat(
                terminal_id, beat.version, beat.queue, beat.journal_head, beat.details
            )
            self.store.store_statistics(terminal_id, beat.statistics)

        await run_in_threadpool(keep)
        answer: dict[str, object] = {"status": "ok", "server_time": int(time.time())}
        if beat.statistics:
            answer["statistics_stored"] = [day.day for day in beat.statistics]
        return JSONResponse(answer)

    async def request_status(self, request: Request) -> Response:
        """Where a request is, by its reference: any enrolled terminal may ask (a resident
        may come back to another terminal); only the status is told, never the content."""
        checked = await self._verified(request, 0, json_body=False)
        if isinstance(checked, Response):
            return checked
        reference = request.path_params["reference"]
        if normalise_reference(reference) != reference:
            return error(400, "invalid_reference", "a reference is written like ADM-7K3-Q9P")
        record = await run_in_threadpool(self.store.status_of, reference)
        if record is None:
            return error(404, "unknown_reference", "no request has this reference")
        body: dict[str, str] = {
            "reference": record.reference,
            "status": record.status,
            "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.updated_at)),
        }
        if record.service:
            body["service"] = record.service
        return JSONResponse(body)

    async def health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "server_time": int(time.time())})


async def _read_body(request: Request, limit: int) -> bytes | Response:
    """The whole body, or the answer to send instead: a 413 past ``limit`` bytes.

    A client that goes away mid-upload is the network, not a bug: one log line, and an
    answer that nobody will read (no traceback).
    """
    too_large = f"at most {limit} bytes"
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        return error(413, "payload_too_large", too_large)
    buffer = bytearray()
    try:
        async for chunk in request.stream():
            buffer += chunk
            if len(buffer) > limit:
                return error(413, "payload_too_large", too_large)
    except ClientDisconnect:
        _log.warning(
            "client left during %s %s after %d of %s bytes; nothing stored",
            request.method, request.url.path, len(buffer), declared or "?",
        )
        return Response(status_code=400)  # the server drops it: the connection is gone
    return bytes(buffer)


def _key_reused() -> Response:
    return error(422, "idempotency_key_reused", "this key was used with another payload")


def _stored(answer: StoredAnswer, *, replayed: bool) -> Response:
    headers = {REPLAYED_HEADER: "true"} if replayed else None
    return Response(
        answer.answer, status_code=answer.status, media_type="application/json", headers=headers
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
    return error(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))


def build_routes(settings: ReceiverSettings, store: ConsoleStore | None = None) -> Starlette:
    """The Starlette app with the API's routes and the commune console (without the
    connection-drop wrapper)."""
    store = store or ConsoleStore(settings.db)
    receiver = Receiver(settings, store)
    console = Console(store)
    mediators = MediatorApi(receiver._verified, store)  # the same signature check
    app = Starlette(
        routes=[
            *console.routes(),
            Route("/v1/submissions", receiver.submissions, methods=["POST"]),
            Route("/v1/catalog", receiver.catalog_endpoint, methods=["GET"]),
            Route("/v1/heartbeat", receiver.heartbeat, methods=["POST"]),
            Route("/v1/health", receiver.health, methods=["GET"]),
            Route(
                "/v1/requests/{reference}/status", receiver.request_status, methods=["GET"]
            ),
            Route("/v1/mediators", mediators.roster, methods=["GET"]),
            Route("/v1/mediators/usage", mediators.usage, methods=["POST"]),
        ],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.receiver = receiver
    return app


def create_app(settings: ReceiverSettings, store: ConsoleStore | None = None) -> ASGIApp:
    """The receiver as an ASGI app (uvicorn: one worker; it owns its in-progress keys)."""
    return expose_abort(build_routes(settings, store))
