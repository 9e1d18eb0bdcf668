"""A new PIN as a technician gives it, for ``kiosk enroll technician`` and ``kiosk mediator add``.

Typed twice without echo, so that a slip of the finger is caught before it is hashed, or
read from one line of stdin (``--pin-stdin``, for automation). The PIN is never printed;
its format is the caller's to check.
"""

from __future__ import annotations

import getpass
import sys

from kiosk.security.pin import MAX_PIN_LENGTH


class PinsDifferError(Exception):
    """The PIN typed the second time is not the first one."""

    def __init__(self) -> None:
        super().__init__("the two PINs differ")


def read_new_pin(whose: str, min_length: int, from_stdin: bool) -> str:
    """The new PIN of ``whose`` (``technician``, ``mediator``); ``PinsDifferError`` when
    the two typed differ."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"New {whose} PIN ({min_length} to {MAX_PIN_LENGTH} digits): ")
    if getpass.getpass("Same PIN again: ") != first:
        raise PinsDifferError
    return first
