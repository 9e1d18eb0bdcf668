"""What the sync engine asks of a back office: the ``Connector`` protocol and its outcomes.

A connector turns one queued item into one delivery attempt and says how it went. It
knows its protocol (HTTP statuses, Publik, Open311); the queue only knows the outcomes
below and what each means for the item's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """One delivery attempt of one item, as the connector sees it.

    Attributes:
        item_id: the submission's UUID; also its idempotency key on every attempt.
        reference: the short reference given to the resident (e.g. ``ADM-7K3-Q9P``).
        payload: the decrypted payload (JSON bytes), in memory only.
        attempt: 1 for the first attempt.
        carried_over: the item was waiting when this queue connection was opened (the
            sync worker opens its own at start), so an attempt of an earlier run may have
            reached the back office even when the queue shows none: the worker's commits
            do not wait for the disk, and a power cut can undo the one that counted it.
            A back office without idempotency looks such an item up before sending.
    """

    item_id: str
    reference: str
    payload: bytes
    attempt: int
    carried_over: bool = False


@dataclass(frozen=True)
class Delivered:
    """The back office acknowledged the item; ``remote_reference`` is its own id if any,
    ``remote_url`` the address it gave for it, if any (in the outcome only: the queue
    file keeps ``remote_reference``)."""

    remote_reference: str | None = None
    remote_url: str | None = None


@dataclass(frozen=True)
class RetryLater:
    """A passing failure (network, timeout, 408, 409, 429, 5xx): try again later."""

    reason: str
    retry_after: float | None = None  # seconds asked by the server (Retry-After)


@dataclass(frozen=True)
class Rejected:
    """A permanent refusal of this item (other 4xx): it goes aside, with the reason."""

    reason: str


@dataclass(frozen=True)
class ClockRefused:
    """The back office refused the request's time: the terminal's clock is wrong.

    Neither the item nor the credentials are at fault, and nothing a technician resumes
    would help before the clock is right: the item is retried with backoff (as
    ``RetryLater``, the queue is not paused) and the queue records the clock problem
    (``QueueStatus.clock_error``) until a delivery succeeds. ``skew`` is how many
    seconds the back office's clock is ahead of the terminal's (negative: behind), when
    the connector could measure it.
    """

    reason: str
    skew: float | None = None


@dataclass(frozen=True)
class Unauthorized:
    """The terminal's credentials are refused (401/403): pause the whole queue."""

    reason: str


@dataclass(frozen=True)
class Misconfigured:
    """The address answers, but not as a back office does (a 404, a web page): the
    terminal's configuration is wrong. Pause the whole queue, as for ``Unauthorized``;
    the item is not at fault."""

    reason: str


Outcome = Delivered | RetryLater | ClockRefused | Rejected | Unauthorized | Misconfigured


class Connector(Protocol):
    """A back office the sync engine can deliver to."""

    def deliver(self, item: Outgoing) -> Outcome:
        """Make one attempt; never raise for network or server trouble, return an outcome."""
        ...

    def reachable(self) -> bool:
        """A cheap check that the back office answers (used to wake up after an outage)."""
        ...
