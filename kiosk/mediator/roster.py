"""The commune's mediator roster as the receiver sends it (``GET /v1/mediators``), checked.

The roster comes from outside: every field is checked before anything is changed, and a
roster with one bad field is refused whole (``RosterError``, whose message names the
field and the problem, never a PIN hash) so that the last good one stays in force.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NoReturn

from kiosk.audit.entries import is_mediator_id
from kiosk.mediator.accounts import MediatorError, check_name
from kiosk.security.pin import pin_hash_problem

MAX_ROSTER_BYTES = 256 * 1024
MAX_MEDIATORS = 500
MAX_COUNTER = 2**53  # exact in JSON and in every database


class RosterError(ValueError):
    """A roster that cannot be used; the message names the problem."""


@dataclass(frozen=True)
class RosterEntry:
    """One account of the commune."""

    id: str
    name: str
    pin_hash: str
    disabled: bool
    version: int
    lockout_reset: int


@dataclass(frozen=True)
class Roster:
    """Every account of the commune, and the roster's version."""

    version: int
    mediators: tuple[RosterEntry, ...]


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _counter(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNTER:
        raise RosterError(f"{where}: a whole number from 0 to 2^53")
    return value


def _entry(item: Any, index: int) -> RosterEntry:
    where = f"mediators[{index}]"
    if not isinstance(item, dict):
        raise RosterError(f"{where}: not an object")
    mediator_id, name, pin_hash = item.get("id"), item.get("name"), item.get("pin_hash")
    if not (isinstance(mediator_id, str) and is_mediator_id(mediator_id)):
        raise RosterError(f"{where}.id: med- and 8 hexadecimal digits")
    try:
        if not (isinstance(name, str) and check_name(name) == name):
            raise MediatorError("not a display name")
    except MediatorError:
        raise RosterError(f"{where}.name: not a display name the pad can show") from None
    if not isinstance(pin_hash, str):
        raise RosterError(f"{where}.pin_hash: not a string")
    problem = pin_hash_problem(pin_hash)
    if problem is not None:
        raise RosterError(f"{where}.pin_hash: {problem}")
    disabled = item.get("disabled")
    if not isinstance(disabled, bool):
        raise RosterError(f"{where}.disabled: true or false")
    return RosterEntry(mediator_id, name, pin_hash, disabled,
                       _counter(item.get("version"), f"{where}.version"),
                       _counter(item.get("lockout_reset"), f"{where}.lockout_reset"))


def parse_roster(body: bytes) -> Roster:
    """The roster in ``body``, or ``RosterError`` naming what is wrong."""
    if len(body) > MAX_ROSTER_BYTES:
        raise RosterError(f"roster too big: more than {MAX_ROSTER_BYTES} bytes")
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RosterError("roster is not JSON in UTF-8") from None
    if not isinstance(data, dict):
        raise RosterError("roster is not a JSON object")
    items = data.get("mediators")
    if not isinstance(items, list):
        raise RosterError("mediators: not a list")
    if len(items) > MAX_MEDIATORS:
        raise RosterError(f"mediators: more than {MAX_MEDIATORS} accounts")
    entries = tuple(_entry(item, index) for index, item in enumerate(items))
    if len({entry.id for entry in entries}) != len(entries):
        raise RosterError("mediators: an id appears twice")
    return Roster(_counter(data.get("version"), "version"), entries)
