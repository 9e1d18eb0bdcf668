"""Wrong PINs sent all at once, by threads and by processes, against one real SQLite file.

The audit found 22 parallel wrong PINs all checked and the account left unlocked: the
lock check and the count were two transactions, and a late failure cleared the lock. Here
every attempt is counted in the same transaction that checks the lock, before its PIN is
checked: at most ``MAX_FAILURES`` PINs are ever hashed, and the account ends locked.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kiosk.audit.journal import Journal
from kiosk.mediator import accounts
from kiosk.mediator.accounts import MEDIATORS_FILE, AuthOutcome, AuthResult, MediatorRegistry
from kiosk.mediator.lockout import MAX_FAILURES
from tests.kiosk.mediator.conftest import PIN

WRONG = "190837"
THREADS = 22
PROCESSES = 4
ATTEMPTS_PER_PROCESS = 6


@pytest.fixture(autouse=True)
def real_scrypt_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real cost (~50 ms a check) keeps the window between check and count wide open.
    monkeypatch.setattr("kiosk.security.pin._N", 2**14)


class CountingVerify:
    """``verify_pin`` that counts its calls (from any thread)."""

    def __init__(self, real: Callable[[str, str], bool]) -> None:
        self._real = real
        self._lock = threading.Lock()
        self.calls = 0

    def __call__(self, pin: str, stored: str) -> bool:
        with self._lock:
            self.calls += 1
        return self._real(pin, stored)


def attempts_at_once(
    path: Path, mediator_id: str, count: int, pin: str, journal: Journal | None = None
) -> tuple[int, list[str]]:
    """``count`` threads, released together, each try ``pin`` once on their own registry.

    Returns how many PINs were hashed and what each attempt was answered.
    """
    counting = CountingVerify(accounts.verify_pin)
    accounts.verify_pin = counting  # type: ignore[assignment]
    start = threading.Barrier(count)

    def attempt(_: int) -> AuthResult:
        with MediatorRegistry(path, journal) as registry:
            start.wait()
            return registry.authenticate(mediator_id, pin)

    try:
        with ThreadPoolExecutor(count) as pool:
            results = list(pool.map(attempt, range(count)))
    finally:
        accounts.verify_pin = counting._real  # type: ignore[assignment]
    return counting.calls, [result.outcome.value for result in results]


def test_parallel_wrong_pins_from_threads_lock_after_the_limit(
    registry: MediatorRegistry, journal: Journal, data_dir: Path
) -> None:
    camille = registry.add("Camille", PIN)
    checked, outcomes = attempts_at_once(
        data_dir / MEDIATORS_FILE, camille.id, THREADS, WRONG, journal
    )
    assert checked <= MAX_FAILURES
    assert outcomes.count("locked") >= THREADS - MAX_FAILURES + 1
    assert "ok" not in outcomes
    assert registry.find(camille.id).strikes == 1
    assert registry.authenticate(camille.id, PIN).outcome is AuthOutcome.LOCKED
    kinds = [entry.kind for entry in journal.entries()]
    assert kinds.count("pin_failed") == checked
    assert kinds.count("account_locked") == 1


def _in_a_process(path: str, mediator_id: str, start: Any, checked: Any) -> None:
    start.wait()  # every process is up: they try at once
    count, _outcomes = attempts_at_once(Path(path), mediator_id, ATTEMPTS_PER_PROCESS, WRONG)
    checked.put(count)


def test_parallel_wrong_pins_from_processes_lock_after_the_limit(
    registry: MediatorRegistry, data_dir: Path
) -> None:
    camille = registry.add("Camille", PIN)
    context = multiprocessing.get_context("spawn")
    start, checked = context.Barrier(PROCESSES), context.Queue()
    args = (str(data_dir / MEDIATORS_FILE), camille.id, start, checked)
    processes = [context.Process(target=_in_a_process, args=args) for _ in range(PROCESSES)]
    for process in processes:
        process.start()
    counts = [checked.get(timeout=120) for _ in processes]
    for process in processes:
        process.join()
    assert [process.exitcode for process in processes] == [0] * PROCESSES
    assert sum(counts) <= MAX_FAILURES
    assert registry.authenticate(camille.id, PIN).outcome is AuthOutcome.LOCKED
    assert registry.find(camille.id).strikes == 1


def test_a_failure_checked_late_never_clears_a_lock(
    registry: MediatorRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another wrong PIN arrives while the fifth is being checked: it is refused, and the
    fifth's failure, counted afterwards, leaves the lock in place."""
    camille = registry.add("Camille", PIN)
    for _ in range(MAX_FAILURES - 1):
        registry.authenticate(camille.id, WRONG)
    meanwhile: list[AuthResult] = []
    checks = 0

    def check_with_a_second_attempt(pin: str, stored: str) -> bool:
        nonlocal checks
        checks += 1
        if checks == 1:
            meanwhile.append(registry.authenticate(camille.id, WRONG))
        return False

    monkeypatch.setattr(accounts, "verify_pin", check_with_a_second_attempt)
    assert registry.authenticate(camille.id, WRONG).outcome is AuthOutcome.LOCKED
    assert [result.outcome for result in meanwhile] == [AuthOutcome.LOCKED]
    assert checks == 1
    assert registry.find(camille.id).locked_until > 0
    assert registry.authenticate(camille.id, PIN).outcome is AuthOutcome.LOCKED
