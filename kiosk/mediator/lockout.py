"""How long a mediator account stays locked after wrong PINs.

Five wrong PINs in a row are one "strike": the account locks for 5 minutes at the first
strike, then twice as long at each further strike (10, 20, 40, 80, 160 min), never more
than 4 hours. While locked, no PIN is checked or counted. A right PIN, or
``kiosk mediator unlock``, clears failures and strikes.
"""

from __future__ import annotations

MAX_FAILURES = 5
FIRST_LOCK_SECONDS = 5 * 60.0
MAX_LOCK_SECONDS = 4 * 3600.0


def lock_seconds(strikes: int) -> float:
    """The lock that the ``strikes``-th strike causes (strikes >= 1)."""
    if strikes < 1:
        raise ValueError("a lock follows at least one strike")
    # min() before the power would still overflow for huge counts: cap the exponent.
    return min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2.0 ** min(strikes - 1, 32))
