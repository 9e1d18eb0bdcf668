"""Secrets of the terminal, through keyring, with an explicitly chosen backend.

keyring picks "the first working backend" by itself, which on a headless kiosk means
either an error or, with keyrings.alt installed, a plaintext file chosen silently. So the
kiosk always sets the backend itself (config ``[security] keyring_backend``) and reports
which one it uses at start and in ``kiosk doctor``.

Names of the secrets held (service ``borne-citoyenne``):
``queue-data-key`` (AES key of the offline queue, base64), ``terminal-secret`` (HMAC key
shared with the back office), ``technician-pin`` (a PIN hash, never a PIN), ``wcs-api-key``
(the key of the terminal's API access to Publik w.c.s., as w.c.s. gave it),
``open311-api-key`` (the ``api_key`` an Open311 GeoReport v2 server gave the terminal).
"""

from __future__ import annotations

import base64
import importlib
import logging
import secrets
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

SERVICE = "borne-citoyenne"
QUEUE_DATA_KEY = "queue-data-key"
TERMINAL_SECRET = "terminal-secret"  # noqa: S105 - the name of a secret, not a secret
TECHNICIAN_PIN = "technician-pin"
WCS_API_KEY = "wcs-api-key"
OPEN311_API_KEY = "open311-api-key"

_log = logging.getLogger(__name__)


class SecretsError(RuntimeError):
    """The keyring backend cannot be set up or used."""


def configure_keyring(backend_path: str, data_dir: Path) -> KeyringBackend:
    """Install the configured keyring backend, or the file backend in ``data_dir``."""
    if backend_path:
        module_name, _, class_name = backend_path.rpartition(".")
        try:
            backend_class = getattr(importlib.import_module(module_name), class_name)
            backend: KeyringBackend = backend_class()
        except (ImportError, AttributeError, ValueError) as error:
            raise SecretsError(
                f"[security] keyring_backend = {backend_path!r}: cannot load it ({error})"
            ) from None
    else:
        from keyrings.alt.file import PlaintextKeyring

        plain = PlaintextKeyring()
        plain.file_path = str(data_dir / "secrets" / "keyring.cfg")
        Path(plain.file_path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        backend = plain
    keyring.set_keyring(backend)
    _log.info("keyring backend: %s", describe_backend(backend))
    return backend


def describe_backend(backend: KeyringBackend | None = None) -> str:
    """A technician-readable name of the backend in use."""
    backend = backend or keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def is_plaintext(backend: KeyringBackend | None = None) -> bool:
    """True when secrets end up readable in a file (acceptable for a demo, not a commune)."""
    backend = backend or keyring.get_keyring()
    return type(backend).__name__ in {"PlaintextKeyring", "UncryptedFileKeyring"}


def get_or_create_key(name: str, nbytes: int = 32) -> bytes:
    """A random key kept in the keyring under ``name``; created on first use."""
    stored = keyring.get_password(SERVICE, name)
    if stored:
        return base64.b64decode(stored)
    key = secrets.token_bytes(nbytes)
    keyring.set_password(SERVICE, name, base64.b64encode(key).decode("ascii"))
    _log.info("created secret %s in the keyring", name)
    return key


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
