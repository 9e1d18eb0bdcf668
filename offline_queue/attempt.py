"""One delivery attempt: claim the next due item, ask the connector, record the outcome.

This is the whole state machine of an attempt, free of threads, so the sync worker and
the property tests run exactly the same code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from offline_queue.backoff import BackoffPolicy
from offline_queue.connector import (
    Connector,
    Delivered,
    Outcome,
    Outgoing,
    Rejected,
    RetryLater,
    Unauthorized,
)
from offline_queue.errors import PayloadUnreadable
from offline_queue.store import QueueStore

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncEvent:
    """Something the sync engine did, for status displays and logs; no personal data.

    ``kind`` is one of: ``delivered``, ``retry``, ``dead``, ``paused``, ``resumed``,
    ``idle`` (nothing left to send now), ``recovered`` (interrupted attempts put back at
    start), ``expiring`` (items will be erased by the retention soon), ``expired``
    (an item's payload was erased undelivered), ``error`` (the queue file failed).
    ``detail`` is technical text: a back-office reason, a remote reference, a count.
    """

    kind: str
    item_id: str | None = None
    reference: str | None = None
    detail: str | None = None


def _ask(connector: Connector, item: Outgoing) -> Outcome:
    """The connector's answer; an exception counts as a passing failure (type only logged:
    its message may quote the payload)."""
    item_id = item.item_id
    try:
        outcome = connector.deliver(item)
    except Exception as error:  # a connector bug must not stop the queue
        name = type(error).__name__
        _log.warning("connector raised %s for item %s; will retry", name, item_id)
        return RetryLater(reason=f"connector error: {name}")
    if not isinstance(outcome, Delivered | RetryLater | Rejected | Unauthorized):
        _log.warning("connector returned %s for item %s", type(outcome).__name__, item_id)
        return RetryLater(reason=f"connector returned {type(outcome).__name__}")
    return outcome


def attempt_next(
    store: QueueStore, connector: Connector, policy: BackoffPolicy
) -> SyncEvent | None:
    """Make one attempt on the oldest due item; None when nothing is due (or paused)."""
    try:
        item = store.claim_next()
    except PayloadUnreadable as error:
        _log.error("%s", error)
        return SyncEvent("dead", error.item_id, None, "payload unreadable (corrupted)")
    if item is None:
        return None
    outcome = _ask(connector, item)
    ref = item.reference
    if isinstance(outcome, Delivered):
        store.mark_delivered(item.item_id, outcome.remote_reference)
        return SyncEvent("delivered", item.item_id, ref, outcome.remote_reference)
    if isinstance(outcome, RetryLater):
        delay = policy.delay(item.attempt, outcome.retry_after)
        store.mark_retry(item.item_id, outcome.reason, delay, outcome.retry_after)
        return SyncEvent("retry", item.item_id, ref, f"{outcome.reason}; retry in {delay:.1f} s")
    if isinstance(outcome, Rejected):
        store.mark_dead(item.item_id, outcome.reason)
        return SyncEvent("dead", item.item_id, ref, outcome.reason)
    store.mark_unauthorized(item.item_id, outcome.reason)
    return SyncEvent("paused", item.item_id, ref, outcome.reason)
