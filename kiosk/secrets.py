"""Secrets of the terminal, through keyring, with an explicitly chosen backend.

keyring picks "the first working backend" by itself, which on a headless kiosk means
either an error or, with keyrings.alt installed, a plaintext file chosen silently. So the
kiosk always sets the backend itself (config ``[security] keyring_backend``) and reports
which one it uses at start and in ``kiosk doctor``:

- ``"systemd-creds"``: systemd encrypted credentials (``kiosk.credstore``), a deployed
  terminal's backend: nothing on its disk decrypts them without its host key or TPM2;
- empty: a plaintext file in the data directory, for development only (a warning at
  every start; ``kiosk doctor`` FAILs on it when ``[security] deployed``);
- a dotted path of any other keyring backend class.

Names of the secrets held (service ``borne-citoyenne``):
``queue-data-key`` (AES key of the offline queue, base64), ``audit-key`` (HMAC key of the
journal, base64), ``terminal-secret`` (HMAC key shared with the back office),
``technician-pin`` (a PIN hash, never a PIN), ``wcs-api-key`` (the key of the terminal's
API access to Publik w.c.s., as w.c.s. gave it), ``open311-api-key`` (the ``api_key`` an
Open311 GeoReport v2 server gave the terminal).

Reading a key never creates it (``get_key`` raises ``MissingSecretError``). Keys are made
by ``kiosk enroll``, and, on a development machine only (not ``deployed``), by the kiosk
at its first start (``first_run_keys``).
"""

from __future__ import annotations

import base64
import binascii
import importlib
import logging
import secrets
from collections.abc import Iterable
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

from kiosk.config import SecuritySection

SERVICE = "borne-citoyenne"
QUEUE_DATA_KEY = "queue-data-key"
AUDIT_KEY = "audit-key"
TERMINAL_SECRET = "terminal-secret"  # noqa: S105 - the name of a secret, not a secret
TECHNICIAN_PIN = "technician-pin"
WCS_API_KEY = "wcs-api-key"
OPEN311_API_KEY = "open311-api-key"
SYSTEMD_CREDS = "systemd-creds"  # the keyring_backend value of encrypted credentials
# The keys a terminal makes itself (`kiosk enroll data-keys`), and the command making each.
DATA_KEYS = (QUEUE_DATA_KEY, AUDIT_KEY)
ENROLL_COMMANDS = {
    QUEUE_DATA_KEY: "kiosk enroll data-keys",
    AUDIT_KEY: "kiosk enroll data-keys",
    TERMINAL_SECRET: "kiosk enroll terminal-secret",
    TECHNICIAN_PIN: "kiosk enroll technician",
}

_log = logging.getLogger(__name__)


class SecretsError(RuntimeError):
    """The keyring backend cannot be set up or used."""


class MissingSecretError(SecretsError):
    """A secret the kiosk needs is not in its keyring; only ``kiosk enroll`` makes it."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"the secret {name!r} is missing from the keyring ({describe_backend()}); "
            f"make it with `{ENROLL_COMMANDS.get(name, 'kiosk enroll')}`"
        )
        self.name = name


def configure_keyring(
    security: SecuritySection, data_dir: Path, *, create_dirs: bool = True
) -> KeyringBackend:
    """Install the configured keyring backend, or the plaintext file in ``data_dir``.

    ``create_dirs=False`` (read-only commands) leaves a missing secrets folder missing.
    """
    backend_path = security.keyring_backend
    if backend_path == SYSTEMD_CREDS:
        from kiosk.credstore import SystemdCreds, SystemdCredsKeyring

        tool = SystemdCreds(with_key=security.credential_key)
        backend: KeyringBackend = SystemdCredsKeyring(Path(security.credstore), SERVICE, tool)
    elif backend_path:
        module_name, _, class_name = backend_path.rpartition(".")
        try:
            backend_class = getattr(importlib.import_module(module_name), class_name)
            backend = backend_class()
        except (ImportError, AttributeError, ValueError, TypeError) as error:
            raise SecretsError(
                f"[security] keyring_backend = {backend_path!r}: cannot load it ({error})"
            ) from None
    else:
        from keyrings.alt.file import PlaintextKeyring

        plain = PlaintextKeyring()
        plain.file_path = str(data_dir / "secrets" / "keyring.cfg")
        if create_dirs:
            Path(plain.file_path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        backend = plain
    keyring.set_keyring(backend)
    _log.info("keyring backend: %s", describe_backend(backend))
    if is_plaintext(backend):
        _log.warning(
            "SECRETS IN A PLAINTEXT FILE (%s): a copy of the data folder decrypts every "
            "waiting request. For development only; a terminal uses "
            '[security] keyring_backend = "systemd-creds" (docs/install.md)',
            getattr(backend, "file_path", "a file"),
        )
    return backend


def describe_backend(backend: KeyringBackend | None = None) -> str:
    """A technician-readable name of the backend in use."""
    backend = backend or keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def is_plaintext(backend: KeyringBackend | None = None) -> bool:
    """True when secrets end up readable in a file (acceptable for a demo, not a commune)."""
    backend = backend or keyring.get_keyring()
    return type(backend).__name__ in {"PlaintextKeyring", "UncryptedFileKeyring"}


def get_key(name: str) -> bytes:
    """The key kept under ``name``; ``MissingSecretError`` when there is none (never made here)."""
    try:
        stored = keyring.get_password(SERVICE, name)
    except KeyringError as error:  # e.g. systemd-creds cannot decrypt outside the service
        raise SecretsError(f"cannot read the secret {name!r}: {error}") from None
    if not stored:
        raise MissingSecretError(name)
    try:
        return base64.b64decode(stored, validate=True)
    except binascii.Error:
        raise SecretsError(f"the secret {name!r} in the keyring is not base64") from None


def create_key(name: str, nbytes: int = 32) -> bool:
    """Make a random key ``name`` unless there is one (never replaced); True if made."""
    if keyring.get_password(SERVICE, name):
        return False
    key = secrets.token_bytes(nbytes)
    keyring.set_password(SERVICE, name, base64.b64encode(key).decode("ascii"))
    _log.info("created secret %s in the keyring", name)
    return True


def first_run_keys(names: Iterable[str], *, deployed: bool) -> None:
    """On a development machine, make the missing keys among ``names``; deployed, nothing.

    A deployed terminal's keys come from ``kiosk enroll`` only: a missing one must stop
    it with a ``MissingSecretError``, never be replaced by a new key that cannot read the
    requests already waiting.
    """
    if deployed:
        return
    for name in names:
        create_key(name)


def get_secret(name: str) -> str | None:
    return keyring.get_password(SERVICE, name)


def set_secret(name: str, value: str) -> None:
    keyring.set_password(SERVICE, name, value)


class MemoryKeyring(KeyringBackend):
    """Secrets in a dict, gone with the process: for screenshots and tests, never a terminal."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None
