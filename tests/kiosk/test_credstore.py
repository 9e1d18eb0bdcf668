"""Secrets as systemd encrypted credentials, with the real ``systemd-creds``.

``SYSTEMD_CREDENTIAL_SECRET`` points systemd-creds at a host key of the test's own (it
makes one there at first use), so the tests never touch the machine's
/var/lib/systemd/credential.secret. They need systemd-creds (systemd 250 or later) and
the right to use a host key: they are skipped, saying why, where it cannot run.
"""

from __future__ import annotations

import base64
import shutil
import stat
import subprocess
from pathlib import Path

import keyring
import pytest
from keyring.errors import PasswordSetError

from kiosk import secrets
from kiosk.config import SecuritySection
from kiosk.credstore import PREFIX, CredentialError, SystemdCreds, SystemdCredsKeyring
from wiring.cli import main


@pytest.fixture
def host_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A host key of this test only; skips when systemd-creds cannot encrypt here."""
    secret = tmp_path / "host" / "credential.secret"
    secret.parent.mkdir()
    monkeypatch.setenv("SYSTEMD_CREDENTIAL_SECRET", str(secret))
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    if shutil.which("systemd-creds") is None:
        pytest.skip("systemd-creds is not installed (Debian package systemd, 250 or later)")
    probe = subprocess.run(
        ["systemd-creds", "encrypt", "--with-key=host", "--name=probe", "-", "-"],
        input=b"probe", capture_output=True, check=False,
    )
    if probe.returncode != 0:
        pytest.skip("systemd-creds cannot encrypt with a host key here: "
                    + probe.stderr.decode(errors="replace").strip())
    return secret


@pytest.fixture
def credstore(tmp_path: Path) -> Path:
    return tmp_path / "credstore.encrypted"


@pytest.fixture
def config_file(tmp_path: Path, data_dir: Path, credstore: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\ndata_dir = "{data_dir}"\n[security]\nkeyring_backend = "systemd-creds"\n'
        f'credstore = "{credstore}"\ncredential_key = "host"\ndeployed = true\n',
        encoding="utf-8",
    )
    return path


def load_like_systemd(credstore: Path, into: Path) -> Path:
    """What systemd does for each LoadCredentialEncrypted= line: decrypt into a folder."""
    into.mkdir()
    tool = SystemdCreds()
    for path in credstore.glob(PREFIX + "*"):
        (into / path.name).write_bytes(tool.decrypt(path.name, path))
    return into


def test_enroll_writes_encrypted_credentials_only(host_key, config_file, credstore, data_dir):
    assert main(["--config", str(config_file), "enroll", "data-keys"]) == 0
    files = {path.name: path for path in credstore.iterdir()}
    assert set(files) == {"kiosk.queue-data-key", "kiosk.audit-key"}
    for path in files.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = secrets.get_key(secrets.QUEUE_DATA_KEY)  # decrypted by systemd-creds, as root
    encoded = base64.b64encode(key)
    assert all(encoded not in path.read_bytes() for path in files.values())
    assert not any(encoded in path.read_bytes() for path in data_dir.rglob("*") if path.is_file())


def test_enroll_never_replaces_a_key(host_key, config_file, capsys):
    assert main(["--config", str(config_file), "enroll", "data-keys"]) == 0
    first = secrets.get_key(secrets.QUEUE_DATA_KEY)
    assert main(["--config", str(config_file), "enroll", "data-keys"]) == 0
    assert "queue-data-key: already enrolled, kept" in capsys.readouterr().out
    assert secrets.get_key(secrets.QUEUE_DATA_KEY) == first


def test_a_copy_of_the_disk_without_the_host_key_decrypts_nothing(
    host_key, config_file, credstore, tmp_path, monkeypatch
):
    assert main(["--config", str(config_file), "enroll", "data-keys"]) == 0
    monkeypatch.setenv("SYSTEMD_CREDENTIAL_SECRET", str(tmp_path / "another-machine.secret"))
    with pytest.raises(CredentialError, match="decrypt failed"):
        SystemdCreds().decrypt("kiosk.queue-data-key", credstore / "kiosk.queue-data-key")
    with pytest.raises(secrets.SecretsError, match="cannot read the secret 'queue-data-key'"):
        secrets.get_key(secrets.QUEUE_DATA_KEY)


def test_the_service_reads_what_systemd_decrypted_and_writes_nothing(
    host_key, config_file, credstore, tmp_path, monkeypatch
):
    assert main(["--config", str(config_file), "enroll", "data-keys"]) == 0
    enrolled = secrets.get_key(secrets.AUDIT_KEY)
    loaded = load_like_systemd(credstore, tmp_path / "credentials")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(loaded))
    monkeypatch.setenv("SYSTEMD_CREDENTIAL_SECRET", str(tmp_path / "unreadable"))  # unused
    assert secrets.get_key(secrets.AUDIT_KEY) == enrolled
    with pytest.raises(PasswordSetError, match="never writes"):
        secrets.create_key(secrets.TERMINAL_SECRET)
    with pytest.raises(secrets.MissingSecretError, match="kiosk enroll terminal-secret"):
        secrets.get_key(secrets.TERMINAL_SECRET)


def test_a_secret_missing_from_the_service_folder_is_named(tmp_path, monkeypatch):
    # No systemd-creds needed: inside the service the backend only reads a folder.
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    backend = SystemdCredsKeyring(tmp_path / "unused", secrets.SERVICE, SystemdCreds())
    keyring.set_keyring(backend)
    (tmp_path / "kiosk.audit-key").write_text(base64.b64encode(b"k" * 32).decode() + "\n")
    assert secrets.get_key(secrets.AUDIT_KEY) == b"k" * 32
    with pytest.raises(secrets.MissingSecretError) as missing:
        secrets.get_key(secrets.QUEUE_DATA_KEY)
    assert missing.value.name == secrets.QUEUE_DATA_KEY
    assert "kiosk enroll data-keys" in str(missing.value)
    assert backend.get_password("another-service", "audit-key") is None


def test_the_configured_backend_is_installed_by_name(tmp_path):
    security = SecuritySection(keyring_backend="systemd-creds", credstore=str(tmp_path),
                               credential_key="host+tpm2")
    backend = secrets.configure_keyring(security, tmp_path / "data")
    assert isinstance(backend, SystemdCredsKeyring)
    assert backend.credstore == tmp_path
    assert isinstance(backend.tool, SystemdCreds)
    assert backend.tool.with_key == "host+tpm2"
    assert not secrets.is_plaintext(backend)
    assert not (tmp_path / "data").exists()
