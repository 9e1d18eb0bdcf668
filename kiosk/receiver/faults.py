"""Fault injection for tests and demos: the receiver misbehaves on purpose, in turns.

A fault plan is a comma-separated list of actions, applied one per signed
``POST /v1/submissions`` in arrival order; once the list is used up the receiver behaves
(or starts the list again with ``--fault-loop``). Actions:

- ``ok``: behave;
- a status such as ``500``, ``503``, ``429``, ``401``, ``403``, ``422``: answer it with
  ``{"error": "fault_injected"}`` without storing anything (429 and 503 carry
  ``Retry-After``);
- ``hang``: answer nothing for ``hang_seconds`` (past the client's timeout), then 503;
- ``reset``: drop the connection without an answer (TCP reset), storing nothing;
- ``lost``: store the submission, then drop the connection: the answer is lost, and the
  kiosk's retry must be answered by a replay.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

NAMED_ACTIONS = ("ok", "hang", "reset", "lost")
RETRY_AFTER_STATUSES = (429, 503)
ABORT_SCOPE_KEY = "kiosk.receiver.abort"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def parse_action(text: str) -> str:
    """One action of a plan, checked; raises ValueError with what is allowed."""
    action = text.strip().lower()
    if action in NAMED_ACTIONS:
        return action
    if action.isascii() and action.isdigit() and len(action) == 3 and 400 <= int(action) <= 599:
        return action
    raise ValueError(f"unknown fault {text!r}: use ok, hang, reset, lost or an HTTP status 400-599")


@dataclass
class FaultPlan:
    """The actions to play, in turns; ``next_action()`` gives the one for a new request."""

    actions: tuple[str, ...]
    loop: bool = False
    _position: int = field(default=0, init=False)

    @classmethod
    def parse(cls, text: str, *, loop: bool = False) -> FaultPlan:
        """A plan from ``"500,429,401,422,hang,reset,lost"``."""
        actions = tuple(parse_action(part) for part in text.split(",") if part.strip())
        return cls(actions, loop=loop)

    def next_action(self) -> str:
        """The next action (``ok`` once the plan is used up, unless it loops)."""
        if not self.actions:
            return "ok"
        if self._position >= len(self.actions):
            if not self.loop:
                return "ok"
            self._position = 0
        action = self.actions[self._position]
        self._position += 1
        return action


def expose_abort(app: ASGIApp) -> ASGIApp:
    """Wrap an ASGI app so endpoints can drop their connection with a TCP reset.

    ASGI has no way to close a connection without an answer; with uvicorn's h11 and
    httptools protocols, ``receive`` is a method of the request cycle that holds the
    transport, which this wrapper reaches. Endpoints call ``await drop_connection(scope)``
    and then return any response: the server discards it (the connection is gone).
    """

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[ABORT_SCOPE_KEY] = getattr(getattr(receive, "__self__", None), "transport", None)
        await app(scope, receive, send)

    return wrapped


async def drop_connection(scope: Scope) -> None:
    """Reset the request's connection (SO_LINGER 0, then abort) without answering.

    Raises RuntimeError under a server whose transport cannot be reached (the client
    then gets a 500 instead of a reset).
    """
    transport = scope.get(ABORT_SCOPE_KEY)
    if transport is None:
        raise RuntimeError("this server does not let the receiver drop a connection")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    # Let the server see the connection lost, so it discards the endpoint's response.
    for _ in range(3):
        await asyncio.sleep(0)
