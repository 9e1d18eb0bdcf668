"""Secrets: the keyring or the encrypted credentials, the pairing with the back office (the
terminal secret's fingerprint), the technician PIN. Run as root on a data folder that is
not root's, the checks that would write the kiosk's keyring are skipped."""

from __future__ import annotations

import base64
import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING

import keyring

from kiosk import secrets
from kiosk.config import Config
from kiosk.connectors.signing import fingerprint
from kiosk.doctor.report import Check, CheckResult, Level, check_name, fail, ok, warn
from kiosk.security.pin import is_pin_hash
from kiosk.security.technician import technician_pin_hash

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend


PROBE_SECRET = "doctor-probe"  # noqa: S105 - the name of a throw-away keyring entry


def foreign_owner(config: Config) -> int | None:
    """The owner's uid when root runs the doctor on a data directory that is not root's.

    Root would then create root-owned keyring files there that the kiosk cannot read: the
    keyring, PIN and queue checks are skipped and the technician told to use the kiosk user.
    """
    path = config.data_path()
    if config.security.keyring_backend == secrets.SYSTEMD_CREDS:
        return None  # secrets outside the data directory, which root only reads
    if os.geteuid() != 0 or not path.is_dir():
        return None
    owner = path.stat().st_uid
    return owner if owner != 0 else None


def uses_kiosk_keyring(check: Check) -> Check:
    """Skip ``check`` (WARN) when ``foreign_owner`` says root would spoil the kiosk's keyring."""

    @functools.wraps(check)
    def guarded(config: Config) -> CheckResult:
        owner = foreign_owner(config)
        if owner is None:
            return check(config)
        return warn(check_name(check), f"skipped: root must not write the keyring of uid "
                                        f"{owner}; run `sudo -u kiosk kiosk doctor`")

    return guarded


@uses_kiosk_keyring
def check_keyring(config: Config) -> CheckResult:
    """Install the configured backend (as the kiosk does), then store, read and delete a probe.

    WARN on a plaintext backend, FAIL on it when ``[security] deployed``; FAIL when it
    cannot be loaded or does not keep a secret. Encrypted credentials are only read
    (``check_credentials``): the doctor never writes them.
    """
    name = "keyring"
    try:  # creates no folder: the doctor leaves the data folder as it finds it
        backend = secrets.configure_keyring(config.security, config.data_path(),
                                            create_dirs=False)
    except (secrets.SecretsError, OSError) as error:
        return fail(name, str(error))
    if config.security.keyring_backend == secrets.SYSTEMD_CREDS:
        return check_credentials(config)
    return probe_keyring(config, backend)


def probe_keyring(config: Config, backend: KeyringBackend) -> CheckResult:
    """Store, read and delete a probe; a plaintext file not made yet is left unmade (the
    probe would make it, and the folders above it)."""
    name = "keyring"
    described = secrets.describe_backend(backend)
    keyring_file = getattr(backend, "file_path", None)
    if keyring_file and not Path(keyring_file).exists():
        return plaintext_verdict(config, f"{described}: plaintext ({keyring_file}, not made "
                                         "yet: the kiosk or `kiosk enroll` makes it)")
    token = base64.b64encode(os.urandom(12)).decode("ascii")
    try:
        secrets.set_secret(PROBE_SECRET, token)
        read_back = secrets.get_secret(PROBE_SECRET)
        keyring.delete_password(secrets.SERVICE, PROBE_SECRET)
    except Exception as error:  # keyring backends raise many kinds of errors
        return fail(name, f"{described} cannot store a secret ({type(error).__name__}: {error})")
    if read_back != token:
        return fail(name, f"{described} does not give back what it stored")
    if secrets.is_plaintext(backend):
        return plaintext_verdict(config, f"{described}: plaintext "
                                         f"({getattr(backend, 'file_path', 'a file')})")
    return ok(name, f"{described} stores and reads secrets")


def plaintext_verdict(config: Config, described: str) -> CheckResult:
    """A plaintext keyring: WARN for development, FAIL on a deployed terminal."""
    if config.security.deployed:
        return fail("keyring", f"{described} on a deployed terminal: a copy of the disk "
                                "decrypts every waiting request; set [security] "
                                'keyring_backend = "systemd-creds" and enrol again')
    return warn("keyring", f"{described}, for development only; a terminal uses "
                            '[security] keyring_backend = "systemd-creds"')


def needed_secrets(config: Config) -> tuple[str, ...]:
    """The keys the kiosk cannot start without (the PIN has a default, the doctor's own check)."""
    needed = secrets.DATA_KEYS
    return needed if config.backoffice.kind == "none" else (*needed, secrets.TERMINAL_SECRET)


def check_credentials(config: Config) -> CheckResult:
    """Each key the kiosk needs is an encrypted credential that can be read back."""
    name = "keyring"
    where = f"systemd credentials in {config.security.credstore}"
    for secret in needed_secrets(config):
        try:
            secrets.get_key(secret)
        except secrets.MissingSecretError as error:
            return fail(name, f"{where}: {error}")
        except secrets.SecretsError as error:
            return warn(name, f"{where}: {error}; run `kiosk doctor` as root to read them")
    return ok(name, f"{where}: {', '.join(needed_secrets(config))} enrolled and readable")


@uses_kiosk_keyring
def check_pairing(config: Config) -> CheckResult:
    """The terminal secret shared with the back office: its fingerprint, or, while none is
    enrolled, that requests are queued and none is sent (FAIL on a deployed terminal)."""
    name = "pairing"
    if config.backoffice.kind != "http":
        return ok(name, f"no terminal secret ([backoffice] kind = {config.backoffice.kind})")
    try:
        secret = secrets.get_key(secrets.TERMINAL_SECRET)
    except secrets.MissingSecretError:
        level = Level.FAIL if config.security.deployed else Level.WARN
        return CheckResult(level, name, "no terminal secret: requests are queued and none is "
                                        "sent; pair the terminal: kiosk enroll terminal-secret")
    except secrets.SecretsError as error:
        return warn(name, str(error))
    return ok(name, f"{config.backoffice.terminal_id} {fingerprint(secret)}: the back office "
                     "lists the same (kiosk-receiver terminal list)")


@uses_kiosk_keyring
def check_technician_pin(config: Config) -> CheckResult:
    """FAIL while the default technician PIN is active or the configured hash is unusable."""
    name = "technician-pin"
    if config.security.technician_pin_hash:
        if not is_pin_hash(config.security.technician_pin_hash):
            return fail(name, "[security] technician_pin_hash is not a hash made by "
                               "`kiosk enroll technician`: no PIN can open the kiosk")
        return ok(name, "enrolled ([security] technician_pin_hash)")
    try:
        stored = technician_pin_hash(config)
    except Exception as error:  # the keyring check above says more
        return fail(name, f"cannot read the keyring ({type(error).__name__})")
    if stored is None:
        return fail(name, "not enrolled: the default PIN is active; "
                           "run `kiosk enroll technician`")
    if not is_pin_hash(stored):
        return fail(name, "the keyring entry is not a PIN hash; run `kiosk enroll technician`")
    return ok(name, "enrolled (keyring)")



CHECKS: tuple[Check, ...] = (
    check_keyring,
    check_pairing,
    check_technician_pin,
)
