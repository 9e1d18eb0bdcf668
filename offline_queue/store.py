"""The durable, encrypted outbox: one SQLite file, one row per submitted item.

Writer discipline (why the GUI thread and the sync thread never lose or corrupt a row):
each ``QueueStore`` owns one connection, used by one thread only. Every change is one
short ``BEGIN IMMEDIATE ... COMMIT`` transaction that takes SQLite's write lock at its
start (so two writers queue up on ``busy_timeout`` instead of failing half-way), does a
few statements and commits. No transaction ever spans a network call: the sync worker
claims an item (``pending -> sending``) in one transaction, talks to the back office with
no transaction open, and records the outcome in another. Reads are snapshot reads that
WAL lets run beside a writer.
"""

from __future__ import annotations

import enum
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from offline_queue.connector import (
    ClockRefused,
    Delivered,
    Misconfigured,
    Outcome,
    Outgoing,
    Rejected,
    RetryLater,
    Unauthorized,
)
from offline_queue.crypto import PayloadCipher, SealError
from offline_queue.errors import (
    DuplicateItem,
    NotRetryable,
    PayloadUnreadable,
    UnknownItem,
    WrongKey,
)
from offline_queue.schema import connect, migrate

__all__ = [
    "DEFAULT_LINK_SECONDS",
    "DEFAULT_RETENTION_SECONDS",
    "EXPIRED_REASON",
    "PAUSE_CONFIGURATION",
    "PAUSE_CREDENTIALS",
    "Claim",
    "DuplicateItem",
    "ItemInfo",
    "NotRetryable",
    "QueueStatus",
    "QueueStore",
    "State",
    "UnknownItem",
    "WrongKey",
]

DAY = 86_400.0
DEFAULT_RETENTION_SECONDS = 30 * DAY
DEFAULT_LINK_SECONDS = 90 * DAY
DEFAULT_EXPIRY_WARNING_SECONDS = 3 * DAY
CLOCK_SET_BACK_MARGIN = 60.0  # seconds; a smaller step back delays a retry by no more
EXPIRED_REASON = "expired: not delivered within the retention period, payload erased"
PAUSE_CREDENTIALS = "credentials"  # QueueStatus.pause_cause after Unauthorized
PAUSE_CONFIGURATION = "configuration"  # ... after Misconfigured
_KEY_CHECK_PLAINTEXT = b"offline-queue key check"
_KEY_CHECK_ID = "meta:key_check"


class State(enum.Enum):
    """Where an item is in its life. ``delivered`` is final; ``dead`` waits for a human."""

    PENDING = "pending"  # waiting to be sent now
    SENDING = "sending"  # an attempt is under way (or was, when the process died)
    DELIVERED = "delivered"  # acknowledged by the back office; only a tombstone remains
    RETRY_WAIT = "retry_wait"  # a passing failure; sent again at next_attempt_at
    DEAD = "dead"  # refused for good (or expired); last_error says why


WAITING_STATES = (State.PENDING, State.SENDING, State.RETRY_WAIT)

Claim = Outgoing | PayloadUnreadable | None
"""What a claim found: an item now ``sending``, the error of an item that went ``dead``
because its payload does not decrypt, or None (nothing due, or paused)."""


@dataclass(frozen=True)
class ItemInfo:
    """What may be shown about an item: never its payload."""

    id: str
    reference: str
    kind: str
    state: State
    attempts: int
    created_at: float
    updated_at: float
    next_attempt_at: float | None
    last_error: str | None
    remote_reference: str | None
    has_payload: bool


