"""A journal put back to an older copy: consistent in itself, caught by the back office's head.

The audit restored an older ``audit.sqlite3``: ``verify()`` said "OK: 60 entries intact"
while 56 later entries were gone. The head the terminal sent its back office
(``JournalHead``) is the anchor outside the file that shows it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.audit.entries import SYSTEM, EntryKind
from kiosk.audit.head import JournalHead
from kiosk.audit.journal import AUDIT_FILE, Journal
from tests.kiosk.audit.test_journal import KEY, Ticking

KEPT, LOST = 60, 56


def append(path: Path, count: int, kind: EntryKind = EntryKind.QUEUE_SYNC_FORCED) -> JournalHead:
    """``count`` more entries; the head the back office would then have been sent."""
    with Journal(path, hmac_key=KEY, clock=Ticking()) as journal:
        for _ in range(count):
            journal.append(kind, SYSTEM)
        head = journal.head()
    assert head is not None
    return head


@pytest.fixture
def rolled_back(data_dir: Path, tmp_path: Path) -> tuple[Path, JournalHead]:
    """A journal of 60 entries, copied; 56 more (the head is sent); the old copy put back."""
    path = data_dir / AUDIT_FILE
    append(path, KEPT)
    shutil.copy(path, tmp_path / "old-copy.sqlite3")  # closed: the WAL is in the file
    seen = append(path, LOST)
    shutil.copy(tmp_path / "old-copy.sqlite3", path)
    return path, seen


def test_the_head_is_the_last_entry(data_dir: Path) -> None:
    path = data_dir / AUDIT_FILE
    with Journal(path, hmac_key=KEY) as journal:
        assert journal.head() is None
        entry = journal.append(EntryKind.TECHNICIAN_EXIT, "technician")
        assert journal.head() == JournalHead(1, entry.hash)


def test_an_older_copy_passes_alone_and_fails_with_the_anchor(
    rolled_back: tuple[Path, JournalHead],
) -> None:
    path, seen = rolled_back
    with Journal(path, hmac_key=KEY) as journal:
        alone = journal.verify()
        assert (alone.ok, alone.checked) == (True, KEPT)  # what the audit saw
        anchored = journal.verify(expect=seen)
    assert not anchored.ok
    assert anchored.first_broken_seq == KEPT + 1
    assert anchored.reason.startswith(f"rolled back: the back office saw entry {KEPT + LOST}, "
                                      f"but the journal ends at entry {KEPT}")


def test_an_older_copy_written_past_the_anchor_still_fails(
    rolled_back: tuple[Path, JournalHead],
) -> None:
    path, seen = rolled_back
    # The restored journal goes on with other events, beyond the head the office saw.
    append(path, LOST + 10, EntryKind.TECHNICIAN_EXIT)
    with Journal(path, hmac_key=KEY) as journal:
        assert journal.verify().ok
        anchored = journal.verify(expect=seen)
    assert not anchored.ok
    assert anchored.first_broken_seq == seen.seq
    assert f"entry {seen.seq} is not the one the back office saw" in anchored.reason


def test_an_intact_journal_holds_every_head_it_sent(data_dir: Path) -> None:
    path = data_dir / AUDIT_FILE
    first = append(path, 3)
    append(path, 2)
    with Journal(path, hmac_key=KEY) as journal:
        result = journal.verify(expect=first)
    assert result.ok
    assert "holding entry 3 as the back office saw it" in result.reason


# ---------------------------------------------------------------- the head's two forms

HASHES = st.text("0123456789abcdef", min_size=64, max_size=64)


@given(st.integers(1, 2**63 - 1), HASHES)
def test_a_head_reads_back_from_both_forms(seq: int, entry_hash: str) -> None:
    head = JournalHead(seq, entry_hash)
    assert JournalHead.parse(str(head)) == head
    assert JournalHead.from_dict(head.to_dict()) == head


@given(st.text(max_size=100))
def test_any_text_is_a_head_or_a_named_refusal(text: str) -> None:
    problem = ""
    try:
        head = JournalHead.parse(text)
    except ValueError as refusal:
        problem = str(refusal)
    else:
        assert str(head) == text.strip().lower()
    assert not problem or "journal head" in problem


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                    max_leaves=6))
def test_any_json_value_is_a_head_or_a_named_refusal(value: object) -> None:
    problem = "journal head"
    try:
        JournalHead.from_dict(value)
    except ValueError as refusal:
        problem = str(refusal)
    assert "journal head" in problem


@pytest.mark.parametrize("value", [
    {"seq": 0, "hash": "a" * 64},
    {"seq": True, "hash": "a" * 64},
    {"seq": 1.5, "hash": "a" * 64},
    {"seq": 1, "hash": "A" * 64},
    {"seq": 1, "hash": "a" * 63},
    {"seq": 1, "hash": "a" * 64, "extra": 1},
    {"seq": 2**63, "hash": "a" * 64},
])
def test_malformed_heads_are_refused(value: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="journal head"):
        JournalHead.from_dict(value)


def test_a_whole_number_written_as_a_json_float_is_a_seq() -> None:
    """JSON (and JSON Schema's ``integer``) does not tell 116 from 116.0."""
    assert JournalHead.from_dict({"seq": 116.0, "hash": "a" * 64}) == JournalHead(116, "a" * 64)
