"""The append-only journal: one SQLite table of hash-chained entries, verified end to end.

    journal = Journal(data_dir / "audit.sqlite3", hmac_key=key)
    journal.append(EntryKind.CONSENT_GIVEN, "med-1a2b3c4d", {"demarche": "...", "method": "touch"})
    result = journal.verify()          # VerifyResult(ok, checked, first_broken_seq, reason)
    journal.head()                     # JournalHead(seq, hash): sent to the back office
    journal.verify(expect=JournalHead.parse("116:9f2c..."))   # also catches a rollback
    journal.export_csv(date(2025, 1, 1), out)

Triggers refuse UPDATE and DELETE on the entries through SQLite, so the application itself
cannot rewrite history. The one exception is the retention (``purge_before``): it erases
whole days from the start of the chain, in one transaction that lifts the delete trigger,
and leaves a signed checkpoint (the last erased entry's seq and hash): ``verify()`` then
starts from it, so what remains is proven as before. Someone editing the file directly
can drop the triggers: that is what ``verify()`` is for. It walks the chain from seq 1
(or the checkpoint) and names the first entry that is
missing, out of place, changed, or (with the audit key) not signed by the terminal. A
``head`` row (last seq and hash, signed) shows entries cut from the end. An older copy of
the whole file is consistent in itself: only the head the back office was sent
(``kiosk.audit.head``) shows it, given to ``verify(expect=...)``.

One connection, guarded by a lock: the GUI thread and the sync worker may both append.
An append is one short IMMEDIATE transaction (WAL, synchronous=FULL).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple, Protocol, TextIO

from kiosk.audit.entries import (
    GENESIS_HASH,
    Details,
    EntryKind,
    canonical_entry,
    canonical_json,
    chain_hash,
    check_actor,
    check_details,
    checkpoint_mac,
    entry_mac,
    head_mac,
    same_mac,
)
from kiosk.audit.head import JournalHead
from kiosk.audit.sqlite_file import SqliteFile, immediate

AUDIT_FILE = "audit.sqlite3"
SCHEMA_VERSION = 1
CSV_COLUMNS = ("seq", "time", "kind", "actor", "details", "hash")

_SCHEMA = (
    """
    CREATE TABLE entries (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        actor TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        mac TEXT
    )
    """,
    """
    CREATE TRIGGER entries_are_never_updated BEFORE UPDATE ON entries
    BEGIN SELECT RAISE(ABORT, 'the audit journal is append-only'); END
    """,
    """
    CREATE TRIGGER entries_are_never_deleted BEFORE DELETE ON entries
    BEGIN SELECT RAISE(ABORT, 'the audit journal is append-only'); END
    """,
    """
    CREATE TABLE head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        mac TEXT
    )
    """,
)


class Recorder(Protocol):
    """What the mediator code needs of a journal (a fake in UI tests, ``Journal`` for real)."""

    def append(self, kind: EntryKind, actor: str, details: Details | None = None) -> object:
        """Record one event."""
        ...


def local_now() -> dt.datetime:
    """Now, in the terminal's time zone, with its offset (what the journal stamps)."""
    return dt.datetime.now().astimezone()


@dataclass(frozen=True)
class JournalEntry:
    """One stored entry as read back (``kind`` stays text: a tampered row may hold anything)."""

    seq: int
    at: str
    kind: str
    actor: str
    details_json: str
    prev_hash: str
    hash: str
    mac: str | None

    @property
    def details(self) -> Mapping[str, object]:
        """The details as a read-only mapping (empty when the stored text is not an object)."""
        try:
            value = json.loads(self.details_json)
        except ValueError:
            return MappingProxyType({})
        return MappingProxyType(value if isinstance(value, dict) else {})

    def summary(self) -> str:
        """One line for a technician: seq, time, kind, actor, details."""
        return f"#{self.seq} {self.at} {self.kind} by {self.actor} {self.details_json}"


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of walking the chain.

    ``checked``: entries found intact before the first break (all of them when ok);
    ``first_broken_seq``: the first entry that is missing, out of place or changed;
    ``keyed``: whether HMACs were checked (False: only the hash chain was).
    """

    ok: bool
    checked: int
    first_broken_seq: int | None
    reason: str
    keyed: bool


# Added after schema 1 (created on open when missing): where the chain starts after the
# retention erased its first days.
_CHECKPOINT_TABLE = """
    CREATE TABLE IF NOT EXISTS checkpoint (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        mac TEXT
    )
