"""One delivery attempt: claim the next due item, ask the connector, record the outcome.

This is the whole state machine of an attempt, free of threads, so the sync worker and
the property tests run exactly the same code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from offline_queue.backoff import BackoffPolicy
from offline_queue.connector import (
    ClockRefused,
    Connector,
    Delivered,
    Outcome,
    Outgoing,
    Rejected,
    RetryLater,
)
from offline_queue.errors import PayloadUnreadable
from offline_queue.store import Claim, QueueStore

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncEvent:
    """Something the sync engine did, for status displays and logs; no personal data.

    ``kind`` is one of: ``delivered``, ``retry``, ``clock`` (a retry because the back
    office refused the terminal's clock), ``dead``, ``paused``, ``resumed``,
    ``idle`` (nothing left to send now), ``recovered`` (interrupted attempts put back at
    start), ``expiring`` (items will be erased by the retention soon), ``expired``
    (an item's payload was erased undelivered), ``error`` (the queue file failed).
    ``detail`` is technical text: a back-office reason, a remote reference, a count.
    ``remote_url``: for ``delivered``, the page the back office gave for the request (the
    receipt's QR code then leads there), if any.
    """

    kind: str
    item_id: str | None = None
    reference: str | None = None
    detail: str | None = None
    remote_url: str | None = None


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
    if not isinstance(outcome, Outcome):
        _log.warning("connector returned %s for item %s", type(outcome).__name__, item_id)
        return RetryLater(reason=f"connector returned {type(outcome).__name__}")
    return outcome


@dataclass(frozen=True)
class Attempt:
    """What one attempt did (``event``; None when nothing was due) and the item it
    claimed next in the same commit (``claimed``: already ``sending``, to be sent by the
    next attempt, or to be given back with ``QueueStore.release``)."""

    event: SyncEvent | None
    claimed: Claim = None


def unreadable_event(error: PayloadUnreadable) -> SyncEvent:
    """The ``dead`` event of an item whose payload does not decrypt (logged too)."""
    _log.error("%s", error)
    return SyncEvent("dead", error.item_id, None, "payload unreadable (corrupted)")


def attempt(
    store: QueueStore,
    connector: Connector,
    policy: BackoffPolicy,
    claimed: Claim = None,
    *,
    claim_next: Callable[[], bool] | None = None,
) -> Attempt:
    """One attempt on ``claimed`` (an item the previous attempt claimed) or, if None, on
    the oldest due item. Its outcome is recorded and, if ``claim_next()`` (asked once the
    answer is in, e.g. "not stopping") says so, the next due item is claimed in the same
    transaction: one commit per item while draining, every change still durable before
    the next network call."""
    if isinstance(claimed, PayloadUnreadable):  # already dead, in the previous commit
        return Attempt(unreadable_event(claimed))
    item = claimed
    if item is None:
        try:
            item = store.claim_next()
        except PayloadUnreadable as error:
            return Attempt(unreadable_event(error))
        if item is None:
            return Attempt(None)
    outcome = _ask(connector, item)
    ref = item.reference
    delay = 0.0
    if isinstance(outcome, Delivered):
        event = SyncEvent(
            "delivered", item.item_id, ref, outcome.remote_reference, outcome.remote_url
        )
    elif isinstance(outcome, RetryLater):
        delay = policy.delay(item.attempt, outcome.retry_after)
        event = SyncEvent("retry", item.item_id, ref, f"{outcome.reason}; retry in {delay:.1f} s")
    elif isinstance(outcome, ClockRefused):
        delay = policy.delay(item.attempt, None)
        event = SyncEvent("clock", item.item_id, ref, f"{outcome.reason}; retry in {delay:.1f} s")
    elif isinstance(outcome, Rejected):
        event = SyncEvent("dead", item.item_id, ref, outcome.reason)
    else:  # Unauthorized, Misconfigured
        event = SyncEvent("paused", item.item_id, ref, outcome.reason)
    chain = claim_next is not None and claim_next()
    following = store.record_outcome(item.item_id, outcome, delay=delay, claim_next=chain)
    return Attempt(event, following)


def attempt_next(
    store: QueueStore, connector: Connector, policy: BackoffPolicy
) -> SyncEvent | None:
    """Make one attempt on the oldest due item; None when nothing is due (or paused)."""
    return attempt(store, connector, policy).event
