"""The sync worker: a thread that drains the queue to a connector, and sleeps otherwise.

It wakes up on ``wake()`` (a new item), when the earliest ``retry_wait`` falls due, on its
periodic timer (``interval``: housekeeping, items added by another process) and, while
items wait for a retry, on a network probe every ``probe_interval``: when
``connector.reachable()`` goes from False to True the waiting items are made due at once
(a server's ``Retry-After`` is still honoured). It never spins: with nothing due it
sleeps until the first of those moments.

One worker per queue file: a lock file (``<db>.worker-lock``, ``flock``) refuses a second
one, in this process or another, which is what makes ``recover_sending()`` at start safe.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from offline_queue.attempt import SyncEvent, attempt, unreadable_event
from offline_queue.backoff import BackoffPolicy
from offline_queue.connector import Connector
from offline_queue.errors import PayloadUnreadable, QueueError, WorkerAlreadyRunning
from offline_queue.store import DEFAULT_LINK_SECONDS, DEFAULT_RETENTION_SECONDS, Claim, QueueStore

__all__ = ["BackoffPolicy", "SyncEvent", "SyncWorker"]

_log = logging.getLogger(__name__)
_MIN_SLEEP = 0.01  # seconds; guards against clock skew between the DB clock and sleeps
CLOCK_STEP = 60.0  # seconds; a wall clock that jumps more than this was set (NTP, by hand)


def _since_boot() -> float:
    """Seconds since boot, suspended time included (a suspend is not a clock step)."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def _lock_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".worker-lock")


