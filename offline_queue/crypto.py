"""Encryption of payloads at rest: AES-256-GCM, a fresh 96-bit nonce per encryption.

A sealed blob is ``version (1 byte) || nonce (12 bytes) || ciphertext+tag``. The item's
id is the associated data, so a ciphertext moved to another row does not decrypt.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
_FORMAT_V1 = b"\x01"


class SealError(ValueError):
    """A blob does not open with this key and associated data (wrong key or corrupted)."""


class PayloadCipher:
    """Seals and opens payloads with one AES-256-GCM key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"the queue data key must be {KEY_BYTES} bytes, not {len(key)}")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, associated: str) -> bytes:
        """Encrypt ``plaintext`` bound to ``associated`` (the item id)."""
        nonce = os.urandom(NONCE_BYTES)
        return _FORMAT_V1 + nonce + self._aead.encrypt(nonce, plaintext, associated.encode())

    def open(self, blob: bytes, associated: str) -> bytes:
        """Decrypt a sealed blob, or raise SealError."""
        if blob[:1] != _FORMAT_V1 or len(blob) < 1 + NONCE_BYTES + 16:
            raise SealError("unknown or truncated sealed blob")
        nonce = blob[1 : 1 + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, blob[1 + NONCE_BYTES :], associated.encode())
        except InvalidTag:
            raise SealError("authentication failed") from None
