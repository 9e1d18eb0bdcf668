"""The shape of a connector to a back office without idempotency (w.c.s., Open311): from
an item's second attempt on, and for an item carried over from an earlier run of the
worker (a power cut may have undone the count of an attempt that reached the back office:
``Outgoing.carried_over``), look for what an earlier attempt may have stored, and send
only when there is nothing; never raise."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Generic, TypeVar

from kiosk.connectors.bounded_http import BoundedHttp, guarded
from offline_queue.connector import Outcome, Outgoing, Rejected

Prepared = TypeVar("Prepared")
_log = logging.getLogger(__name__)


class LookUpFirst(ABC, Generic[Prepared]):
    """``deliver`` = ``_prepare`` (before any request: what to send, or why it cannot go),
    then ``_look_up`` from the second attempt on or when carried over (an outcome ends
    the attempt: found, or the look-up failed; None: nothing there), then ``_send``.
    Network trouble and unexpected errors become ``RetryLater``."""

    def __init__(self, http: BoundedHttp, *, most_requests: int = 2) -> None:
        self._http = http
        self.deadline = http.deadline
        self._most_requests = most_requests  # in one ``deliver``

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    @property
    def longest_call(self) -> float:
        """Seconds one ``deliver`` may last at most (a look-up, then a send, and what
        follows the send, if anything), for the kiosk's stop (each request is cut at its
        deadline, see bounded_http)."""
        return self._most_requests * (self._http.deadline + self._http.connect_timeout)

    def deliver(self, item: Outgoing) -> Outcome:
        """Look up (from the second attempt on, or carried over), then send; never
        raises."""
        prepared = self._prepare(item)
        if isinstance(prepared, Rejected):
            return prepared

        def attempt() -> Outcome:
            if (item.attempt > 1 or item.carried_over) and self._must_look_up(item):
                earlier = self._look_up(item, prepared)
                if earlier is not None:
                    return earlier
            return self._send(item, prepared)

        return guarded(attempt, item.reference, _log)

    def _must_look_up(self, item: Outgoing) -> bool:
        """Whether this attempt (not a first one, or carried over) looks up before
        sending."""
        return True

    @abstractmethod
    def _prepare(self, item: Outgoing) -> Prepared | Rejected:
        """What to send for ``item``, or why it cannot go (no request made)."""

    @abstractmethod
    def _look_up(self, item: Outgoing, prepared: Prepared) -> Outcome | None:
        """What an earlier attempt stored, as ``Delivered``; None when nothing; or the
        outcome that ends this attempt without sending."""

    @abstractmethod
    def _send(self, item: Outgoing, prepared: Prepared) -> Outcome:
        """Send ``prepared`` and classify the answer."""
