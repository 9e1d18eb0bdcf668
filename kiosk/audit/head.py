"""The journal head (last seq and its hash): the anchor the back office keeps outside the file.

A journal only proves its own consistency: an older copy put back in place is a perfectly
consistent, shorter journal. So the terminal sends its head with every heartbeat and in
every submission, the back office keeps the highest one it has seen, and
``kiosk audit verify --expect-head SEQ:HASH`` checks that the journal still holds that
very entry: a rollback or a replaced journal is then seen.

    head = journal.head()                 # JournalHead(seq=116, hash="9f2c...")
    str(head)                             # "116:9f2c..." (what the CLI takes and prints)
    head.to_dict()                        # {"seq": 116, "hash": "9f2c..."} (the API field)
    JournalHead.parse("116:9f2c...")      # ValueError naming the problem otherwise
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HASH_LENGTH = 64
MAX_SEQ = 2**63 - 1  # SQLite's largest integer
_HASH = re.compile(r"[0-9a-f]{64}")
_SEQ = re.compile(r"[1-9][0-9]{0,18}")


@dataclass(frozen=True)
class JournalHead:
    """The last entry of a journal: its ``seq`` (from 1) and its chain ``hash`` (hex)."""

    seq: int
    hash: str

    def __post_init__(self) -> None:
        if isinstance(self.seq, bool) or not isinstance(self.seq, int):
            raise ValueError("the journal head's seq must be a whole number")
        if not 1 <= self.seq <= MAX_SEQ:
            raise ValueError(f"the journal head's seq must be between 1 and {MAX_SEQ}")
        if not isinstance(self.hash, str) or not _HASH.fullmatch(self.hash):
            raise ValueError(f"the journal head's hash must be {HASH_LENGTH} lowercase hex digits")

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    def to_dict(self) -> dict[str, int | str]:
        """The JSON form of the API (``journal_head`` of heartbeats and submissions)."""
        return {"seq": self.seq, "hash": self.hash}

    @classmethod
    def parse(cls, text: str) -> JournalHead:
        """Read ``SEQ:HASH``; ValueError naming what is wrong."""
        seq, colon, entry_hash = text.strip().partition(":")
        if not colon:
            raise ValueError("a journal head is written SEQ:HASH, e.g. 116:9f2c... (64 hex digits)")
        if not _SEQ.fullmatch(seq):
            raise ValueError(f"the journal head's seq {seq[:20]!r} is not a whole number from 1")
        return cls(int(seq), entry_hash.lower())

    @classmethod
    def from_dict(cls, value: object) -> JournalHead:
        """Read the JSON form ``{"seq": 116, "hash": "..."}``; ValueError otherwise."""
        if not isinstance(value, dict) or set(value) != {"seq", "hash"}:
            raise ValueError('a journal head is an object with exactly "seq" and "hash"')
        seq = value["seq"]
        # JSON has one kind of number: 116.0 is the integer 116 (JSON Schema says so too).
        if isinstance(seq, float) and seq.is_integer() and abs(seq) <= MAX_SEQ:
            seq = int(seq)
        return cls(seq, value["hash"])
