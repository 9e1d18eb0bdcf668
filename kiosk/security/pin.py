"""PIN hashing (scrypt, salted); the lockouts are in technician_lockout and kiosk.mediator.

A PIN is never stored or logged in clear: only ``scrypt$n$r$p$salt$hash`` strings
(base64), produced by ``hash_pin`` and checked by ``verify_pin`` in constant time.

hashlib, hmac and secrets are imported where they are used: they load OpenSSL (3 ms), and
the welcome screen, which imports this module for its constants, hashes nothing.
"""

from __future__ import annotations

import base64

# scrypt cost: about 50 ms on a kiosk-class CPU, 16 MiB of memory: slow to brute-force
# offline, quick enough for a person at the pad.
_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"
MIN_PIN_LENGTH = 4
# A technician PIN guards the exit from the kiosk: longer than the shortest PINs.
TECHNICIAN_PIN_MIN_LENGTH = 6
MAX_PIN_LENGTH = 12


class PinFormatError(ValueError):
    """The PIN is not 4 to 12 digits."""


def check_pin_format(pin: str, minimum: int = MIN_PIN_LENGTH) -> None:
    if not (pin.isascii() and pin.isdigit() and minimum <= len(pin) <= MAX_PIN_LENGTH):
        raise PinFormatError(f"a PIN is {minimum} to {MAX_PIN_LENGTH} digits")


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    import hashlib

    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=32)


def hash_pin(pin: str, minimum: int = MIN_PIN_LENGTH) -> str:
    """A salted scrypt hash of ``pin``, safe to store in config or keyring."""
    import secrets

    check_pin_format(pin, minimum)
    salt = secrets.token_bytes(16)
    digest = _derive(pin, salt, _N, _R, _P)
    b64 = base64.b64encode
    return f"{_PREFIX}${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def is_pin_hash(text: str) -> bool:
    """True when ``text`` has the shape of a hash made by ``hash_pin``."""
    try:
        _parse(text)
    except ValueError:
        return False
    return True


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _PREFIX:
        raise ValueError("not a PIN hash made by hash_pin")
    n, r, p = (int(x) for x in parts[1:4])
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
        raise ValueError("PIN hash parameters out of range")
    return n, r, p, base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5])


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches ``stored``; False for a malformed PIN or hash."""
    try:
        n, r, p, salt, digest = _parse(stored)
    except ValueError:
        return False
    if not (pin.isascii() and pin.isdigit() and len(pin) <= MAX_PIN_LENGTH):
        return False
    import hmac

    return hmac.compare_digest(_derive(pin, salt, n, r, p), digest)
