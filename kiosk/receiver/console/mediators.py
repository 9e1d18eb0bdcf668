"""The commune's mediator accounts: what the console's page and the terminals' roster do.

Every change is journaled in the console journal, like the other console changes:
``mediator_added``, ``mediator_disabled``, ``mediator_lockout_reset``,
``mediator_expiry_set``, and ``mediator_expired`` (actor ``système``) when an account
unused for ``expiry_days`` is disabled. Expiry is checked whenever the page is shown or a
terminal fetches the roster, so a stale account is disabled before any terminal is told
of it again: no timer to run, nothing to forget after a restart.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from typing import Any

from kiosk.mediator.accounts import MediatorError, check_mediator_pin, check_name
from kiosk.receiver.console.mediator_store import DAY_SECONDS, DEFAULT_EXPIRY_DAYS, MediatorLock
from kiosk.receiver.console.store import ConsoleStore
from kiosk.security.pin import MAX_PIN_LENGTH, hash_pin

EXPIRY_SETTING = "expiry_days"
MIN_EXPIRY_DAYS, MAX_EXPIRY_DAYS = 7, 3650
MEDIATOR_PIN_MIN_LENGTH = 6
SYSTEM_ACTOR = "système"


class MediatorFormError(ValueError):
    """A field of the mediator form cannot be used: ``field`` and a French message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def checked_name(name: str) -> str:
    """The display name as terminals show it; ``MediatorFormError`` when it cannot be."""
    try:
        return check_name(name)
    except MediatorError:
        raise MediatorFormError(
            "name", "Le nom : 1 à 40 lettres, chiffres, espaces, points, traits d’union ou"
            " apostrophes, en commençant par une lettre ou un chiffre."
        ) from None


def checked_pin(pin: str, again: str) -> str:
    """A PIN the kiosk accepts, typed the same twice."""
    try:
        check_mediator_pin(pin)
    except MediatorError as problem:
        easy = "too easy" in str(problem)
        raise MediatorFormError("pin", (
            "Ce code est trop facile à deviner (un chiffre répété, ou une suite)."
            if easy else
            f"Le code : de {MEDIATOR_PIN_MIN_LENGTH} à {MAX_PIN_LENGTH} chiffres."
        )) from None
    if again != pin:
        raise MediatorFormError("pin2", "Les deux codes sont différents.")
    return pin


def checked_expiry(text: str) -> int:
    """A number of days without use, from ``MIN_EXPIRY_DAYS`` to ``MAX_EXPIRY_DAYS``."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and MIN_EXPIRY_DAYS <= int(text) <= MAX_EXPIRY_DAYS):
        raise MediatorFormError(
            "days", f"Un nombre de jours, de {MIN_EXPIRY_DAYS} à {MAX_EXPIRY_DAYS}."
        )
    return int(text)


def expiry_days(store: ConsoleStore) -> int:
    return store.mediator_setting(EXPIRY_SETTING, DEFAULT_EXPIRY_DAYS)


def set_expiry_days(store: ConsoleStore, days: int, actor: str) -> None:
    store.set_mediator_setting(EXPIRY_SETTING, days)
    store.journal(actor, "mediator_expiry_set", "médiateurs", f"{days} jours")


def hashed_pin(pin: str) -> str:
    """The salted scrypt hash the kiosk verifies (some 50 ms: off the event loop)."""
    return hash_pin(pin, MEDIATOR_PIN_MIN_LENGTH)


def create_mediator(store: ConsoleStore, name: str, pin_hash: str, actor: str) -> str:
    """A new active account, its PIN kept only as ``hashed_pin`` made it; its id.

    ``MediatorFormError`` on ``name`` when an active account already has this name: the
    pad shows names, and two alike would be a guess.
    """
    name = checked_name(name)
    wanted = name.casefold()
    if any(m.name.casefold() == wanted for m in store.mediators() if not m.disabled):
        raise MediatorFormError("name", f"Un médiateur actif s’appelle déjà {name}.")
    mediator_id = "med-" + secrets.token_hex(4)
    store.add_mediator(mediator_id, name, pin_hash)
    store.journal(actor, "mediator_added", mediator_id, name)
    return mediator_id


def disable_mediator(store: ConsoleStore, mediator_id: str, actor: str) -> bool:
    """Disable an account on every terminal (at its next poll); False when not active."""
    if not store.disable_mediator(mediator_id, "console"):
        return False
    store.journal(actor, "mediator_disabled", mediator_id)
    return True


def reset_lockout(store: ConsoleStore, mediator_id: str, actor: str) -> bool:
    """Lift the account's lock on every terminal (at its next poll); False when not active."""
    if not store.reset_mediator_lockout(mediator_id):
        return False
    store.journal(actor, "mediator_lockout_reset", mediator_id)
    return True


def expire_stale(store: ConsoleStore, now: float | None = None) -> list[str]:
    """Disable the active accounts unused for ``expiry_days``; their ids."""
    now = time.time() if now is None else now
    days = expiry_days(store)
    limit = now - days * DAY_SECONDS
    expired = []
    for account in store.mediators():
        stale = not account.disabled and account.idle_since < limit
        if stale and store.disable_mediator(account.id, "expired"):
            store.journal(SYSTEM_ACTOR, "mediator_expired", account.id,
                          f"inutilisé depuis {days} jours")
            expired.append(account.id)
    return expired


def roster(store: ConsoleStore, now: float | None = None) -> dict[str, Any]:
    """What ``GET /v1/mediators`` answers: every account, stale ones disabled first."""
    expire_stale(store, now)
    accounts = store.mediators()
    return {
        "version": max((m.version for m in accounts), default=0),
        "mediators": [
            {"id": m.id, "name": m.name, "pin_hash": m.pin_hash, "disabled": m.disabled,
             "version": m.version, "lockout_reset": m.lockout_reset}
            for m in accounts
        ],
    }


def record_uses(
    store: ConsoleStore, uses: Iterable[tuple[str, int]], now: float | None = None
) -> int:
    """Keep the latest login each terminal reports; a time in the future counts as now.

    Unknown ids are ignored (an account made on one terminal only). Returns how many uses
    were read.
    """
    now = time.time() if now is None else now
    count = 0
    for mediator_id, at in uses:
        store.record_mediator_use(mediator_id, min(float(at), now))
        count += 1
    return count


def record_locks(
    store: ConsoleStore, terminal_id: str, locks: Iterable[tuple[str, int, int]],
    now: float | None = None,
) -> None:
    """The accounts locked on ``terminal_id`` now, replacing what it said before.

    ``locks``: (id, locked since, seconds left). A start in the future counts as now, and
    the end is counted on the receiver's clock, so a terminal's clock that is off does not
    keep a lock shown, nor hide it.
    """
    now = time.time() if now is None else now
    store.replace_mediator_locks(terminal_id, [
        MediatorLock(mediator_id, terminal_id, min(float(since), now), now + left)
        for mediator_id, since, left in locks
    ])


def locks_by_account(
    store: ConsoleStore, now: float | None = None
) -> dict[str, list[MediatorLock]]:
    """The locks not ended yet, per account id."""
    found: dict[str, list[MediatorLock]] = {}
    for lock in store.mediator_locks(time.time() if now is None else now):
        found.setdefault(lock.mediator_id, []).append(lock)
    return found
