"""A keyring backend of systemd encrypted credentials (``keyring_backend = "systemd-creds"``).

On a deployed terminal no key may be readable from a copy of its disk. Each secret is a
file ``<credstore>/kiosk.<name>`` (``/etc/credstore.encrypted`` by default), encrypted by
``systemd-creds encrypt`` with the machine's host key and/or its TPM2 chip.

- Read at run time: ``kiosk.service`` names each file in a ``LoadCredentialEncrypted=``
  line; systemd decrypts them when it starts the kiosk, into a private, read-only folder
  given in ``$CREDENTIALS_DIRECTORY``. The backend reads ``kiosk.<name>`` there and nothing
  else: the running kiosk never decrypts, writes or deletes a credential.
- Read by a technician's command (no ``$CREDENTIALS_DIRECTORY``): the backend asks
  ``systemd-creds decrypt`` for the file in the credstore, which only root can do.
- Written only by ``kiosk enroll``, as root, through ``systemd-creds encrypt``; the file
  appears whole (written beside, then renamed) with mode 0600.
- A secret that is not there reads as None; ``kiosk.secrets.get_key`` turns that into a
  ``MissingSecretError`` naming it and the ``kiosk enroll`` command that makes it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Protocol

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError, PasswordSetError

PREFIX = "kiosk."  # credential names: kiosk.queue-data-key, kiosk.terminal-secret...
SERVICE_SECRETS = "CREDENTIALS_DIRECTORY"


class CredentialError(KeyringError):
    """systemd-creds refused to encrypt or decrypt; the message says what it said."""


class CredentialTool(Protocol):
    """What the backend needs of ``systemd-creds`` (a fake stands in where it cannot run)."""

    def encrypt(self, name: str, plaintext: bytes, out: Path) -> None: ...

    def decrypt(self, name: str, path: Path) -> bytes: ...


class SystemdCreds:
    """``systemd-creds encrypt|decrypt`` in a subprocess; secrets go through pipes only."""

    def __init__(self, with_key: str = "auto", program: str = "systemd-creds") -> None:
        self.with_key = with_key
        self.program = program

    def _run(self, arguments: list[str], given: bytes) -> bytes:
        try:
            done = subprocess.run(  # noqa: S603 - a fixed program, arguments we built
                [self.program, *arguments], input=given, capture_output=True, check=False
            )
        except OSError as error:
            raise CredentialError(f"{self.program} cannot run: {error.strerror}") from None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise CredentialError(f"{self.program} {arguments[0]} failed: "
                                  + (said[-1] if said else f"exit {done.returncode}"))
        return done.stdout

    def encrypt(self, name: str, plaintext: bytes, out: Path) -> None:
        self._run(["encrypt", f"--name={name}", f"--with-key={self.with_key}", "-", str(out)],
                  plaintext)

    def decrypt(self, name: str, path: Path) -> bytes:
        return self._run(["decrypt", f"--name={name}", str(path), "-"], b"")


class SystemdCredsKeyring(KeyringBackend):
    """Secrets of service ``kiosk.secrets.SERVICE`` as systemd encrypted credentials."""

    priority = 1  # never chosen by keyring itself: the kiosk installs it by name

    def __init__(self, credstore: Path, service: str, tool: CredentialTool) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.credstore = credstore
        self.service = service
        self.tool = tool

    def _loaded(self) -> Path | None:
        folder = os.environ.get(SERVICE_SECRETS)
        return Path(folder) if folder else None

    def get_password(self, service: str, username: str) -> str | None:
        if service != self.service:
            return None
        name = PREFIX + username
        loaded = self._loaded()
        if loaded is not None:  # inside kiosk.service: what systemd decrypted, nothing else
            path = loaded / name
            return path.read_text(encoding="utf-8").strip() if path.is_file() else None
        stored = self.credstore / name
        if not stored.is_file():
            return None
        return self.tool.decrypt(name, stored).decode("utf-8").strip()

    def set_password(self, service: str, username: str, password: str) -> None:
        if self._loaded() is not None or service != self.service:
            raise PasswordSetError(
                f"{PREFIX}{username}: the running kiosk never writes its credentials; "
                "`kiosk enroll` does, as root"
            )
        name = PREFIX + username
        self.credstore.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self.credstore / name
        fresh = target.with_name(name + ".new")
        fresh.unlink(missing_ok=True)
        try:
            self.tool.encrypt(name, password.encode("utf-8"), fresh)
            fresh.chmod(0o600)
            fresh.replace(target)
        except (CredentialError, OSError) as error:
            fresh.unlink(missing_ok=True)
            raise PasswordSetError(f"{target}: {error}") from None

    def delete_password(self, service: str, username: str) -> None:
        if self._loaded() is not None:
            raise PasswordDeleteError(f"{PREFIX}{username}: the running kiosk never deletes")
        try:
            (self.credstore / (PREFIX + username)).unlink()
        except OSError as error:
            raise PasswordDeleteError(f"{PREFIX}{username}: {error.strerror}") from None
