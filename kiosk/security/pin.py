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


# The parameters a stored hash may carry. Outside them a hash is refused where it is
# read (the configuration at load time, the keyring by `kiosk doctor`) rather than tried:
# scrypt would need more memory than it may have (128 * n * r bytes) or take seconds,
# and then no PIN ever opens the pad.
MAX_N = 2**16
MAX_R, MAX_P = 16, 4
MAX_MEMORY = 2**25  # 128 * n * r bytes: 32 MiB (the default hash needs 16 MiB)
MAX_WORK = 2**20  # n * r * p: eight times the default cost, some 400 ms
SALT_BYTES, DIGEST_BYTES = 16, 32
_SCRYPT_MAXMEM = 2 * MAX_MEMORY  # what hashlib may allocate: MAX_MEMORY plus its buffers
PIN_HASH_SHAPE = (
    f"scrypt$n$r$p$salt$hash with n a power of two up to {MAX_N}, r from 1 to "
    f"{MAX_R}, p from 1 to {MAX_P}, 128*n*r at most {MAX_MEMORY} bytes, n*r*p at most "
    f"{MAX_WORK}, a salt of at least {SALT_BYTES} bytes and a hash of {DIGEST_BYTES} bytes "
    "(base64), as `kiosk enroll technician` prints"
)


class PinFormatError(ValueError):
    """The PIN is not 4 to 12 digits."""


def check_pin_format(pin: str, minimum: int = MIN_PIN_LENGTH) -> None:
    if not (pin.isascii() and pin.isdigit() and minimum <= len(pin) <= MAX_PIN_LENGTH):
        raise PinFormatError(f"a PIN is {minimum} to {MAX_PIN_LENGTH} digits")


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    import hashlib

    return hashlib.scrypt(
        pin.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=DIGEST_BYTES
    )


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
    return pin_hash_problem(text) is None


def pin_hash_problem(text: str) -> str | None:
    """What is wrong with ``text`` as a stored PIN hash, or None when it can be used."""
    try:
        _parse(text)
    except ValueError as error:
        return str(error)
    return None


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    import binascii

    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _PREFIX:
        raise ValueError("not a PIN hash made by hash_pin")
    if not all(x.isascii() and x.isdigit() and len(x) <= 8 for x in parts[1:4]):
        raise ValueError("the PIN hash parameters n, r, p are not small whole numbers")
    n, r, p = (int(x) for x in parts[1:4])
    if not (2 <= n <= MAX_N and n & (n - 1) == 0 and 1 <= r <= MAX_R and 1 <= p <= MAX_P):
        raise ValueError(f"PIN hash parameters out of range (n={n}, r={r}, p={p})")
    if 128 * n * r > MAX_MEMORY or n * r * p > MAX_WORK:
        raise ValueError(f"PIN hash parameters too costly (n={n}, r={r}, p={p})")
    try:
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except binascii.Error:
        raise ValueError("the PIN hash salt or hash is not base64") from None
    if len(salt) < SALT_BYTES or len(digest) != DIGEST_BYTES:
        raise ValueError(f"the PIN hash needs a salt of at least {SALT_BYTES} bytes and a "
                         f"hash of {DIGEST_BYTES} bytes")
    return n, r, p, salt, digest


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
