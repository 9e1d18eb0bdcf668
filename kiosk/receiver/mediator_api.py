"""The terminals' side of the commune's mediator accounts (docs/mediators.md).

``GET /v1/mediators``: the roster (every account, with its PIN hash, never a PIN), for any
enrolled terminal, signed like every request. ``POST /v1/mediators/usage``: when each
console-managed account last logged in on this terminal, so that the expiry after days
without use counts every terminal; and, from kiosks that know it, ``locks``: which of
those accounts are locked on this terminal after wrong PINs, since when and for how long
still (ids and times only). A report without ``locks`` (an older kiosk) leaves the
terminal's last reported locks as they were; a report with one bad field is refused whole.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kiosk.audit.entries import is_mediator_id
from kiosk.mediator.lockout import MAX_LOCK_SECONDS
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


@dataclass(frozen=True)
class UsageReport:
    """What one terminal reports: ``uses`` (id, Unix time of its last right PIN) and
    ``locks`` (id, locked since (Unix time), seconds left), None when not said."""

    uses: list[tuple[str, int]]
    locks: list[tuple[str, int, int]] | None


def check_usage(body: bytes) -> UsageReport:
    """The report of a terminal, or ``BodyError`` (``invalid_usage``) naming the problem."""
    data = parse_json_object(body, "invalid_usage")
    return UsageReport(_uses(data), _locks(data))


def _uses(data: dict[str, Any]) -> list[tuple[str, int]]:
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


def _locks(data: dict[str, Any]) -> list[tuple[str, int, int]] | None:
    if "locks" not in data:
        return None
    items: Any = data["locks"]
    if not isinstance(items, list) or len(items) > MAX_USES:
        raise BodyError("invalid_usage", f"locks: a list of at most {MAX_USES} locks")
    locks = []
    for index, item in enumerate(items):
        where = f"locks[{index}]"
        if not isinstance(item, dict):
            raise BodyError("invalid_usage", f"{where}: not an object")
        mediator_id: Any = item.get("id")
        since: Any = item.get("since")
        left: Any = item.get("seconds_left")
        if not (isinstance(mediator_id, str) and is_mediator_id(mediator_id)):
            raise BodyError("invalid_usage", f"{where}.id: med- and 8 hexadecimal digits")
        if not (is_integer(since) and 0 <= since <= MAX_UNIX_TIME):
            raise BodyError("invalid_usage", f"{where}.since: an integer (Unix time)")
        if not (is_integer(left) and 1 <= left <= MAX_LOCK_SECONDS):
            raise BodyError("invalid_usage", f"{where}.seconds_left: an integer from 1 to"
                                             f" {int(MAX_LOCK_SECONDS)}")
        locks.append((mediator_id, int(since), int(left)))
    return locks


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
            report = check_usage(body)
        except BodyError as refusal:
            _log.warning("mediator usage from %s refused, its last good report stays: %s",
                         terminal_id, refusal)
            return error(400, refusal.code, str(refusal))
        recorded = mediators.record_uses(self.store, report.uses)
        if report.locks is not None:
            mediators.record_locks(self.store, terminal_id, report.locks)
        _log.info("%d mediator use(s), %s lock(s) from %s", recorded,
                  "no" if report.locks is None else len(report.locks), terminal_id)
        return JSONResponse({"status": "ok", "recorded": recorded})
