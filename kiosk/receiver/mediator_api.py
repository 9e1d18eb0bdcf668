"""The terminals' side of the commune's mediator accounts (docs/mediators.md).

``GET /v1/mediators``: the roster (every account, with its PIN hash, never a PIN), for any
enrolled terminal, signed like every request. ``POST /v1/mediators/usage``: when each
console-managed account last logged in on this terminal, so that the expiry after days
without use counts every terminal.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kiosk.audit.entries import is_mediator_id
from kiosk.receiver.answers import error
from kiosk.receiver.bodies import MAX_UNIX_TIME, BodyError, is_integer, parse_json_object
from kiosk.receiver.console import mediators
from kiosk.receiver.console.store import ConsoleStore

MAX_USAGE_BYTES = 64 * 1024
MAX_USES = 1000
_log = logging.getLogger("kiosk.receiver")


class Verify(Protocol):
    """The receiver's check of a signed request: the terminal and the body, or the answer."""

    async def __call__(
        self, request: Request, limit: int, *, json_body: bool = True
    ) -> tuple[str, bytes] | Response: ...


def check_usage(body: bytes) -> list[tuple[str, int]]:
    """The uses a terminal reports, or ``BodyError`` (``invalid_usage``) naming the problem."""
    data = parse_json_object(body, "invalid_usage")
    items: Any = data.get("mediators")
    if not isinstance(items, list) or len(items) > MAX_USES:
        raise BodyError("invalid_usage", f"mediators: a list of at most {MAX_USES} uses")
    uses = []
    for item in items:
        if not isinstance(item, dict):
            raise BodyError("invalid_usage", "each use is an object")
        mediator_id, at = item.get("id"), item.get("last_used_at", -1)
        if not (isinstance(mediator_id, str) and is_mediator_id(mediator_id)):
            raise BodyError("invalid_usage", "id: med- and 8 hexadecimal digits")
        if not (is_integer(at) and 0 <= at <= MAX_UNIX_TIME):
            raise BodyError("invalid_usage", "last_used_at must be an integer (Unix time)")
        uses.append((mediator_id, int(at)))
    return uses


class MediatorApi:
    """The two endpoints, over the receiver's signature check and the console's store."""

    def __init__(self, verify: Verify, store: ConsoleStore) -> None:
        self.verify = verify
        self.store = store

    async def roster(self, request: Request) -> Response:
        checked = await self.verify(request, 0, json_body=False)
        if isinstance(checked, Response):
            return checked
        return JSONResponse(mediators.roster(self.store), headers={"Cache-Control": "no-store"})

    async def usage(self, request: Request) -> Response:
        checked = await self.verify(request, MAX_USAGE_BYTES)
        if isinstance(checked, Response):
            return checked
        terminal_id, body = checked
        try:
            uses = check_usage(body)
        except BodyError as refusal:
            return error(400, refusal.code, str(refusal))
        recorded = mediators.record_uses(self.store, uses)
        _log.info("%d mediator use(s) from %s", recorded, terminal_id)
        return JSONResponse({"status": "ok", "recorded": recorded})
