"""The technician PIN as the kiosk finds it: the configured hash, else the keyring's (no Qt).

Shared by the composition root (the PIN pad), ``kiosk doctor`` (is a PIN enrolled?) and
``kiosk enroll technician`` (which writes the keyring entry read here).
"""

from __future__ import annotations

from kiosk import secrets
from kiosk.config import Config
from kiosk.security.pin import TECHNICIAN_PIN_MIN_LENGTH

# Only for a terminal no technician has enrolled yet; `kiosk doctor` reports it as FAIL.
DEFAULT_TECHNICIAN_PIN = "123456"

__all__ = ["DEFAULT_TECHNICIAN_PIN", "TECHNICIAN_PIN_MIN_LENGTH", "technician_pin_hash"]


def technician_pin_hash(config: Config) -> str | None:
    """The enrolled technician PIN hash: config first, then keyring; None if none."""
    return config.security.technician_pin_hash or secrets.get_secret(secrets.TECHNICIAN_PIN)