@dataclass(frozen=True)
class QueueStatus:
    """A snapshot of the queue for status screens, heartbeats and ``kiosk queue status``.

    ``oldest_pending_age`` is the age in seconds of the oldest item still to be delivered
    (pending, sending or retry_wait). ``expiring_soon`` counts such items (and dead items
    still holding a payload) that will be erased by the retention within
    ``expiry_warning_seconds``; ``next_expiry_at`` is when the first of them expires.

    ``pause_cause`` says which outcome paused the queue (``PAUSE_CREDENTIALS``,
    ``PAUSE_CONFIGURATION``; None for a pause asked with ``pause()``). ``clock_error``
    is the reason of the last ``ClockRefused`` (the back office refused the terminal's
    clock), kept until an item is delivered, with when it came (``clock_error_at``, on
    the terminal's clock) and the measured ``clock_skew`` (seconds the back office is
    ahead; None when unknown).
    """

    counts: Mapping[State, int]
    oldest_pending_age: float | None
    last_success_at: float | None
    last_error: str | None
    last_error_at: float | None
    paused: bool
    paused_reason: str | None
    expiring_soon: int
    next_expiry_at: float | None
    pause_cause: str | None = None
    clock_error: str | None = None
    clock_error_at: float | None = None
    clock_skew: float | None = None

    @property
    def waiting(self) -> int:
        """Items not yet delivered that the worker will still try (pending+sending+retry)."""
        return sum(self.counts[state] for state in WAITING_STATES)


# A constant: the queries below only splice this text, never a value.
_SELECT_ITEMS = (
    "SELECT id, reference, kind, state, attempts, created_at, updated_at, next_attempt_at, "
    "last_error, remote_reference, sealed IS NOT NULL FROM items"
)


# Claiming the oldest due item (pending, or retry_wait whose time has come; by created_at,
# id) without sorting the queue, on the indexes of schema v2: the head of each state is
# the first entry of items_by_age; the due retry_wait items are told apart on that index
# (it holds next_attempt_at), and the walk is skipped when items_retry_due says that none
# is due. INDEXED BY pins each index: the planner, left alone, may read the retry_wait
# items through items_retry_due and sort every due one.
_HEAD_OF_PENDING = (
    "SELECT created_at, id FROM items INDEXED BY items_by_age WHERE state = 'pending' "
    "ORDER BY created_at, id LIMIT 1"
)
_HEAD_OF_DUE_RETRIES = (
    "SELECT created_at, id FROM items INDEXED BY items_by_age "
    "WHERE state = 'retry_wait' AND next_attempt_at <= ? ORDER BY created_at, id LIMIT 1"
)
_NEXT_RETRY_AT = (
    "SELECT MIN(next_attempt_at) FROM items INDEXED BY items_retry_due "
    "WHERE state = 'retry_wait'"
)


def _item(row: tuple[Any, ...]) -> ItemInfo:
    return ItemInfo(
        id=row[0],
        reference=row[1],
        kind=row[2],
        state=State(row[3]),
        attempts=row[4],
        created_at=row[5],
        updated_at=row[6],
        next_attempt_at=row[7],
        last_error=row[8],
        remote_reference=row[9],
        has_payload=bool(row[10]),
    )


