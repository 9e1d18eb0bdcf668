"""Staff accounts: names, roles, Argon2id password hashes and the lockout after failures.

A password is hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second
recommended setting: 64 MiB of memory), so a stolen database costs an attacker memory
for each guess. After ``MAX_FAILURES`` wrong passwords in a row an account is locked for
``LOCKOUT_SECONDS``; an administrator unlocks it sooner with ``kiosk-receiver staff
unlock``. Every login, failure and lockout is journaled.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kiosk.receiver.console.store import ConsoleStore

MIN_PASSWORD = 12  # ANSSI's advice for a password alone, with a lockout beside it
MAX_PASSWORD = 256
MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_hasher = PasswordHasher()
# Verified when the name is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-password-of-anyone")


class Role(StrEnum):
    """What a member of staff may do (docs/console.md has the table)."""

    AGENT = "agent"
    ADMIN = "admin"
    DPO = "dpo"


ROLE_LABELS = {Role.AGENT: "agent", Role.ADMIN: "administrateur", Role.DPO: "DPO"}


class AccountError(ValueError):
    """A name or password that cannot be used; the message says why (in French)."""


def check_name(name: str) -> str:
    """A staff name: 1-64 lowercase letters, digits, '.', '_' or '-'."""
    if not _NAME.fullmatch(name):
        raise AccountError(
            "L’identifiant s’écrit en lettres minuscules, chiffres, « . », « _ » ou « - »,"
            " sans espace (64 au plus)."
        )
    return name


def check_password(password: str) -> str:
    """A password long enough (at least ``MIN_PASSWORD`` characters)."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(
            f"Le mot de passe doit avoir au moins {MIN_PASSWORD} caractères"
            f" ({MAX_PASSWORD} au plus)."
        )
    return password


def hash_password(password: str) -> str:
    """The Argon2id hash of a password (with its own random salt)."""
    return _hasher.hash(password)


def create_account(
    store: ConsoleStore, name: str, role: Role, password: str, actor: str = "kiosk-receiver"
) -> None:
    """Add an account (``AccountError`` for a bad name or password, or a taken name)."""
    check_name(name)
    check_password(password)
    if store.staff(name) is not None:
        raise AccountError(f"Le compte {name} existe déjà.")
    store.add_staff(name, role.value, hash_password(password))
    store.journal(actor, "staff_added", name, role.value)


def unlock_account(store: ConsoleStore, name: str, actor: str) -> None:
    """Clear an account's failures and lockout (``LookupError`` if there is none)."""
    if store.staff(name) is None:
        raise LookupError(name)
    store.unlock(name)
    store.journal(actor, "staff_unlocked", name)


@dataclass(frozen=True)
class LoginResult:
    """The account that logged in, or why not (``locked`` or ``refused``)."""

    account: str | None
    problem: str | None = None


def authenticate(
    store: ConsoleStore, name: str, password: str, now: float | None = None
) -> LoginResult:
    """Check a login and count failures; every outcome is journaled."""
    now = time.time() if now is None else now
    account = store.staff(name) if _NAME.fullmatch(name) else None
    if account is None:
        _verify(_DUMMY_HASH, password)
        store.journal("?", "login_refused", "-", "compte inconnu")
        return LoginResult(None, "refused")
    if account.locked_until > now:
        store.journal(name, "login_refused", name, "compte verrouillé")
        return LoginResult(None, "locked")
    if not _verify(account.password_hash, password):
        # Another login may have failed while this password was checked: the store
        # counts in one statement, and says whether the account is locked by now.
        locked = store.count_failure(name, now, MAX_FAILURES, now + LOCKOUT_SECONDS)
        store.journal(name, "login_refused", name, "mot de passe erroné")
        if locked:
            store.journal(name, "staff_locked", name, f"{MAX_FAILURES} échecs")
        return LoginResult(None, "refused" if locked is False else "locked")
    if not store.clear_failures(name, now):  # locked while the password was checked
        store.journal(name, "login_refused", name, "compte verrouillé")
        return LoginResult(None, "locked")
    if _hasher.check_needs_rehash(account.password_hash):
        store.set_password_hash(name, hash_password(password))
    store.journal(name, "login", name)
    return LoginResult(name)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
