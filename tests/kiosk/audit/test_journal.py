"""The journal: appends chain and verify; every tampering is found and named; CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from kiosk.audit.entries import (
    ALLOWED_DETAILS,
    GENESIS_HASH,
    SYSTEM,
    TECHNICIAN,
    EntryKind,
    canonical_entry,
    chain_hash,
)
from kiosk.audit.journal import AUDIT_FILE, Journal
from tests.kiosk.audit.attacker import TAMPERINGS, open_as_attacker

KEY = b"k" * 32
MEDIATOR = "med-1a2b3c4d"
ROWS = 6
PARIS = dt.timezone(dt.timedelta(hours=1))


class Ticking:
    """A clock that moves one hour per call, from a fixed local time."""

    def __init__(self, start: dt.datetime = dt.datetime(2025, 3, 1, 9, 0, tzinfo=PARIS)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(hours=1)
        return self.now


def fill(journal: Journal, rows: int = ROWS) -> None:
    """A morning at the counter, ``rows`` entries long."""
    script: list[tuple[EntryKind, str, dict[str, str | int | bool]]] = [
        (EntryKind.MEDIATOR_LOGIN, MEDIATOR, {"name": "Camille"}),
        (EntryKind.CONSENT_GIVEN, MEDIATOR, {"demarche": "signalement-voirie", "method": "touch"}),
        (EntryKind.SUBMISSION_CREATED, MEDIATOR,
         {"reference": "VOI-7K3-Q9P", "demarche": "signalement-voirie", "assisted": True}),
        (EntryKind.QUEUE_SYNC_FORCED, MEDIATOR, {}),
        (EntryKind.MEDIATOR_LOGOUT, MEDIATOR, {"reason": "finished"}),
        (EntryKind.PIN_FAILED, SYSTEM, {"mediator": MEDIATOR, "failures": 1}),
    ]
    for index in range(rows):
        kind, actor, details = script[index % len(script)]
        journal.append(kind, actor, details)


@pytest.fixture
def journal_path(data_dir: Path) -> Path:
    return data_dir / AUDIT_FILE


@pytest.fixture
def journal(journal_path: Path) -> Iterator[Journal]:
    with Journal(journal_path, hmac_key=KEY, clock=Ticking()) as opened:
        yield opened


# ---------------------------------------------------------------- appending


def test_entries_chain_from_genesis_and_verify(journal: Journal) -> None:
    fill(journal)
    entries = list(journal.entries())
    assert [e.seq for e in entries] == list(range(1, ROWS + 1))
    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    first = entries[0]
    canonical = canonical_entry(1, first.at, first.kind, first.actor, dict(first.details))
    assert first.hash == chain_hash(GENESIS_HASH, canonical)
    result = journal.verify()
    assert (result.ok, result.checked, result.first_broken_seq, result.keyed) == (
        True, ROWS, None, True)


def test_an_empty_journal_verifies(journal: Journal) -> None:
    assert journal.verify().ok
    assert journal.verify().checked == 0


def test_entries_survive_reopening_and_the_chain_goes_on(journal_path: Path) -> None:
    with Journal(journal_path, hmac_key=KEY) as journal:
        fill(journal, 3)
    with Journal(journal_path, hmac_key=KEY) as journal:
        fill(journal, 2)
        assert journal.verify().checked == 5


def test_entries_hold_canonical_details_and_local_time(journal: Journal) -> None:
    entry = journal.append(EntryKind.CONSENT_REFUSED, MEDIATOR,
                           {"method": "spoken", "demarche": "état-civil"})
    assert entry.details_json == '{"demarche":"état-civil","method":"spoken"}'
    assert entry.at == "2025-03-01T10:00:00+01:00"
    assert journal.entry(1) == entry
    assert journal.entry(2) is None


@pytest.mark.parametrize(
    ("kind", "details"),
    [
        (EntryKind.SUBMISSION_CREATED, {"reference": "X", "answers": "12 rue des Lilas"}),
        (EntryKind.PIN_FAILED, {"mediator": MEDIATOR, "pin": "482913"}),
        (EntryKind.QUEUE_SYNC_FORCED, {"note": "x"}),
        (EntryKind.CONSENT_GIVEN, {"demarche": "x" * 201}),
        (EntryKind.CONSENT_GIVEN, {"demarche": "line\nbreak"}),
        (EntryKind.CONSENT_GIVEN, {"demarche": 1.5}),
    ],
)
def test_details_a_kind_does_not_allow_are_refused(journal: Journal, kind, details) -> None:
    with pytest.raises(ValueError, match=r"may not hold|must be"):
        journal.append(kind, MEDIATOR, details)
    assert list(journal.entries()) == []


@pytest.mark.parametrize("actor", ["", "camille", "med-XYZ", "med-1a2b3c4d5"])
def test_an_unknown_actor_is_refused(journal: Journal, actor: str) -> None:
    with pytest.raises(ValueError, match="actor"):
        journal.append(EntryKind.QUEUE_SYNC_FORCED, actor)


def test_a_naive_clock_is_refused(journal_path: Path) -> None:
    naive = Journal(journal_path, clock=dt.datetime.now)
    with naive, pytest.raises(ValueError, match="time zone"):
        naive.append(EntryKind.TECHNICIAN_EXIT, TECHNICIAN)


def test_every_kind_has_an_allow_list() -> None:
    assert set(ALLOWED_DETAILS) == set(EntryKind)
    assert not any("pin" in fields for fields in ALLOWED_DETAILS.values())


@pytest.mark.parametrize(
    "statement",
    ["UPDATE entries SET actor = 'system' WHERE seq = 1", "DELETE FROM entries WHERE seq = 1"],
)
def test_the_file_refuses_updates_and_deletes(journal: Journal, journal_path: Path,
                                              statement: str) -> None:
    fill(journal, 2)
    with sqlite3.connect(journal_path) as conn, pytest.raises(sqlite3.IntegrityError,
                                                              match="append-only"):
        conn.execute(statement)
    assert journal.verify().ok


# ---------------------------------------------------------------- tampering


@pytest.mark.parametrize("seq", range(1, ROWS + 1))
@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda t: t.__name__)
def test_any_tampered_row_breaks_the_chain_there(journal_path: Path, seq: int,
                                                 tamper: Callable[[Path, int], int]) -> None:
    with Journal(journal_path, hmac_key=KEY, clock=Ticking()) as journal:
        fill(journal)
    expected = tamper(journal_path, seq)
    with Journal(journal_path, hmac_key=KEY) as journal:
        result = journal.verify()
    assert not result.ok
    assert result.first_broken_seq == expected
    assert result.checked == expected - 1
    assert str(expected) in result.reason


@pytest.mark.parametrize("seq", range(1, ROWS + 1))
@pytest.mark.parametrize("tamper", TAMPERINGS[:-1], ids=lambda t: t.__name__)
def test_without_the_key_the_chain_alone_finds_the_same_entry(
    journal_path: Path, seq: int, tamper: Callable[[Path, int], int]
) -> None:
    with Journal(journal_path, clock=Ticking()) as journal:
        fill(journal)
    expected = tamper(journal_path, seq)
    with Journal(journal_path) as journal:
        result = journal.verify()
    assert (result.ok, result.first_broken_seq, result.keyed) == (False, expected, False)


def test_a_forged_entry_without_the_key_breaks_the_next_entry(journal_path: Path) -> None:
    with Journal(journal_path) as journal:
        fill(journal)
    TAMPERINGS[-1](journal_path, 3)
    with Journal(journal_path) as journal:
        assert journal.verify().first_broken_seq == 4


def test_a_rewritten_chain_is_caught_by_the_hmac(journal_path: Path) -> None:
    """The attacker changes entry 2 and recomputes every later hash and the head."""
    with Journal(journal_path, hmac_key=KEY, clock=Ticking()) as journal:
        fill(journal)
    with open_as_attacker(journal_path) as conn:
        conn.execute("""UPDATE entries SET details = '{"name":"Mallory"}' WHERE seq = 1""")
        prev = "0" * 64
        rows = conn.execute(
            "SELECT seq, at, kind, actor, details FROM entries ORDER BY seq").fetchall()
        for seq, at, kind, actor, details in rows:
            new = chain_hash(prev, canonical_entry(seq, at, kind, actor, json.loads(details)))
            conn.execute("UPDATE entries SET prev_hash = ?, hash = ? WHERE seq = ?",
                         (prev, new, seq))
            prev = new
        conn.execute("UPDATE head SET hash = ?", (prev,))
    with Journal(journal_path, hmac_key=KEY) as journal:
        result = journal.verify()
    assert (result.ok, result.first_broken_seq) == (False, 1)
    assert "audit key" in result.reason


def _strip_hmacs(path: Path) -> bytes:
    with open_as_attacker(path) as conn:
        conn.execute("UPDATE entries SET mac = NULL")
    return KEY


@pytest.mark.parametrize(
    "change", [lambda path: b"x" * 32, _strip_hmacs], ids=["other key", "stripped HMACs"]
)
def test_another_key_or_missing_hmacs_break_the_first_entry(
    journal_path: Path, change: Callable[[Path], bytes]
) -> None:
    with Journal(journal_path, hmac_key=KEY) as journal:
        fill(journal, 3)
    key = change(journal_path)
    with Journal(journal_path, hmac_key=key) as journal:
        result = journal.verify()
    assert (result.ok, result.first_broken_seq) == (False, 1)
    assert "audit key" in result.reason


def test_a_removed_head_is_detected(journal_path: Path) -> None:
    with Journal(journal_path, hmac_key=KEY) as journal:
        fill(journal, 3)
    with open_as_attacker(journal_path) as conn:
        conn.execute("DELETE FROM head")
    with Journal(journal_path, hmac_key=KEY) as journal:
        assert journal.verify().first_broken_seq == 3


# ---------------------------------------------------------------- properties

ACTORS = st.sampled_from([SYSTEM, TECHNICIAN, MEDIATOR, "med-00ff00ff"])
TEXT = st.text(st.characters(categories=("L", "N", "P"), include_characters=" "), max_size=30)
VALUES = st.one_of(TEXT, st.integers(-(2**40), 2**40), st.booleans())


@st.composite
def entries(draw: st.DrawFn) -> tuple[EntryKind, str, dict[str, str | int | bool]]:
    kind = draw(st.sampled_from(list(EntryKind)))
    fields = sorted(ALLOWED_DETAILS[kind])
    details = draw(st.dictionaries(st.sampled_from(fields), VALUES) if fields else st.just({}))
    return kind, draw(ACTORS), details


@settings(max_examples=40)
@given(
    script=st.lists(entries(), min_size=1, max_size=12),
    data=st.data(),
)
def test_any_appends_verify_and_any_single_tamper_is_named(script, data) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / AUDIT_FILE
        with Journal(path, hmac_key=KEY) as journal:
            for kind, actor, details in script:
                journal.append(kind, actor, details)
            result = journal.verify()
            assert (result.ok, result.checked) == (True, len(script))
        seq = data.draw(st.integers(1, len(script)), label="seq")
        tamper = data.draw(st.sampled_from(TAMPERINGS), label="tamper")
        if tamper.__name__ == "swap_with_next" and len(script) == 1:
            return  # nothing to swap with
        expected = tamper(path, seq)
        with Journal(path, hmac_key=KEY) as journal:
            assert journal.verify().first_broken_seq == expected


class JournalLife(RuleBasedStateMachine):
    """Appends, reopenings and reads in any order keep a verifiable chain."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.path = Path(self.tmp.name) / AUDIT_FILE
        self.journal = Journal(self.path, hmac_key=KEY)
        self.written: list[str] = []

    @rule(entry=entries())
    def append(self, entry) -> None:
        kind, actor, details = entry
        self.written.append(self.journal.append(kind, actor, details).hash)

    @rule()
    def reopen(self) -> None:
        self.journal.close()
        self.journal = Journal(self.path, hmac_key=KEY)

    @invariant()
    def chain_is_intact_and_complete(self) -> None:
        result = self.journal.verify()
        assert (result.ok, result.checked) == (True, len(self.written))
        assert [e.hash for e in self.journal.entries()] == self.written

    def teardown(self) -> None:
        self.journal.close()
        self.tmp.cleanup()


