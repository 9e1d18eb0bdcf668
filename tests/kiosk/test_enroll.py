"""`kiosk enroll technician|terminal-secret`: what is stored, what is refused, what is shown."""

from __future__ import annotations

import base64
import io
import logging
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import keyring
import pytest

from kiosk import exit_codes, secrets
from kiosk.connectors.signing import fingerprint
from kiosk.security.pin import hash_pin, is_pin_hash, verify_pin
from tests.memory_keyring import MemoryKeyring
from wiring.cli import main
from wiring.commands import enroll, new_pin

PIN = "482913"


class SharedKeyring(MemoryKeyring):
    """One store for every instance: each command installs a new backend, as on a terminal."""

    store: ClassVar[dict[tuple[str, str], str]] = {}

    def __init__(self) -> None:
        super().__init__()
        self.secrets = SharedKeyring.store


@pytest.fixture(autouse=True)
def empty_shared_keyring() -> None:
    SharedKeyring.store.clear()


@pytest.fixture
def config_file(tmp_path: Path, data_dir: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\ndata_dir = "{data_dir}"\n'
        '[security]\nkeyring_backend = "tests.kiosk.test_enroll.SharedKeyring"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def keep_log_capture(monkeypatch: pytest.MonkeyPatch) -> None:
    # prepare() replaces the root logger's handlers, caplog's included: keep caplog's.
    monkeypatch.setattr("wiring.commands.common.setup_logging", lambda level: None)


def typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    """Make getpass return ``answers`` in turn."""
    replies: Iterator[str] = iter(answers)
    monkeypatch.setattr(new_pin.getpass, "getpass", lambda prompt="": next(replies))


def stored(name: str) -> str | None:
    return keyring.get_password(secrets.SERVICE, name)


def enrol_pin_from_stdin(config_file: Path, pin: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
    return main(["--config", str(config_file), "enroll", "technician", "--pin-stdin"])


# ---------------------------------------------------------------- technician PIN


def test_a_pin_typed_twice_is_stored_hashed_and_verifies(config_file, monkeypatch, capsys):
    typed(monkeypatch, PIN, PIN)
    assert main(["--config", str(config_file), "enroll", "technician"]) == 0
    hashed = stored(secrets.TECHNICIAN_PIN)
    assert hashed is not None
    assert is_pin_hash(hashed)
    assert verify_pin(PIN, hashed)
    assert not verify_pin("482914", hashed)
    out = capsys.readouterr().out
    assert f'technician_pin_hash = "{hashed}"' in out  # the alternative for the config


def test_a_pin_from_stdin_is_stored(config_file, monkeypatch):
    assert enrol_pin_from_stdin(config_file, PIN, monkeypatch) == 0
    assert verify_pin(PIN, stored(secrets.TECHNICIAN_PIN) or "")


def test_a_mismatched_confirmation_is_refused(config_file, monkeypatch, capsys):
    typed(monkeypatch, PIN, "482931")
    assert main(["--config", str(config_file), "enroll", "technician"]) == 1
    assert stored(secrets.TECHNICIAN_PIN) is None
    assert "the two PINs differ; nothing was changed" in capsys.readouterr().err


@pytest.mark.parametrize("pin", ["12345", "", "48291a", "4829134829134", "123456", "777777"])
def test_short_malformed_or_trivial_pins_are_refused(config_file, monkeypatch, capsys, pin):
    assert enrol_pin_from_stdin(config_file, pin, monkeypatch) == 1
    assert stored(secrets.TECHNICIAN_PIN) is None
    assert "nothing was changed" in capsys.readouterr().err


def test_the_pin_is_never_logged_or_printed(config_file, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    typed(monkeypatch, PIN, PIN)
    assert main(["--config", str(config_file), "enroll", "technician"]) == 0
    captured = capsys.readouterr()
    assert caplog.records, "the log capture must see the command's logs for this test to mean"
    assert PIN not in caplog.text
    assert PIN not in captured.out + captured.err


def test_a_hash_in_the_config_is_pointed_out(config_file, monkeypatch, capsys):
    with config_file.open("a", encoding="utf-8") as extra:
        extra.write(f'technician_pin_hash = "{hash_pin("731946")}"\n')
    assert enrol_pin_from_stdin(config_file, PIN, monkeypatch) == 0
    assert "wins over the keyring" in capsys.readouterr().out


# ---------------------------------------------------------------- terminal secret


def enrol_secret(config_file: Path, *options: str) -> int:
    return main(["--config", str(config_file), "enroll", "terminal-secret", *options])


def stored_secret() -> bytes:
    value = stored(secrets.TERMINAL_SECRET)
    assert value is not None
    return base64.b64decode(value, validate=True)


def test_a_generated_secret_is_stored_and_not_shown(config_file, capsys):
    assert enrol_secret(config_file) == 0
    secret = stored_secret()
    assert len(secret) == enroll.TERMINAL_SECRET_BYTES
    out = capsys.readouterr().out
    assert base64.b64encode(secret).decode() not in out
    assert fingerprint(secret) in out


def test_enrolling_guides_the_pairing_with_the_back_office(config_file, capsys):
    """The terminal id, the fingerprint, and the exact command that pipes the secret."""
    assert enrol_secret(config_file) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "terminal id: admiville-demo-01" in lines
    assert f"fingerprint: {fingerprint(stored_secret())}" in lines
    assert ("  kiosk enroll terminal-secret --export | kiosk-receiver terminal add "
            "admiville-demo-01 --terminals /etc/kiosk/receiver-terminals --secret-file -"
            ) in lines
    assert "until the back office has it, requests are queued and none is sent" in lines


def test_on_a_screen_the_id_and_fingerprint_are_also_a_qr_code(config_file, capsys,
                                                              monkeypatch):
    from kiosk.terminal_qr import terminal_qr

    assert enrol_secret(config_file) == 0
    piped = capsys.readouterr().out
    assert "\x1b[" not in piped  # into a pipe or a log: no QR code
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["--config", str(config_file), "enroll", "--fingerprint"]) == 0
    shown = capsys.readouterr().out
    line = f"admiville-demo-01 {fingerprint(stored_secret())}"
    assert shown.startswith(f"{line}\nthe same, for the console to scan ({line}):\n")
    assert terminal_qr(line) in shown
    assert base64.b64encode(stored_secret()).decode() not in shown


def test_export_writes_the_enrolled_secret_into_a_pipe_only(config_file, capsys, monkeypatch):
    assert enrol_secret(config_file) == 0
    capsys.readouterr()
    assert enrol_secret(config_file, "--export") == 0
    assert capsys.readouterr().out == base64.b64encode(stored_secret()).decode() + "\n"
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert enrol_secret(config_file, "--export") == 1
    captured = capsys.readouterr()
    assert "into a pipe, never on the screen" in captured.err
    assert captured.out == ""


def test_fingerprint_prints_the_terminal_and_its_fingerprint(config_file, capsys):
    assert main(["--config", str(config_file), "enroll", "--fingerprint"]) == exit_codes.DATA
    assert "make it with `kiosk enroll terminal-secret`" in capsys.readouterr().err
    assert enrol_secret(config_file) == 0
    capsys.readouterr()
    assert main(["--config", str(config_file), "enroll", "--fingerprint"]) == 0
    assert capsys.readouterr().out == f"admiville-demo-01 {fingerprint(stored_secret())}\n"


def test_the_printed_pairing_command_pairs_both_sides(tmp_path, data_dir):
    """`kiosk enroll terminal-secret --export | kiosk-receiver terminal add ...`, run as
    printed: the back office prints the fingerprint the terminal printed."""
    config = tmp_path / "plain.toml"
    config.write_text(f'[kiosk]\ndata_dir = "{data_dir}"\n', encoding="utf-8")
    kiosk = [sys.executable, "-m", "wiring.cli", "--config", str(config), "enroll"]
    made = subprocess.run([*kiosk, "terminal-secret"], capture_output=True, text=True,
                          check=True)
    [printed] = [line for line in made.stdout.splitlines() if line.startswith("fingerprint: ")]
    terminals = tmp_path / "receiver-terminals"
    with subprocess.Popen([*kiosk, "terminal-secret", "--export"],
                          stdout=subprocess.PIPE) as exporting:
        added = subprocess.run(
            [sys.executable, "-m", "kiosk.receiver.cli", "terminal", "add",
             "admiville-demo-01", "--terminals", str(terminals), "--secret-file", "-"],
            stdin=exporting.stdout, capture_output=True, text=True, check=True,
        )
    assert exporting.returncode == 0
    assert added.stdout == f"admiville-demo-01 {printed.removeprefix('fingerprint: ')}\n"
    shown = subprocess.run([*kiosk, "--fingerprint"], capture_output=True, text=True, check=True)
    assert shown.stdout == added.stdout


def test_show_prints_the_secret_once(config_file, capsys):
    assert enrol_secret(config_file, "--show") == 0
    encoded = base64.b64encode(stored_secret()).decode()
    assert capsys.readouterr().out.count(encoded) == 1


def test_an_enrolled_secret_is_replaced_only_with_force(config_file, capsys):
    assert enrol_secret(config_file) == 0
    first = stored_secret()
    assert enrol_secret(config_file) == 1
    assert stored_secret() == first
    assert "--force" in capsys.readouterr().err
    assert enrol_secret(config_file, "--force") == 0
    assert stored_secret() != first


@pytest.mark.parametrize("encode", [bytes.hex, lambda b: base64.b64encode(b).decode()])
def test_a_secret_is_imported_from_hex_or_base64(config_file, tmp_path, encode):
    secret = bytes(range(32))
    source = tmp_path / "terminal.key"
    source.write_text(encode(secret) + "\n")
    assert enrol_secret(config_file, "--from-file", str(source)) == 0
    assert stored_secret() == secret


@pytest.mark.parametrize("text", ["00112233", "not a secret!"])
def test_a_short_or_garbled_imported_secret_is_refused(config_file, tmp_path, text):
    source = tmp_path / "terminal.key"
    source.write_text(text)
    assert enrol_secret(config_file, "--from-file", str(source)) == 1
    assert stored(secrets.TERMINAL_SECRET) is None


def test_out_writes_a_private_file_and_never_overwrites(config_file, tmp_path, capsys):
    out = tmp_path / "for-back-office.key"
    assert enrol_secret(config_file, "--out", str(out)) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert base64.b64decode(out.read_text().strip()) == stored_secret()
    assert out.read_text().strip() not in capsys.readouterr().out
    first = stored_secret()
    assert enrol_secret(config_file, "--force", "--out", str(out)) == 1
    assert stored_secret() == first  # nothing changed when the file could not be written


# ---------------------------------------------------------------- data keys


def test_data_keys_are_made_once_and_never_replaced(config_file, capsys):
    assert main(["--config", str(config_file), "enroll", "data-keys"]) == 0
    first = {name: stored(name) for name in secrets.DATA_KEYS}
    assert all(first.values())
    assert "queue-data-key: created" in capsys.readouterr().out
    assert main(["--config", str(config_file), "enroll", "data-keys"]) == 0
    assert "queue-data-key: already enrolled, kept" in capsys.readouterr().out
    assert {name: stored(name) for name in secrets.DATA_KEYS} == first


def test_an_unreadable_secret_file_is_named_in_words(config_file, tmp_path, capsys):
    missing = tmp_path / "none.key"
    assert enrol_secret(config_file, "--from-file", str(missing)) == 1
    err = capsys.readouterr().err
    assert f"cannot read {missing}: No such file or directory" in err
    assert "Errno" not in err
