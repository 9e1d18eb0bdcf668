"""Errors of the offline queue. Messages are technical (for logs and technicians) and
never hold personal data: they name items by their UUID, never by their content."""

from __future__ import annotations


class QueueError(Exception):
    """Base class of every error raised by the offline queue."""


class DuplicateItem(QueueError):  # noqa: N818 - names of the public API
    """An item with this id is already queued (the first one is kept, untouched)."""

    def __init__(self, item_id: str) -> None:
        super().__init__(f"item {item_id} is already in the queue")
        self.item_id = item_id


class UnknownItem(QueueError, KeyError):  # noqa: N818 - names of the public API
    """No item has this id."""

    def __init__(self, item_id: str) -> None:
        super().__init__(f"no item {item_id} in the queue")
        self.item_id = item_id

    def __str__(self) -> str:  # KeyError would print the repr of the args
        return str(self.args[0])


class NotRetryable(QueueError):  # noqa: N818 - names of the public API
    """The item cannot be sent again (delivered, being sent, or its payload was erased)."""

    def __init__(self, item_id: str, why: str) -> None:
        super().__init__(f"item {item_id} cannot be retried: {why}")
        self.item_id = item_id


class WrongKey(QueueError):  # noqa: N818 - names of the public API
    """The data key given does not open this queue (it was created with another key)."""


class PayloadUnreadable(QueueError):  # noqa: N818 - names of the public API
    """One payload does not decrypt with the queue's key: it is corrupted."""

    def __init__(self, item_id: str) -> None:
        super().__init__(f"payload of item {item_id} cannot be decrypted (corrupted)")
        self.item_id = item_id


class SchemaTooNew(QueueError):  # noqa: N818 - names of the public API
    """The queue file was written by a newer version of this library."""


class WorkerAlreadyRunning(QueueError):  # noqa: N818 - names of the public API
    """Another sync worker (in this process or another) already drains this queue file."""