def _take_lock(store_path: Path) -> int:
    store_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(_lock_path(store_path), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise WorkerAlreadyRunning(f"a sync worker already drains {store_path.name}") from None
    return fd


class SyncWorker:
    """Delivers queued items through ``connector`` on a thread of its own.

    The worker opens its own ``QueueStore`` (its own SQLite connection) in its thread.
    ``on_event`` is called on the worker thread; it must be quick and not raise (an
    exception it raises is logged and ignored).
    """

    def __init__(
        self,
        store_path: Path,
        key: bytes,
        connector: Connector,
        *,
        policy: BackoffPolicy | None = None,
        interval: float = 30.0,
        probe_interval: float = 15.0,
        on_event: Callable[[SyncEvent], None] | None = None,
        clock: Callable[[], float] = time.time,
        retention_seconds: float = DEFAULT_RETENTION_SECONDS,
        expiry_warning_seconds: float | None = None,
        link_seconds: float = DEFAULT_LINK_SECONDS,
    ) -> None:
        self._path = Path(store_path)
        self._key = key
        self._connector = connector
        self._policy = policy or BackoffPolicy()
        self._interval = interval
        self._probe_interval = probe_interval
        self._on_event = on_event
        self._clock = clock
        self._retention = retention_seconds
        self._expiry_warning = expiry_warning_seconds
        self._link = link_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._resume = threading.Event()
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ control (any thread)

    def start(self) -> None:
        """Open the queue, recover interrupted attempts, and start draining.

        Raises what opening the queue raises (``WrongKey``, ``WorkerAlreadyRunning``...).
        """
        if self._thread is not None:
            raise RuntimeError("a SyncWorker starts once")
        self._thread = threading.Thread(target=self._run, name="offline-queue-sync", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            raise self._startup_error

    def wake(self) -> None:
        """Look for due items now (call it after an enqueue)."""
        self._wake.set()

    def resume(self) -> None:
        """Lift a pause (after the credentials were fixed) and start sending again."""
        if self.running:
            self._resume.set()
            self._wake.set()
        else:
            with self._open_store() as store:
                store.resume()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop after the attempt under way, if any, has recorded its outcome.

        Returns True when the worker thread has ended (or never started). If the attempt
        outlasts ``timeout`` the call returns False: the thread still runs, the item stays
        ``sending`` until the attempt ends, or, if the process exits first, until the next
        worker's start puts it back to ``pending``. A connector whose every call has a
        deadline (``HttpApiConnector``) ends it within that deadline.
        """
        self._stop.set()
        self._wake.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        if self._thread.is_alive():
            _log.warning("sync worker still busy with an attempt after %.1f s", timeout)
            return False
        return True

    @property
    def running(self) -> bool:
        """Whether the worker thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------ the worker thread

    def _open_store(self) -> QueueStore:
        return QueueStore(
            self._path,
            self._key,
            clock=self._clock,
            retention_seconds=self._retention,
            expiry_warning_seconds=self._expiry_warning,
            # The worker's writes are outcomes (delivered, retry, dead, pause). A power cut
            # may lose the last of them, never corrupt the file (WAL): the item is then sent
            # again with the same idempotency key and the back office answers as the first
            # time. So they need not wait for the disk; enqueues (the GUI's connection)
            # still do: an acknowledged request must survive anything.
            durable_outcomes=False,
        )

    def _emit(self, event: SyncEvent) -> None:
        _log.info("queue %s %s", event.kind, event.item_id or "")
        if self._on_event is None:
            return
        try:
            self._on_event(event)
        except Exception as error:  # a display bug must not stop deliveries
            _log.warning("on_event raised %s", type(error).__name__)

    def _run(self) -> None:
        try:
            lock = _take_lock(self._path)
        except BaseException as error:  # handed to start() in the caller's thread
            self._startup_error = error
            self._ready.set()
            return
        try:
            try:
                store = self._open_store()
                recovered = store.recover_sending()
            except BaseException as error:
                self._startup_error = error
                self._ready.set()
                return
            self._ready.set()
            if recovered:
                self._emit(SyncEvent("recovered", detail=f"{recovered} interrupted attempt(s)"))
            with store:
                _Loop(self, store).run()
        finally:
            os.close(lock)  # releases the flock


class _Loop:
    """The worker thread's state between two sleeps."""

    def __init__(self, worker: SyncWorker, store: QueueStore) -> None:
        self.w = worker
        self.store = store
        self.next_housekeeping = 0.0  # monotonic
        self.next_probe = 0.0  # monotonic
        self.was_reachable: bool | None = None
        self.announced_pause = False
        self.busy = True  # so that the first empty look says "idle"
        self.expiring_announced = 0
        # The wall clock at start, and (wall clock, seconds since boot) at the last
        # housekeeping: a jump of one against the other is a clock set (see housekeeping).
        self.started_at = worker._clock()
        self.clock_mark = (self.started_at, _since_boot())
        # The item the last attempt claimed in its outcome's commit (already `sending`),
        # sent by the next step; given back if we stop or find the queue paused first.
        self.claimed: Claim = None

    def run(self) -> None:
        while not self.w._stop.is_set():
            try:
                timeout = self.step()
            except (sqlite3.Error, QueueError) as error:
                # Disk full, lock timeout...: nothing is half-written (each change is one
                # transaction). Wait, then put back our own interrupted item, if any.
                _log.error("queue file error %s; retrying later", type(error).__name__)
                self.w._emit(SyncEvent("error", detail=type(error).__name__))
                self.w._wake.wait(self.w._interval)
                self.w._wake.clear()
                self._recover_quietly()
                continue
            if timeout > 0:
                self.w._wake.wait(timeout)
                self.w._wake.clear()
        self.give_back()

    def _recover_quietly(self) -> None:
        try:
            self.store.recover_sending()  # our claimed item too, if any
            self.claimed = None
        except (sqlite3.Error, QueueError) as error:
            _log.error("queue file still failing: %s", type(error).__name__)

    def going_on(self) -> bool:
        """Whether to claim the next item with this outcome (not when stopping)."""
        return not self.w._stop.is_set()

    def give_back(self) -> None:
        """Return the item claimed ahead and not sent (stopping, or paused meanwhile)."""
        claimed, self.claimed = self.claimed, None
        if isinstance(claimed, PayloadUnreadable):  # already dead: only tell
            self.w._emit(unreadable_event(claimed))
        elif claimed is not None:
            try:
                self.store.release(claimed.item_id)
            except (sqlite3.Error, QueueError) as error:  # it stays `sending`: recovered at start
                _log.error("could not release item %s: %s", claimed.item_id, type(error).__name__)

    def step(self) -> float:
        """Do what is due; return how long to sleep (0: look again at once)."""
        w, store = self.w, self.store
        if w._resume.is_set():
            w._resume.clear()
            if store.resume():
                self.announced_pause = False
                w._emit(SyncEvent("resumed"))
        now = time.monotonic()
        if now >= self.next_housekeeping:
            self.housekeeping()
            self.next_housekeeping = now + w._interval
        if store.is_paused():
            self.give_back()
            if not self.announced_pause:
                self.announced_pause = True
                w._emit(SyncEvent("paused", detail=store.status().paused_reason))
            return w._interval
        self.announced_pause = False  # resumed here or by another process (CLI)
        claimed, self.claimed = self.claimed, None
        done = attempt(store, w._connector, w._policy, claimed, claim_next=self.going_on)
        self.claimed, event = done.claimed, done.event
        if event is not None:
            self.busy = True
            self.announced_pause = event.kind == "paused"
            w._emit(event)
            return 0.0
        if self.busy:
            self.busy = False
            w._emit(SyncEvent("idle"))
        return self.sleep_time()

    def sleep_time(self) -> float:
        """Until the earliest of: the next retry, the next probe, the timer."""
        w, store = self.w, self.store
        timeout = w._interval
        due = store.next_due_at()
        if due is not None:
            timeout = min(timeout, due - w._clock())
        if store.has_retry_wait():
            now = time.monotonic()
            if now >= self.next_probe:
                self.next_probe = now + w._probe_interval
                if self.probe() and store.release_waiting():
                    return 0.0
            timeout = min(timeout, self.next_probe - now)
        else:
            self.was_reachable = None
        return max(timeout, _MIN_SLEEP)

    def probe(self) -> bool:
        """True when the back office just came back (unreachable before, reachable now)."""
        try:
            reachable = bool(self.w._connector.reachable())
        except Exception as error:  # a failing probe means unreachable
            _log.info("reachable() raised %s", type(error).__name__)
            reachable = False
        came_back = reachable and self.was_reachable is False
        self.was_reachable = reachable
        return came_back

    def follow_clock_steps(self) -> None:
        """When the wall clock jumped since the last look (NTP set a terminal that booted
        with a wrong clock), the items this process stored on the old clock get their
        times moved by the jump (``QueueStore.clock_stepped``)."""
        wall, since_boot = self.w._clock(), _since_boot()
        last_wall, last_since_boot = self.clock_mark
        self.clock_mark = (wall, since_boot)
        old_clock_now = last_wall + (since_boot - last_since_boot)
        step = wall - old_clock_now
        if abs(step) <= CLOCK_STEP:
            return
        moved = self.store.clock_stepped(self.started_at, old_clock_now, step)
        _log.warning("clock set by %+.0f s: %d waiting item(s) moved with it", step, moved)
        self.started_at += step  # what this process stored from now on is on the new clock

    def housekeeping(self) -> None:
        """Retention: erase expired payloads, warn about those expiring soon, forget the
        links of requests delivered more than ``link_seconds`` ago; retries planned on a
        clock since set back are made due."""
        w, store = self.w, self.store
        self.follow_clock_steps()
        set_back = store.release_set_back()
        if set_back:
            _log.warning("clock set back: %d waiting item(s) made due now", set_back)
        for item in store.purge_expired():
            w._emit(SyncEvent("expired", item.id, item.reference, item.last_error))
        forgotten = store.purge_delivered(older_than=w._link)
        if forgotten:
            _log.info("%d delivered request(s) past the link retention forgotten", forgotten)
        status = store.status()
        if status.expiring_soon != self.expiring_announced:
            self.expiring_announced = status.expiring_soon
            if status.expiring_soon:
                w._emit(
                    SyncEvent(
                        "expiring",
                        detail=f"{status.expiring_soon} item(s); first at {status.next_expiry_at}",
                    )
                )
