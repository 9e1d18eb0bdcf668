"""When to try again after a passing failure: exponential backoff with full jitter.

Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): the delay is drawn
uniformly in ``[0, min(cap, base * 2 ** (attempt - 1))]``, which spreads the retries of
many terminals after an outage. A server's ``Retry-After`` is a floor: the delay is at
least that, up to ``max_retry_after`` (a server asking for a week is not obeyed blindly).
"""

from __future__ import annotations

import math
import random

_MAX_EXPONENT = 62  # 2**62 * base is far above any cap; avoids float overflow


class BackoffPolicy:
    """Delays between attempts of one item.

    Args:
        base: upper bound of the first delay, in seconds.
        cap: the largest upper bound, in seconds.
        rng: the random source (tests pass a seeded ``random.Random``).
        max_retry_after: the largest ``Retry-After`` honoured, in seconds.
    """

    def __init__(
        self,
        base: float = 2.0,
        cap: float = 600.0,
        rng: random.Random | None = None,
        *,
        max_retry_after: float = 3600.0,
    ) -> None:
        if base <= 0 or cap < base:
            raise ValueError("backoff needs 0 < base <= cap")
        self.base = float(base)
        self.cap = float(cap)
        self.max_retry_after = float(max_retry_after)
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography

    def ceiling(self, attempt: int) -> float:
        """The upper bound of the delay after attempt number ``attempt`` (1 = first)."""
        exponent = min(max(attempt, 1) - 1, _MAX_EXPONENT)
        return min(self.cap, self.base * 2.0**exponent)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after failed attempt ``attempt``, honouring ``retry_after``."""
        jittered = self._rng.uniform(0.0, self.ceiling(attempt))
        if retry_after is None or math.isnan(retry_after) or retry_after <= 0:
            return jittered
        return max(jittered, min(retry_after, self.max_retry_after))

    def __repr__(self) -> str:
        return f"BackoffPolicy(base={self.base}, cap={self.cap})"