"""
_NO_DELETE_TRIGGER = _SCHEMA[2]


class _Start(NamedTuple):
    """Where the chain starts: seq 0 and the genesis hash, or the retention's checkpoint."""

    seq: int
    hash: str


@dataclass(frozen=True)
class Purged:
    """What ``purge_before`` erased: how many entries, up to which seq (0: none)."""

    entries: int
    through_seq: int


class Journal(SqliteFile):
    """The kiosk's append-only, hash-chained journal in one SQLite file."""

    def __init__(
        self,
        path: Path,
        hmac_key: bytes | None = None,
        clock: Callable[[], dt.datetime] = local_now,
    ) -> None:
        super().__init__(path, _SCHEMA, SCHEMA_VERSION)
        self._key = hmac_key
        self._clock = clock
        with self._lock:
            self._conn.execute(_CHECKPOINT_TABLE)

    def purge_before(self, day: dt.date) -> Purged:
        """Erase the entries of the days before ``day`` (local date of each entry), by whole
        days from the start, behind a signed checkpoint; the last entry always stays (it is
        the head the back office knows). Returns what went."""
        with self._lock, immediate(self._conn) as conn:
            last = conn.execute("SELECT MAX(seq) FROM entries").fetchone()[0]
            through = 0
            rows = conn.execute("SELECT seq, at, hash FROM entries ORDER BY seq").fetchall()
            for seq, at, entry_hash in rows:
                try:
                    old = dt.datetime.fromisoformat(str(at)).date() < day
                except ValueError:
                    old = False  # an unreadable time stops the purge: kept for verify
                if not old or seq == last:
                    break
                through, through_hash = int(seq), str(entry_hash)
            if not through:
                return Purged(0, 0)
            conn.execute("DROP TRIGGER entries_are_never_deleted")
            erased = conn.execute("DELETE FROM entries WHERE seq <= ?", (through,)).rowcount
            conn.execute(_NO_DELETE_TRIGGER)
            mac = checkpoint_mac(self._key, through, through_hash) if self._key else None
            conn.execute(
                "INSERT OR REPLACE INTO checkpoint (id, seq, hash, mac) VALUES (1, ?, ?, ?)",
                (through, through_hash, mac),
            )
        return Purged(int(erased), through)

    def checkpoint(self) -> JournalHead | None:
        """Where the chain starts after a purge (the last erased entry), or None."""
        with self._lock:
            row = self._conn.execute("SELECT seq, hash FROM checkpoint WHERE id = 1").fetchone()
        return None if row is None else JournalHead(int(row[0]), str(row[1]))

    # ------------------------------------------------------------ writing

    def append(self, kind: EntryKind, actor: str, details: Details | None = None) -> JournalEntry:
        """Add one entry at the end of the chain; ValueError for a detail the kind forbids."""
        details = dict(details or {})
        check_actor(actor)
        check_details(kind, details)
        at = self._clock()
        if at.tzinfo is None:
            raise ValueError("the journal clock must give a datetime with a time zone")
        stamp = at.isoformat(timespec="seconds")
        with self._lock, immediate(self._conn):
            last = self._conn.execute(
                "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            seq, prev_hash = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS_HASH)
            entry_hash = chain_hash(prev_hash, canonical_entry(seq, stamp, kind, actor, details))
            mac = entry_mac(self._key, entry_hash) if self._key else None
            entry = JournalEntry(seq, stamp, kind.value, actor, canonical_json(details),
                                 prev_hash, entry_hash, mac)
            self._conn.execute(
                "INSERT INTO entries (seq, at, kind, actor, details, prev_hash, hash, mac) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.seq, entry.at, entry.kind, entry.actor, entry.details_json,
                 entry.prev_hash, entry.hash, entry.mac),
            )
            self._conn.execute(
                "INSERT OR REPLACE INTO head (id, seq, hash, mac) VALUES (1, ?, ?, ?)",
                (seq, entry_hash, head_mac(self._key, seq, entry_hash) if self._key else None),
            )
        return entry

    # ------------------------------------------------------------ reading

    def entries(self, since_seq: int = 1) -> Iterator[JournalEntry]:
        """The stored entries in seq order (read under the lock, all at once)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, at, kind, actor, details, prev_hash, hash, mac FROM entries "
                "WHERE seq >= ? ORDER BY seq",
                (since_seq,),
            ).fetchall()
        for row in rows:
            yield _entry(row)

    def entry(self, seq: int) -> JournalEntry | None:
        """The entry numbered ``seq``, or None when there is none."""
        return next((e for e in self.entries(seq) if e.seq == seq), None)

    def head(self) -> JournalHead | None:
        """The last entry's seq and hash (None while the journal is empty): the anchor."""
        with self._lock:
            row = self._conn.execute(
                "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1"
            ).fetchone()
        return None if row is None else JournalHead(int(row[0]), str(row[1]))

    def verify(self, expect: JournalHead | None = None) -> VerifyResult:
        """Walk the whole chain; the first missing, moved, changed or unsigned entry breaks it.

        With ``expect`` (a head the back office saw), the journal must also still hold that
        very entry: an older copy restored, or a journal replaced, breaks it there.
        """
        keyed = self._key is not None
        checked = 0
        start, problem = self._start()
        if problem is not None:
            return VerifyResult(False, 0, problem[0], problem[1], keyed)
        prev_hash = start.hash
        for expected, entry in enumerate(self.entries(), start=start.seq + 1):
            problem = self._check(entry, expected, prev_hash)
            if problem is not None:
                broken_seq, reason = problem
                return VerifyResult(False, checked, broken_seq, reason, keyed)
            checked += 1
            prev_hash = entry.hash
        last_seq = start.seq + checked
        problem = self._check_head(last_seq, prev_hash)
        if problem is None and expect is not None:
            problem = self._check_anchor(expect, last_seq, start)
        if problem is not None:
            return VerifyResult(False, checked, problem[0], problem[1], keyed)
        how = "hash chain and HMACs" if keyed else "hash chain only (no audit key)"
        if start.seq:
            how += f", from the retention's checkpoint after entry {start.seq}"
        if expect is not None and expect.seq > start.seq:
            how += f", holding entry {expect.seq} as the back office saw it"
        return VerifyResult(True, checked, None, f"{checked} entries intact ({how})", keyed)

    def _start(self) -> tuple[_Start, tuple[int, str] | None]:
        """Where the chain starts: the genesis, or the retention's checkpoint if signed."""
        with self._lock:
            row = self._conn.execute(
                "SELECT seq, hash, mac FROM checkpoint WHERE id = 1"
            ).fetchone()
        if row is None:
            return _Start(0, GENESIS_HASH), None
        seq, cp_hash, mac = int(row[0]), str(row[1]), row[2]
        if self._key is not None and not same_mac(checkpoint_mac(self._key, seq, cp_hash), mac):
            return _Start(seq, cp_hash), (
                seq + 1, "the retention checkpoint is not signed with this terminal's audit key"
            )
        return _Start(seq, cp_hash), None

    def _check(self, entry: JournalEntry, expected: int, prev_hash: str) -> tuple[int, str] | None:
        if entry.seq != expected:
            return expected, f"entry {expected} is missing (the next one found is {entry.seq})"
        if entry.prev_hash != prev_hash:
            return expected, f"entry {expected} does not follow entry {expected - 1}"
        problem = self._content_problem(entry)
        return None if problem is None else (expected, f"entry {expected} {problem}")

    def _content_problem(self, entry: JournalEntry) -> str | None:
        try:
            details = json.loads(entry.details_json)
        except ValueError:
            return "has unreadable details"
        if canonical_json(details) != entry.details_json:
            return "has details that were rewritten"
        canonical = canonical_entry(entry.seq, entry.at, entry.kind, entry.actor, details)
        if chain_hash(entry.prev_hash, canonical) != entry.hash:
            return "was changed after it was written"
        if self._key is not None and not same_mac(entry_mac(self._key, entry.hash), entry.mac):
            return "is not signed with this terminal's audit key"
        return None

    def _check_head(self, last_seq: int, last_hash: str) -> tuple[int, str] | None:
        with self._lock:
            row = self._conn.execute("SELECT seq, hash, mac FROM head WHERE id = 1").fetchone()
        if row is None:
            return None if last_seq == 0 else (last_seq, "the journal head record is missing")
        seq, head_hash, mac = int(row[0]), str(row[1]), row[2]
        if seq > last_seq:
            return last_seq + 1, f"entries {last_seq + 1} to {seq} are missing from the end"
        if seq < last_seq:
            return seq + 1, f"entry {seq + 1} was added outside the journal"
        if head_hash != last_hash:
            return last_seq, f"entry {last_seq} does not match the journal head"
        if self._key is not None and not same_mac(head_mac(self._key, seq, head_hash), mac):
            return last_seq, "the journal head is not signed with this terminal's audit key"
        return None

    def _check_anchor(
        self, expect: JournalHead, last_seq: int, start: _Start
    ) -> tuple[int, str] | None:
        if expect.seq < start.seq:
            return None  # erased by the retention: nothing left to compare
        if expect.seq == start.seq:
            if expect.hash == start.hash:
                return None
            return expect.seq, (
                f"rolled back: the retention checkpoint at entry {expect.seq} is not the "
                "entry the back office saw"
            )
        if expect.seq > last_seq:
            return last_seq + 1, (
                f"rolled back: the back office saw entry {expect.seq}, but the journal ends at "
                f"entry {last_seq} (an older copy was put back, or entries {last_seq + 1} to "
                f"{expect.seq} were cut with the head record)"
            )
        found = self.entry(expect.seq)
        if found is None or found.hash != expect.hash:
            return expect.seq, (
                f"rolled back: entry {expect.seq} is not the one the back office saw (the "
                "journal was replaced by another copy, then written again)"
            )
        return None

    # ------------------------------------------------------------ export

    def export_csv(self, since: dt.date, out: TextIO) -> int:
        """Write the entries of ``since`` (local date of each entry) and later as CSV.

        Columns: seq, time (ISO 8601 with offset), kind, actor, details (JSON), hash.
        Returns the number of entries written.
        """
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        count = 0
        for entry in self.entries():
            if _entry_date(entry) < since:
                continue
            writer.writerow([entry.seq, entry.at, _cell(entry.kind), _cell(entry.actor),
                             _cell(entry.details_json), entry.hash])
            count += 1
        return count


# ---------------------------------------------------------------- rows


def _entry(row: tuple[object, ...]) -> JournalEntry:
    seq, at, kind, actor, details, prev_hash, entry_hash, mac = row
    return JournalEntry(int(str(seq)), str(at), str(kind), str(actor), str(details),
                        str(prev_hash), str(entry_hash), None if mac is None else str(mac))


def _entry_date(entry: JournalEntry) -> dt.date:
    try:
        return dt.datetime.fromisoformat(entry.at).date()
    except ValueError:
        return dt.date.max  # an unreadable time is exported, never hidden


def _cell(text: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula: keep it text.
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text
