"""Request bodies checked to the letter of docs/api/openapi.yaml (strict JSON, types, sizes).

Each check raises ``BodyError`` with the documented error code and a message that names
the problem; the endpoints turn it into a 400 (or 415 for the media type).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, NoReturn

from kiosk.audit.head import JournalHead
from kiosk.receiver.storage import HeartbeatDetails
from kiosk.statistics.keys import DayCounts, StatisticsError, check_days
from offline_queue.store import PAUSE_CONFIGURATION, PAUSE_CREDENTIALS

MAX_VERSION_LENGTH = 64
MAX_QUEUE_STATE_LENGTH = 32
MAX_UNIX_TIME = 2**53  # far beyond any clock; keeps the number exact in every database
PAUSE_CAUSES = (PAUSE_CREDENTIALS, PAUSE_CONFIGURATION)  # the spec's enum, in its order


class BodyError(ValueError):
    """A body the spec does not allow; ``code`` is the documented error code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def is_json_media_type(content_type: str | None) -> bool:
    """``application/json``, any case, with parameters (a charset must be UTF-8)."""
    if not content_type:
        return False
    media_type, *parameters = (part.strip().lower() for part in content_type.split(";"))
    if media_type != "application/json":
        return False
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip() == "charset" and value.strip().strip('"') not in ("utf-8", "utf8"):
            return False
    return True


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def parse_json_object(body: bytes, code: str) -> dict[str, Any]:
    """The body as a JSON object: UTF-8, RFC 8259 (no NaN, no infinite number), or ``BodyError``."""
    try:
        data = json.loads(
            body.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite_float
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as problem:
        raise BodyError(code, f"not strict JSON in UTF-8: {problem}") from None
    if not isinstance(data, dict):
        raise BodyError(code, "the body must be a JSON object")
    return data


def is_integer(value: object) -> bool:
    """JSON Schema's ``integer``: a number with no fractional part (``true`` is not one)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def check_submission(body: bytes) -> dict[str, Any]:
    """A submission: a JSON object whose ``reference``, if present, is a string, and whose
    ``journal_head``, if present, is a well-formed head (the kiosk never sends another)."""
    data = parse_json_object(body, "invalid_json")
    if "reference" in data and not isinstance(data["reference"], str):
        raise BodyError("invalid_submission", "reference must be a string")
    if "journal_head" in data:
        try:
            JournalHead.from_dict(data["journal_head"])
        except ValueError as problem:
            raise BodyError("invalid_submission", str(problem)) from None
    return data


@dataclass(frozen=True)
class HeartbeatBody:
    """What the receiver keeps of a heartbeat."""

    version: str
    queue: dict[str, int]
    journal_head: JournalHead | None = None
    details: HeartbeatDetails = field(default_factory=HeartbeatDetails)
    statistics: tuple[DayCounts, ...] = ()


def check_heartbeat(body: bytes) -> HeartbeatBody:
    """A heartbeat as the spec's ``Heartbeat`` schema says, or ``BodyError``."""
    data = parse_json_object(body, "invalid_heartbeat")
    version, queue = data.get("version"), data.get("queue")
    if not isinstance(version, str) or len(version) > MAX_VERSION_LENGTH:
        raise BodyError("invalid_heartbeat", f"version: a string of at most {MAX_VERSION_LENGTH}")
    if not isinstance(queue, dict):
        raise BodyError("invalid_heartbeat", "queue: an object of counts")
    counts: dict[str, int] = {}
    for state, count in queue.items():
        if len(state) > MAX_QUEUE_STATE_LENGTH:
            raise BodyError(
                "invalid_heartbeat", f"queue: state names of at most {MAX_QUEUE_STATE_LENGTH}"
            )
        if not is_integer(count) or count < 0:
            raise BodyError("invalid_heartbeat", "queue: counts are integers, 0 or more")
        counts[state] = int(count)
    if "terminal_id" in data and not isinstance(data["terminal_id"], str):
        raise BodyError("invalid_heartbeat", "terminal_id must be a string")
    head = None
    if "journal_head" in data:
        try:
            head = JournalHead.from_dict(data["journal_head"])
        except ValueError as problem:
            raise BodyError("invalid_heartbeat", str(problem)) from None
    return HeartbeatBody(version, counts, head, _details_of(data), _statistics_of(data))


def _details_of(data: dict[str, Any]) -> HeartbeatDetails:
    """The heartbeat's optional details (its clock, catalog and pause), or ``BodyError``."""
    sent_at: Any = data.get("sent_at")
    if "sent_at" in data and not (is_integer(sent_at) and 0 <= sent_at <= MAX_UNIX_TIME):
        raise BodyError("invalid_heartbeat", "sent_at must be an integer (Unix time)")
    catalog_version = data.get("catalog_version")
    if "catalog_version" in data and not (
        isinstance(catalog_version, str) and len(catalog_version) <= MAX_VERSION_LENGTH
    ):
        raise BodyError(
            "invalid_heartbeat", f"catalog_version: a string of at most {MAX_VERSION_LENGTH}"
        )
    paused = data.get("paused")
    if "paused" in data and not isinstance(paused, bool):
        raise BodyError("invalid_heartbeat", "paused must be true or false")
    pause_cause = data.get("pause_cause")
    if "pause_cause" in data and pause_cause not in PAUSE_CAUSES:
        raise BodyError("invalid_heartbeat", f"pause_cause: one of {', '.join(PAUSE_CAUSES)}")
    if pause_cause is not None and paused is not True:
        raise BodyError("invalid_heartbeat", "pause_cause goes with paused: true only")
    return HeartbeatDetails(
        None if sent_at is None else int(sent_at), catalog_version, paused, pause_cause
    )


def _statistics_of(data: dict[str, Any]) -> tuple[DayCounts, ...]:
    """The heartbeat's days of statistics (none without them), or ``invalid_statistics``."""
    if "statistics" not in data:
        return ()
    try:
        return tuple(check_days(data["statistics"]))
    except StatisticsError as problem:
        raise BodyError("invalid_statistics", str(problem)) from None
