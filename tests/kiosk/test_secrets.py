"""kiosk.secrets: reading a key never makes it; the plaintext file is loudly a development
backend."""

from __future__ import annotations

import logging

import pytest

from kiosk import secrets
from kiosk.config import SecuritySection


def test_a_missing_key_is_a_named_error_and_is_not_made(memory_keyring):
    with pytest.raises(secrets.MissingSecretError) as missing:
        secrets.get_key(secrets.QUEUE_DATA_KEY)
    assert "'queue-data-key' is missing" in str(missing.value)
    assert "kiosk enroll data-keys" in str(missing.value)
    assert memory_keyring.secrets == {}


def test_a_key_that_is_not_base64_is_named(memory_keyring):
    secrets.set_secret(secrets.AUDIT_KEY, "not base64 !")
    with pytest.raises(secrets.SecretsError, match="'audit-key' in the keyring is not base64"):
        secrets.get_key(secrets.AUDIT_KEY)


def test_first_run_keys_are_made_on_a_development_machine_only(memory_keyring):
    secrets.first_run_keys(secrets.DATA_KEYS, deployed=True)
    assert memory_keyring.secrets == {}
    secrets.first_run_keys(secrets.DATA_KEYS, deployed=False)
    made = dict(memory_keyring.secrets)
    assert {name for _, name in made} == set(secrets.DATA_KEYS)
    secrets.first_run_keys(secrets.DATA_KEYS, deployed=False)
    assert memory_keyring.secrets == made  # never replaced
    assert len(secrets.get_key(secrets.QUEUE_DATA_KEY)) == 32


def test_the_plaintext_file_is_announced_loudly(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.secrets")
    backend = secrets.configure_keyring(SecuritySection(), tmp_path)
    assert secrets.is_plaintext(backend)
    assert "SECRETS IN A PLAINTEXT FILE" in caplog.text
    assert str(tmp_path / "secrets" / "keyring.cfg") in caplog.text


def test_a_read_only_command_creates_no_secrets_folder(tmp_path):
    secrets.configure_keyring(SecuritySection(), tmp_path / "data", create_dirs=False)
    assert not (tmp_path / "data").exists()
