"""The statistics' vocabulary: what a counter's name may look like, the duration buckets,
and the check a receiver applies to a day's counts (docs/statistics.md, field by field).

A key is dot-separated segments, lower-case ASCII letters first (``demarche.started``,
``text_size.large``); identifiers from the catalog (a démarche, a question) are segments
of ``[A-Za-z0-9_-]``. Nothing typed ever becomes a key: only names the kiosk or the
catalog gives.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

MAX_KEY_LENGTH = 160
MAX_SEGMENT_LENGTH = 64
MAX_KEYS_PER_DAY = 2000
MAX_COUNT = 10_000_000
MAX_DAYS_PER_HEARTBEAT = 7  # what a receiver accepts in one heartbeat
DAYS_SENT_PER_HEARTBEAT = 3  # what the kiosk sends (older days catch up beat by beat)

_KEY = re.compile(r"[a-z][a-z_]{0,31}(\.[A-Za-z0-9_-]{1,64}){0,4}")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")

# Time taken from a démarche's start to its sending: upper bounds in minutes, then more.
DURATION_BUCKETS: tuple[tuple[int, str], ...] = (
    (2, "under_2_min"),
    (5, "2_to_5_min"),
    (10, "5_to_10_min"),
    (20, "10_to_20_min"),
)
LONGEST_BUCKET = "over_20_min"


class StatisticsError(ValueError):
    """Statistics that docs/statistics.md does not allow (the receiver's ``invalid_statistics``)."""


def segment(identifier: str) -> str:
    """A catalog identifier as a key segment (other characters become ``_``, 64 at most)."""
    return _UNSAFE.sub("_", identifier)[:MAX_SEGMENT_LENGTH] or "_"


def duration_bucket(seconds: float) -> str:
    """The bucket of a démarche that took ``seconds`` (never the exact time)."""
    for minutes, name in DURATION_BUCKETS:
        if seconds < minutes * 60:
            return name
    return LONGEST_BUCKET


@dataclass(frozen=True)
class DayCounts:
    """One day's counters: ``day`` an ISO date, ``counts`` key -> count."""

    day: str
    counts: Mapping[str, int]

    def to_dict(self) -> dict[str, object]:
        return {"day": self.day, "counts": dict(sorted(self.counts.items()))}


def _is_count(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return isinstance(value, int) and 0 <= value <= MAX_COUNT


def check_days(data: object) -> list[DayCounts]:
    """The ``statistics`` member of a heartbeat as docs/statistics.md says, or
    ``StatisticsError`` naming the first problem."""
    if not isinstance(data, list):
        raise StatisticsError("statistics: a list of days")
    if len(data) > MAX_DAYS_PER_HEARTBEAT:
        raise StatisticsError(f"statistics: at most {MAX_DAYS_PER_HEARTBEAT} days")
    days: list[DayCounts] = []
    for entry in data:
        if not isinstance(entry, dict) or set(entry) != {"day", "counts"}:
            raise StatisticsError("statistics: each day is {day, counts}")
        day, counts = entry["day"], entry["counts"]
        if not isinstance(day, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day):
            raise StatisticsError("statistics: day is a date, YYYY-MM-DD")
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            raise StatisticsError("statistics: day is not a real date") from None
        if not isinstance(counts, dict) or len(counts) > MAX_KEYS_PER_DAY:
            raise StatisticsError(f"statistics: counts, an object of at most {MAX_KEYS_PER_DAY}")
        checked: dict[str, int] = {}
        for key, count in counts.items():
            if len(key) > MAX_KEY_LENGTH or not _KEY.fullmatch(key):
                raise StatisticsError("statistics: a counter name outside the vocabulary")
            if not _is_count(count):
                raise StatisticsError(f"statistics: counts are integers from 0 to {MAX_COUNT}")
            checked[key] = int(count)
        days.append(DayCounts(day, checked))
    return days