class QueueStore:
    """The queue file seen by one thread (open one ``QueueStore`` per thread).

    Args:
        path: the SQLite file (created with its schema if missing).
        key: the 32-byte AES-256-GCM data key; a key other than the one the file was
            created with raises ``WrongKey``.
        clock: seconds since the epoch (tests pass a fake one).
        retention_seconds: an item not delivered after this long has its payload erased
            by ``purge_expired()`` (it becomes ``dead`` with ``EXPIRED_REASON``).
        expiry_warning_seconds: how long before that ``status().expiring_soon`` counts it
            (default 3 days, at most half the retention).
        durable_outcomes: True (the default): every commit waits for the disk
            (synchronous=FULL). The sync worker passes False for its own connection:
            its writes are delivery outcomes, which a power cut may undo without harm
            (the item is sent again under the same idempotency key), so they do not wait
            for the disk (synchronous=NORMAL; WAL still keeps the file intact).
    """

    def __init__(
        self,
        path: Path,
        key: bytes,
        *,
        clock: Callable[[], float] = time.time,
        retention_seconds: float = DEFAULT_RETENTION_SECONDS,
        expiry_warning_seconds: float | None = None,
        durable_outcomes: bool = True,
    ) -> None:
        self.path = Path(path)
        self._cipher = PayloadCipher(key)
        self._clock = clock
        self.retention_seconds = float(retention_seconds)
        if expiry_warning_seconds is None:
            expiry_warning_seconds = min(DEFAULT_EXPIRY_WARNING_SECONDS, retention_seconds / 2)
        self.expiry_warning_seconds = float(expiry_warning_seconds)
        self._conn = connect(self.path, synchronous="FULL" if durable_outcomes else "NORMAL")
        try:
            migrate(self._conn)
            self._check_key()
            # The items not yet delivered when this connection was opened: an earlier run
            # may have sent them (``Outgoing.carried_over``). A set of ids, not a time:
            # a clock set back must not make an old item look new.
            self._carried_over: frozenset[str] = frozenset(
                row[0]
                for row in self._conn.execute("SELECT id FROM items WHERE state != 'delivered'")
            )
        except BaseException:
            self._conn.close()
            raise

    # ------------------------------------------------------------ plumbing

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction holding the write lock from its first statement."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:  # a failed COMMIT may leave it open
                self._conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs."""
        self._conn.execute("BEGIN DEFERRED")
        try:
            yield self._conn
        finally:
            self._conn.execute("COMMIT")

    def _check_key(self) -> None:
        with self._write() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'key_check'").fetchone()
            if row is None:
                blob = self._cipher.seal(_KEY_CHECK_PLAINTEXT, _KEY_CHECK_ID)
                conn.execute("INSERT INTO meta (key, value) VALUES ('key_check', ?)", (blob,))
                return
        try:
            self._cipher.open(row[0], _KEY_CHECK_ID)
        except SealError:
            raise WrongKey(f"the data key does not open {self.path.name}") from None

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, **values: object) -> None:
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            list(values.items()),
        )

    def _meta(self, conn: sqlite3.Connection) -> dict[str, Any]:
        return dict(conn.execute("SELECT key, value FROM meta WHERE key <> 'key_check'"))

    def close(self) -> None:
        """Close the connection (committed data is already on disk)."""
        self._conn.close()

    def __enter__(self) -> QueueStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------ the kiosk's side

    def enqueue(self, item_id: str, reference: str, kind: str, payload: bytes) -> None:
        """Add an item; it is on disk (committed, fsynced) when this returns.

        ``item_id`` is the submission's UUID, also its idempotency key. The payload is
        sealed with AES-GCM bound to ``item_id``. A second enqueue of the same id raises
        ``DuplicateItem`` and leaves the first untouched.
        """
        sealed = self._cipher.seal(payload, item_id)
        now = self._clock()
        try:
            with self._write() as conn:
                conn.execute(
                    "INSERT INTO items (id, reference, kind, state, created_at, updated_at, "
                    "sealed) VALUES (?, ?, ?, 'pending', ?, ?, ?)",
                    (item_id, reference, kind, now, now, sealed),
                )
        except sqlite3.IntegrityError:
            raise DuplicateItem(item_id) from None

    def get(self, item_id: str) -> ItemInfo:
        """One item's public information, or ``UnknownItem``."""
        row = self._conn.execute(
            _SELECT_ITEMS + " WHERE id = ?", (item_id,)
        ).fetchone()
        if row is None:
            raise UnknownItem(item_id)
        return _item(row)

    def items(self, state: State | None = None) -> list[ItemInfo]:
        """Items (oldest first), optionally of one state; never their payloads."""
        if state is None:
            rows = self._conn.execute(_SELECT_ITEMS + " ORDER BY created_at, id")
        else:
            rows = self._conn.execute(
                _SELECT_ITEMS + " WHERE state = ? ORDER BY created_at, id",
                (state.value,),
            )
        return [_item(row) for row in rows]

    def status(self) -> QueueStatus:
        """Counts per state, ages, last success/error, pause and retention alerts."""
        now = self._clock()
        warn_before = now - (self.retention_seconds - self.expiry_warning_seconds)
        with self._read() as conn:
            counts = dict.fromkeys(State, 0)
            for state, count in conn.execute("SELECT state, COUNT(*) FROM items GROUP BY state"):
                counts[State(state)] = count
            oldest = conn.execute(
                "SELECT MIN(created_at) FROM items "
                "WHERE state IN ('pending', 'sending', 'retry_wait')"
            ).fetchone()[0]
            expiring, first_created = conn.execute(
                "SELECT COUNT(*), MIN(created_at) FROM items "
                "WHERE sealed IS NOT NULL AND created_at <= ?",
                (warn_before,),
            ).fetchone()
            meta = self._meta(conn)
        return QueueStatus(
            counts=counts,
            oldest_pending_age=None if oldest is None else max(0.0, now - oldest),
            last_success_at=meta.get("last_success_at"),
            last_error=meta.get("last_error"),
            last_error_at=meta.get("last_error_at"),
            paused=bool(meta.get("paused", 0)),
            paused_reason=meta.get("paused_reason") or None,
            expiring_soon=expiring,
            next_expiry_at=(
                None if first_created is None else first_created + self.retention_seconds
            ),
            pause_cause=meta.get("pause_cause") or None,
            clock_error=meta.get("clock_error") or None,
            clock_error_at=meta.get("clock_error_at"),
            clock_skew=meta.get("clock_skew"),
        )

    def retry(self, item_id: str) -> None:
        """Send a ``dead`` or ``retry_wait`` item again now (a pending one is left as is)."""
        now = self._clock()
        with self._write() as conn:
            row = conn.execute(
                "SELECT state, sealed IS NOT NULL FROM items WHERE id = ?", (item_id,)
            ).fetchone()
            if row is None:
                raise UnknownItem(item_id)
            state, has_payload = State(row[0]), bool(row[1])
            if state in (State.DELIVERED, State.SENDING):
                raise NotRetryable(item_id, f"it is {state.value}")
            if not has_payload:
                raise NotRetryable(item_id, "its payload was erased by the retention")
            conn.execute(
                "UPDATE items SET state = 'pending', next_attempt_at = NULL, not_before = NULL, "
                "updated_at = ? WHERE id = ?",
                (now, item_id),
            )

    def find_reference(self, reference: str) -> ItemInfo | None:
        """The latest item stored under the resident's ``reference``, or None; its payload
        is neither read nor decrypted (the index ``items_by_reference`` finds it)."""
        row = self._conn.execute(
            _SELECT_ITEMS + " WHERE reference = ? ORDER BY created_at DESC, id LIMIT 1",
            (reference,),
        ).fetchone()
        return None if row is None else _item(row)

    def purge_delivered(self, older_than: float | None = None) -> int:
        """Remove the tombstones of delivered items; returns how many.

        A tombstone holds no payload, only the link from the resident's reference to the
        back office's (what "Où en est ma demande ?" uses). With ``older_than`` (seconds),
        only those delivered at least that long ago go: the link's retention.
        """
        with self._write() as conn:
            if older_than is None:
                return conn.execute("DELETE FROM items WHERE state = 'delivered'").rowcount
            return conn.execute(
                "DELETE FROM items WHERE state = 'delivered' AND updated_at <= ?",
                (self._clock() - older_than,),
            ).rowcount

    def clock_stepped(self, since: float, until: float, step: float) -> int:
        """The clock jumped by ``step`` seconds (NTP set it right): the items not yet
        delivered whose ``created_at`` lies in [``since``, ``until``] (readings of the old
        clock) have all their times moved by ``step``, so that the retention and their
        retries count from when they really happened. Without it, an item stored while
        the clock read a date long past would be erased as expired the moment the clock
        is set right. Returns how many items moved."""
        with self._write() as conn:
            return conn.execute(
                "UPDATE items SET created_at = created_at + ?, updated_at = updated_at + ?, "
                "next_attempt_at = next_attempt_at + ?, not_before = not_before + ? "
                "WHERE state <> 'delivered' AND created_at BETWEEN ? AND ?",
                (step, step, step, step, since, until),
            ).rowcount

    def purge_expired(self) -> list[ItemInfo]:
        """Erase the payload of every item older than the retention and not delivered.

        Such an item becomes ``dead`` with ``EXPIRED_REASON`` (its tombstone stays so a
        mediator sees it was never delivered). Returns the items erased.
        """
        now = self._clock()
        with self._write() as conn:
            ids = [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM items WHERE sealed IS NOT NULL AND state <> 'sending' "
                    "AND created_at <= ?",
                    (now - self.retention_seconds,),
                )
            ]
            conn.executemany(
                "UPDATE items SET state = 'dead', sealed = NULL, last_error = ?, "
                "next_attempt_at = NULL, not_before = NULL, updated_at = ? WHERE id = ?",
                [(EXPIRED_REASON, now, item_id) for item_id in ids],
            )
        return [self.get(item_id) for item_id in ids]

    # ------------------------------------------------------------ pause

    def pause(self, reason: str) -> None:
        """Stop all deliveries until ``resume()`` (persisted: a restart stays paused)."""
        with self._write() as conn:
            self._set_meta(conn, paused=1, paused_reason=reason, pause_cause="")

    def resume(self) -> bool:
        """Lift a pause; returns whether the queue was paused."""
        with self._write() as conn:
            was = bool((self._meta(conn)).get("paused", 0))
            self._set_meta(conn, paused=0, paused_reason="", pause_cause="")
        return was

    def is_paused(self) -> bool:
        """Whether deliveries are paused (see ``pause``)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'paused'").fetchone()
        return bool(row and row[0])

    # ------------------------------------------------------------ the sync worker's side

    def recover_sending(self) -> int:
        """Put back to ``pending`` the items a dead process left ``sending``.

        Their interrupted attempt stays counted. Only the (single) sync worker of the
        file calls this, when it starts; returns how many items were recovered.
        """
        now = self._clock()
        with self._write() as conn:
            return conn.execute(
                "UPDATE items SET state = 'pending', next_attempt_at = NULL, updated_at = ?, "
                "last_error = 'interrupted attempt recovered' WHERE state = 'sending'",
                (now,),
            ).rowcount

    def claim_next(self) -> Outgoing | None:
        """Move the oldest due item to ``sending`` and return it decrypted, or None.

        Due means ``pending``, or ``retry_wait`` whose time has come. Nothing is due while
        the queue is paused. The attempt is counted here, before anything is sent. A
        payload that does not decrypt sends its item to ``dead`` and raises
        ``PayloadUnreadable`` (the next call goes on with the next item).
        """
        with self._write() as conn:
            claim = self._claim(conn, self._clock())
        if isinstance(claim, PayloadUnreadable):
            raise claim
        return claim

    def _claim(self, conn: sqlite3.Connection, now: float) -> Claim:
        """``claim_next`` inside the caller's write transaction."""
        paused = conn.execute("SELECT value FROM meta WHERE key = 'paused'").fetchone()
        if paused and paused[0]:
            return None
        heads = [conn.execute(_HEAD_OF_PENDING).fetchone()]
        next_retry_at = conn.execute(_NEXT_RETRY_AT).fetchone()[0]
        if next_retry_at is not None and next_retry_at <= now:
            heads.append(conn.execute(_HEAD_OF_DUE_RETRIES, (now,)).fetchone())
        oldest = min((head for head in heads if head is not None), default=None)
        if oldest is None:
            return None
        item_id = oldest[1]
        reference, sealed, attempts = conn.execute(
            "SELECT reference, sealed, attempts FROM items WHERE id = ?", (item_id,)
        ).fetchone()
        try:
            payload = self._cipher.open(sealed, item_id)
        except SealError:
            conn.execute(
                "UPDATE items SET state = 'dead', last_error = ?, updated_at = ? WHERE id = ?",
                ("payload unreadable (corrupted)", now, item_id),
            )
            return PayloadUnreadable(item_id)
        conn.execute(
            "UPDATE items SET state = 'sending', attempts = attempts + 1, updated_at = ? "
            "WHERE id = ?",
            (now, item_id),
        )
        return Outgoing(
            item_id=item_id,
            reference=reference,
            payload=payload,
            attempt=attempts + 1,
            carried_over=item_id in self._carried_over,
        )

    def record_outcome(
        self, item_id: str, outcome: Outcome, *, delay: float = 0.0, claim_next: bool = False
    ) -> Claim:
        """Record the connector's answer for a ``sending`` item (as the ``mark_*`` methods)
        and, with ``claim_next``, claim the next due item in the same transaction.

        One commit instead of two per item while draining; both changes are durable
        before this returns, so before the next item is sent. ``delay`` is the backoff of
        a ``RetryLater``. Returns what the claim found (None without ``claim_next``).
        """
        return self._finish(item_id, outcome, delay, claim_next=claim_next)[1]

    def release(self, item_id: str) -> bool:
        """Put back to ``pending`` an item claimed but never sent (the worker stops, or
        the queue was paused meanwhile); its attempt is not counted. False if it was not
        ``sending``."""
        now = self._clock()
        with self._write() as conn:
            changed = conn.execute(
                "UPDATE items SET state = 'pending', attempts = MAX(attempts - 1, 0), "
                "next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state = 'sending'",
                (now, item_id),
            ).rowcount
        return bool(changed)

    @staticmethod
    def _outcome_change(
        outcome: Outcome, delay: float, now: float
    ) -> tuple[str, tuple[object, ...], dict[str, object]]:
        """The UPDATE (without its WHERE), its values and the meta keys of an outcome."""
        if isinstance(outcome, Delivered):  # the payload is erased in the same commit
            return (  # a delivery also proves the clock is right again
                "UPDATE items SET state = 'delivered', sealed = NULL, remote_reference = ?, "
                "next_attempt_at = NULL, not_before = NULL, last_error = NULL, updated_at = ?",
                (outcome.remote_reference, now),
                {"last_success_at": now, "clock_error": "", "clock_error_at": None,
                 "clock_skew": None},
            )
        failed: dict[str, object] = {"last_error": outcome.reason, "last_error_at": now}
        if isinstance(outcome, RetryLater | ClockRefused):
            retry_after = outcome.retry_after if isinstance(outcome, RetryLater) else None
            if isinstance(outcome, ClockRefused):
                failed.update(clock_error=outcome.reason, clock_error_at=now,
                              clock_skew=outcome.skew)
            return (
                "UPDATE items SET state = 'retry_wait', next_attempt_at = ?, not_before = ?, "
                "last_error = ?, updated_at = ?",
                (now + delay, None if retry_after is None else now + retry_after,
                 outcome.reason, now),
                failed,
            )
        if isinstance(outcome, Rejected):
            return (
                "UPDATE items SET state = 'dead', next_attempt_at = NULL, not_before = NULL, "
                "last_error = ?, updated_at = ?",
                (outcome.reason, now),
                failed,
            )
        cause = PAUSE_CONFIGURATION if isinstance(outcome, Misconfigured) else PAUSE_CREDENTIALS
        return (
            "UPDATE items SET state = 'pending', next_attempt_at = NULL, last_error = ?, "
            "updated_at = ?",
            (outcome.reason, now),
            {**failed, "paused": 1, "paused_reason": outcome.reason, "pause_cause": cause},
        )

    def _finish(
        self, item_id: str, outcome: Outcome, delay: float = 0.0, *, claim_next: bool = False
    ) -> tuple[bool, Claim]:
        """Apply the outcome of a ``sending`` item (not applied when it was not
        ``sending``), then claim the next due item if asked; one transaction."""
        now = self._clock()
        sql, params, meta = self._outcome_change(outcome, delay, now)
        claim: Claim = None
        with self._write() as conn:
            changed = conn.execute(sql + " WHERE id = ? AND state = 'sending'", (*params, item_id))
            if changed.rowcount:
                self._set_meta(conn, **meta)
            if claim_next:
                claim = self._claim(conn, now)
        return bool(changed.rowcount), claim

    def mark_delivered(self, item_id: str, remote_reference: str | None) -> bool:
        """The back office acknowledged the item: erase its payload in the same commit."""
        return self._finish(item_id, Delivered(remote_reference))[0]

    def complete_remote_reference(self, item_id: str, remote_reference: str) -> bool:
        """A delivered item's back-office id, known later (an Open311 token resolved)."""
        with self._write() as conn:
            changed = conn.execute(
                "UPDATE items SET remote_reference = ? WHERE id = ? AND state = 'delivered'",
                (remote_reference, item_id),
            )
        return bool(changed.rowcount)

    def mark_retry(
        self, item_id: str, reason: str, delay: float, retry_after: float | None = None
    ) -> bool:
        """A passing failure: try again in ``delay`` s (never before ``retry_after`` s)."""
        return self._finish(item_id, RetryLater(reason, retry_after), delay)[0]

    def mark_dead(self, item_id: str, reason: str) -> bool:
        """A permanent refusal: the item goes aside with its reason, payload kept."""
        return self._finish(item_id, Rejected(reason))[0]

    def mark_unauthorized(self, item_id: str, reason: str) -> bool:
        """Credentials refused: the item goes back to ``pending`` and the queue pauses."""
        return self._finish(item_id, Unauthorized(reason))[0]

    def next_due_at(self) -> float | None:
        """When the next item is due: now if one is pending, else the earliest retry."""
        with self._read() as conn:  # two index lookups, no scan of the waiting items
            if conn.execute("SELECT 1 FROM items WHERE state = 'pending' LIMIT 1").fetchone():
                return self._clock()
            next_retry_at = conn.execute(_NEXT_RETRY_AT).fetchone()[0]
        return None if next_retry_at is None else float(next_retry_at)

    def has_retry_wait(self) -> bool:
        """Whether some item waits for a retry (the worker then probes the network)."""
        row = self._conn.execute("SELECT 1 FROM items WHERE state = 'retry_wait' LIMIT 1")
        return row.fetchone() is not None

    def release_set_back(self) -> int:
        """The clock was set back (NTP corrected a clock that was ahead): a ``retry_wait``
        item last written later than now (by more than ``CLOCK_SET_BACK_MARGIN``) waits for
        a time counted on the wrong clock, maybe months away. Make it due now; its
        Retry-After was counted on that clock too. Returns how many."""
        now = self._clock()
        with self._write() as conn:
            return conn.execute(
                "UPDATE items SET next_attempt_at = ?, not_before = NULL, updated_at = ? "
                "WHERE state = 'retry_wait' AND updated_at > ?",
                (now, now, now + CLOCK_SET_BACK_MARGIN),
            ).rowcount

    def release_waiting(self) -> int:
        """The network came back: make ``retry_wait`` items due now, except that a server's
        ``Retry-After`` is still honoured. Returns how many were moved earlier."""
        now = self._clock()
        with self._write() as conn:
            return conn.execute(
                "UPDATE items SET next_attempt_at = MAX(?, COALESCE(not_before, 0)) "
                "WHERE state = 'retry_wait' AND next_attempt_at > MAX(?, COALESCE(not_before, 0))",
                (now, now),
            ).rowcount
