"""Encryption at rest: nothing personal readable in the SQLite files, keys and ids bound."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from offline_queue.crypto import PayloadCipher, SealError
from offline_queue.errors import PayloadUnreadable, WrongKey
from offline_queue.store import QueueStore, State

NAME = "Jeanne Dupont-Évrard"
ADDRESS = "12 rue des Lilas, 34000 Montpellier"
PHONE = "06 12 34 56 78"


def _submission() -> bytes:
    data = {"nom": NAME, "adresse": ADDRESS, "telephone": PHONE, "motif": "carte d'identité"}
    return json.dumps({"data": data}, ensure_ascii=False).encode("utf-8")


def _files(queue_path: Path) -> list[Path]:
    return [p for p in (queue_path, Path(f"{queue_path}-wal"), Path(f"{queue_path}-shm"))
            if p.exists()]


def _assert_nothing_personal(queue_path: Path) -> None:
    files = _files(queue_path)
    assert queue_path in files
    for path in files:
        raw = path.read_bytes()
        for secret in (NAME, ADDRESS, PHONE, "Dupont", "Lilas"):
            for encoded in (secret.encode("utf-8"), json.dumps(secret).encode()):
                assert encoded not in raw, f"{secret!r} in clear in {path.name}"


def test_sqlite_files_hold_no_personal_data_after_enqueue(
    queue_path: Path, queue_key: bytes
) -> None:
    store = QueueStore(queue_path, queue_key)
    store.enqueue("3f0c1f7e-0000-4000-8000-000000000001", "ADM-7K3-Q9P", "etat-civil",
                  _submission())
    # The connection is open: the row sits in the WAL, not yet checkpointed.
    assert Path(f"{queue_path}-wal").stat().st_size > 0
    _assert_nothing_personal(queue_path)
    # The reference (not personal) is in clear: the scan does look at the right bytes.
    assert any(b"ADM-7K3-Q9P" in p.read_bytes() for p in _files(queue_path))

    claimed = store.claim_next()
    assert claimed is not None
    assert claimed.payload == _submission()
    store.mark_delivered(claimed.item_id, "BO-1")
    store.close()  # checkpoint into the main file
    _assert_nothing_personal(queue_path)


def test_the_wrong_key_cannot_open_the_queue(queue_path: Path, queue_key: bytes) -> None:
    with QueueStore(queue_path, queue_key) as store:
        store.enqueue("id-1", "R1", "k", _submission())
    with pytest.raises(WrongKey):
        QueueStore(queue_path, os.urandom(32))
    with QueueStore(queue_path, queue_key) as again:
        claimed = again.claim_next()
        assert claimed is not None
        assert claimed.payload == _submission()


def test_a_payload_sealed_with_another_key_or_id_does_not_open(queue_key: bytes) -> None:
    cipher = PayloadCipher(queue_key)
    blob = cipher.seal(b"secret", "id-1")
    assert cipher.open(blob, "id-1") == b"secret"
    with pytest.raises(SealError):
        PayloadCipher(os.urandom(32)).open(blob, "id-1")
    with pytest.raises(SealError):
        cipher.open(blob, "id-2")  # moved to another row
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(SealError):
        cipher.open(tampered, "id-1")
    assert cipher.seal(b"secret", "id-1") != blob  # a fresh nonce every time


def test_key_must_be_256_bits() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        PayloadCipher(b"short")


def test_a_corrupted_payload_sends_its_item_aside(queue_path: Path, queue_key: bytes) -> None:
    with QueueStore(queue_path, queue_key) as store:
        store.enqueue("bad", "R1", "k", b"one")
        store.enqueue("good", "R2", "k", b"two")
        with sqlite3.connect(queue_path) as raw:  # swap: each blob is bound to its id
            raw.execute("UPDATE items SET sealed = (SELECT sealed FROM items WHERE id='good') "
                        "WHERE id = 'bad'")
        with pytest.raises(PayloadUnreadable):
            store.claim_next()
        assert store.get("bad").state is State.DEAD
        claimed = store.claim_next()
        assert claimed is not None
        assert claimed.item_id == "good"