TestJournalLife = JournalLife.TestCase
TestJournalLife.settings = settings(max_examples=15, stateful_step_count=12)


# ---------------------------------------------------------------- export


def test_export_writes_the_entries_since_a_local_date(journal_path: Path) -> None:
    clock = Ticking(dt.datetime(2025, 3, 1, 22, 30, tzinfo=PARIS))  # 23:30, then the 2nd
    with Journal(journal_path, hmac_key=KEY, clock=clock) as journal:
        fill(journal, 3)
        out = io.StringIO()
        written = journal.export_csv(dt.date(2025, 3, 2), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["seq", "time", "kind", "actor", "details", "hash"]
    assert written == 2
    assert [row[0] for row in rows[1:]] == ["2", "3"]
    assert rows[1][1:5] == ["2025-03-02T00:30:00+01:00", "consent_given", MEDIATOR,
                            '{"demarche":"signalement-voirie","method":"touch"}']


def test_export_keeps_a_tampered_formula_as_text(journal_path: Path) -> None:
    with Journal(journal_path, clock=Ticking()) as journal:
        fill(journal, 1)
    with open_as_attacker(journal_path) as conn:
        conn.execute("UPDATE entries SET actor = '=HYPERLINK(\"x\")'")
    with Journal(journal_path) as journal:
        out = io.StringIO()
        journal.export_csv(dt.date(2000, 1, 1), out)
    assert "'=HYPERLINK" in out.getvalue()
