"""What a journal entry may hold, its canonical bytes, and its chained hash.

Each kind of entry has a closed list of detail fields (``ALLOWED_DETAILS``): a detail the
list does not name is refused, so nobody can put a resident's answer, a name typed by a
resident or a PIN into the journal by mistake. Values are short strings, whole numbers or
booleans.

    hash = SHA-256( prev_hash (64 hex chars, ASCII) + canonical entry )
    canonical entry = JSON of {seq, at, kind, actor, details}, sorted keys, no spaces, UTF-8
    mac  = HMAC-SHA-256( audit key, hash )      (when the terminal has an audit key)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from enum import StrEnum

GENESIS_HASH = "0" * 64
SYSTEM = "system"
TECHNICIAN = "technician"
MAX_TEXT_LENGTH = 200

DetailValue = str | int | bool
Details = Mapping[str, DetailValue]


class EntryKind(StrEnum):
    """Every event the journal records."""

    MEDIATOR_LOGIN = "mediator_login"
    MEDIATOR_LOGOUT = "mediator_logout"
    PIN_FAILED = "pin_failed"
    ACCOUNT_LOCKED = "account_locked"
    CONSENT_GIVEN = "consent_given"
    CONSENT_REFUSED = "consent_refused"
    SUBMISSION_CREATED = "submission_created"
    QUEUE_RETRY = "queue_retry"
    QUEUE_SET_ASIDE = "queue_set_aside"
    QUEUE_SYNC_FORCED = "queue_sync_forced"
    TECHNICIAN_EXIT = "technician_exit"
    TECHNICIAN_ACTION = "technician_action"
    MEDIATOR_ADDED = "mediator_added"
    MEDIATOR_DISABLED = "mediator_disabled"
    MEDIATOR_UNLOCKED = "mediator_unlocked"
    TECHNICIAN_LOCKED = "technician_locked"
    TECHNICIAN_UNLOCKED = "technician_unlocked"
    RETENTION_PURGE = "retention_purge"


# The only detail fields each kind may carry; none of them is a resident's personal data.
ALLOWED_DETAILS: Mapping[EntryKind, frozenset[str]] = {
    EntryKind.MEDIATOR_LOGIN: frozenset({"name"}),
    EntryKind.MEDIATOR_LOGOUT: frozenset({"reason"}),
    EntryKind.PIN_FAILED: frozenset({"mediator", "failures"}),
    EntryKind.ACCOUNT_LOCKED: frozenset({"mediator", "seconds", "strikes"}),
    EntryKind.CONSENT_GIVEN: frozenset({"demarche", "method"}),
    EntryKind.CONSENT_REFUSED: frozenset({"demarche", "method"}),
    EntryKind.SUBMISSION_CREATED: frozenset({"reference", "demarche", "assisted"}),
    EntryKind.QUEUE_RETRY: frozenset({"item", "reference"}),
    EntryKind.QUEUE_SET_ASIDE: frozenset({"item", "reference"}),
    EntryKind.QUEUE_SYNC_FORCED: frozenset(),
    EntryKind.TECHNICIAN_EXIT: frozenset(),
    EntryKind.TECHNICIAN_ACTION: frozenset({"action", "target"}),
    EntryKind.MEDIATOR_ADDED: frozenset({"mediator", "name", "role"}),
    EntryKind.MEDIATOR_DISABLED: frozenset({"mediator", "name"}),
    EntryKind.MEDIATOR_UNLOCKED: frozenset({"mediator"}),
    EntryKind.TECHNICIAN_LOCKED: frozenset({"failures", "seconds"}),
    EntryKind.TECHNICIAN_UNLOCKED: frozenset({"failures"}),
    EntryKind.RETENTION_PURGE: frozenset(
        {"statistics_days", "status_links", "journal_entries", "journal_through"}
    ),
}

_MEDIATOR_ID = re.compile(r"med-[0-9a-f]{8}")


def is_mediator_id(text: str) -> bool:
    """True for an id made by the mediator registry (``med-`` and 8 hex digits)."""
    return _MEDIATOR_ID.fullmatch(text) is not None


def check_actor(actor: str) -> None:
    """An actor is ``system``, ``technician`` or a mediator id; ValueError otherwise."""
    if actor not in {SYSTEM, TECHNICIAN} and not is_mediator_id(actor):
        raise ValueError(f"unknown journal actor {actor!r}")


def check_details(kind: EntryKind, details: Details) -> None:
    """Refuse a detail field the kind does not allow, or a value that is not short and plain."""
    extra = set(details) - ALLOWED_DETAILS[kind]
    if extra:
        raise ValueError(f"{kind.value} entries may not hold {sorted(extra)}")
    for name, value in details.items():
        if isinstance(value, str):
            if len(value) > MAX_TEXT_LENGTH or not value.isprintable():
                raise ValueError(f"detail {name!r} must be printable text of at most "
                                 f"{MAX_TEXT_LENGTH} characters")
        elif not isinstance(value, int):  # bool is an int
            raise ValueError(f"detail {name!r} must be text, a whole number or a boolean")


def canonical_json(value: object) -> str:
    """Sorted keys, no spaces, non-ASCII kept: one text per value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def canonical_entry(seq: int, at: str, kind: str, actor: str, details: object) -> bytes:
    """The bytes an entry's hash covers (everything but the chain fields)."""
    entry = {"seq": seq, "at": at, "kind": kind, "actor": actor, "details": details}
    return canonical_json(entry).encode("utf-8")


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    """SHA-256 of the previous hash (hex, ASCII) followed by the canonical entry, in hex."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def entry_mac(key: bytes, entry_hash: str) -> str:
    """HMAC-SHA-256 of an entry's hash: only the holder of the audit key can make it."""
    return hmac.new(key, entry_hash.encode("ascii"), hashlib.sha256).hexdigest()


def head_mac(key: bytes, seq: int, entry_hash: str) -> str:
    """HMAC of the head record (last seq and hash), so a cut tail is seen."""
    return hmac.new(key, f"head:{seq}:{entry_hash}".encode("ascii"), hashlib.sha256).hexdigest()


def checkpoint_mac(key: bytes, seq: int, entry_hash: str) -> str:
    """HMAC of the retention's checkpoint (the last erased entry), so it cannot be moved."""
    return hmac.new(
        key, f"checkpoint:{seq}:{entry_hash}".encode("ascii"), hashlib.sha256
    ).hexdigest()


def same_mac(expected: str, found: str | None) -> bool:
    """Constant-time comparison of two hex MACs; a missing one never matches."""
    return found is not None and hmac.compare_digest(expected, found)
