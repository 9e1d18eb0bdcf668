"""What someone with write access to audit.sqlite3 can do: drop the triggers, then edit rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from kiosk.audit.entries import canonical_entry, chain_hash

# Fields of a row and a value that differs from anything the journal writes.
FORGED_VALUES = {
    "at": "2001-01-01T00:00:00+00:00",
    "kind": "forged_kind",
    "actor": "med-00000000",
    "details": '{"demarche":"forged"}',
    "prev_hash": "f" * 64,
    "hash": "e" * 64,
}


def open_as_attacker(path: Path) -> sqlite3.Connection:
    """A raw connection with the append-only triggers dropped."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS entries_are_never_updated")
    conn.execute("DROP TRIGGER IF EXISTS entries_are_never_deleted")
    return conn


def count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def modify(field: str) -> Callable[[Path, int], int]:
    """Change one field of entry ``seq``; the entry itself is the first broken one."""

    def tamper(path: Path, seq: int) -> int:
        with open_as_attacker(path) as conn:
            conn.execute(f"UPDATE entries SET {field} = ? WHERE seq = ?",
                         (FORGED_VALUES[field], seq))
        return seq

    tamper.__name__ = f"modify_{field}"
    return tamper


def delete(path: Path, seq: int) -> int:
    """Remove entry ``seq``: it is the one reported missing."""
    with open_as_attacker(path) as conn:
        conn.execute("DELETE FROM entries WHERE seq = ?", (seq,))
    return seq


def swap_with_next(path: Path, seq: int) -> int:
    """Exchange the places of entry ``seq`` and its neighbour (the previous one for the last)."""
    first = seq if seq < count(path) else seq - 1
    with open_as_attacker(path) as conn:
        conn.execute("UPDATE entries SET seq = -1 WHERE seq = ?", (first,))
        conn.execute("UPDATE entries SET seq = ? WHERE seq = ?", (first, first + 1))
        conn.execute("UPDATE entries SET seq = ? WHERE seq = -1", (first + 1,))
    return first


def insert_before(path: Path, seq: int) -> int:
    """Slip a well-hashed forged entry in at ``seq``, shifting the rest (needs the audit key
    to go unnoticed at ``seq`` itself; without it the entry after it breaks)."""
    with open_as_attacker(path) as conn:
        for (later,) in conn.execute(
            "SELECT seq FROM entries WHERE seq >= ? ORDER BY seq DESC", (seq,)
        ).fetchall():
            conn.execute("UPDATE entries SET seq = ? WHERE seq = ?", (later + 1, later))
        row = conn.execute("SELECT hash FROM entries WHERE seq = ?", (seq - 1,)).fetchone()
        prev_hash = row[0] if row else "0" * 64
        at, kind, actor, details = "2001-01-01T00:00:00+00:00", "technician_exit", "technician", {}
        forged = chain_hash(prev_hash, canonical_entry(seq, at, kind, actor, details))
        conn.execute(
            "INSERT INTO entries (seq, at, kind, actor, details, prev_hash, hash, mac) "
            "VALUES (?, ?, ?, ?, '{}', ?, ?, NULL)",
            (seq, at, kind, actor, prev_hash, forged),
        )
    return seq


TAMPERINGS: tuple[Callable[[Path, int], int], ...] = (
    *(modify(field) for field in FORGED_VALUES),
    delete,
    swap_with_next,
    insert_before,
)
