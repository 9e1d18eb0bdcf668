"""Backoff: full jitter within its ceiling, capped, Retry-After as a floor."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offline_queue.backoff import BackoffPolicy

bases = st.floats(min_value=0.01, max_value=60.0)
caps = st.floats(min_value=60.0, max_value=7200.0)
attempts = st.integers(min_value=-5, max_value=10_000)
seeds = st.integers(min_value=0, max_value=2**32)


@given(base=bases, cap=caps, attempt=attempts, seed=seeds)
def test_delay_is_within_zero_and_the_capped_ceiling(
    base: float, cap: float, attempt: int, seed: int
) -> None:
    policy = BackoffPolicy(base, cap, random.Random(seed))
    delay = policy.delay(attempt, None)
    assert 0.0 <= delay <= policy.ceiling(attempt) <= cap
    assert math.isfinite(delay)


@given(base=bases, cap=caps, attempt=st.integers(min_value=1, max_value=200))
def test_ceiling_doubles_until_the_cap(base: float, cap: float, attempt: int) -> None:
    policy = BackoffPolicy(base, cap)
    assert policy.ceiling(1) == base
    assert policy.ceiling(attempt + 1) == min(cap, 2 * policy.ceiling(attempt))


@given(
    attempt=attempts,
    retry_after=st.floats(min_value=0.001, max_value=1e9),
    seed=seeds,
)
def test_retry_after_is_a_floor_up_to_the_sane_maximum(
    attempt: int, retry_after: float, seed: int
) -> None:
    policy = BackoffPolicy(2.0, 600.0, random.Random(seed), max_retry_after=3600.0)
    delay = policy.delay(attempt, retry_after)
    floor = min(retry_after, 3600.0)
    assert floor <= delay <= max(floor, policy.ceiling(attempt))


@pytest.mark.parametrize("nonsense", [None, 0.0, -3.0, math.nan])
def test_meaningless_retry_after_is_ignored(nonsense: float | None) -> None:
    policy = BackoffPolicy(2.0, 600.0, random.Random(1))
    delay = policy.delay(1, nonsense)
    assert 0.0 <= delay <= 2.0


def test_jitter_spreads_the_delays() -> None:
    policy = BackoffPolicy(2.0, 600.0, random.Random(7))
    delays = {round(policy.delay(10, None), 3) for _ in range(50)}
    assert len(delays) > 40
    assert max(delays) > 300  # the whole [0, 600] range is used


@pytest.mark.parametrize(("base", "cap"), [(0.0, 10.0), (-1.0, 10.0), (10.0, 5.0)])
def test_nonsense_settings_are_refused(base: float, cap: float) -> None:
    with pytest.raises(ValueError, match="base"):
        BackoffPolicy(base, cap)
