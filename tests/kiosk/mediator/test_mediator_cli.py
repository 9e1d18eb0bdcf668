"""`kiosk mediator add|list|disable|unlock` and `kiosk audit verify|export`, end to end.

The keyring is the file backend in the test's data dir (``keyring_backend`` empty), so the
audit key stays the same from one command to the next, as on a terminal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import exit_codes
from kiosk.audit.journal import AUDIT_FILE, Journal
from kiosk.mediator.accounts import MEDIATORS_FILE, MediatorRegistry
from tests.kiosk.audit.attacker import delete
from tests.kiosk.mediator.conftest import PIN
from wiring.cli import main
from wiring.commands import new_pin


@pytest.fixture
def config_file(tmp_path: Path, data_dir: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\ndata_dir = "{data_dir}"\n[security]\nkeyring_backend = ""\n',
                    encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def keep_log_capture(monkeypatch: pytest.MonkeyPatch) -> None:
    # prepare() replaces the root logger's handlers, caplog's included: keep caplog's.
    monkeypatch.setattr("wiring.commands.common.setup_logging", lambda level: None)


def kiosk(config_file: Path, *argv: str) -> int:
    return main(["--config", str(config_file), *argv])


def add(config_file: Path, name: str, pin: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
    return kiosk(config_file, "mediator", "add", name, "--pin-stdin")


def typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
    replies: Iterator[str] = iter(answers)
    monkeypatch.setattr(new_pin.getpass, "getpass", lambda prompt="": next(replies))


def test_add_list_disable_and_a_verified_journal(config_file, data_dir, monkeypatch,
                                                 capsys) -> None:
    typed(monkeypatch, PIN, PIN)
    assert kiosk(config_file, "mediator", "add", "Camille") == 0
    assert add(config_file, "Bob", "739164", monkeypatch) == 0
    assert kiosk(config_file, "mediator", "disable", "bob") == 0
    capsys.readouterr()
    assert kiosk(config_file, "mediator", "list") == 0
    listing = capsys.readouterr().out
    assert "Camille" in listing
    assert "active" in listing
    assert "Bob" in listing
    assert "disabled" in listing
    with MediatorRegistry(data_dir / MEDIATORS_FILE) as registry:
        camille = registry.find("Camille")
        assert registry.authenticate(camille.id, PIN).ok
    assert kiosk(config_file, "audit", "verify") == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 3 entries intact (hash chain and HMACs)")
    assert PIN not in (data_dir / AUDIT_FILE).read_bytes().decode("latin-1")


def test_differing_pins_add_nothing(config_file, data_dir, monkeypatch, capsys) -> None:
    typed(monkeypatch, PIN, "739164")
    assert kiosk(config_file, "mediator", "add", "Camille") == 1
    assert "the two PINs differ; nothing was changed" in capsys.readouterr().err
    with MediatorRegistry(data_dir / MEDIATORS_FILE) as registry:
        assert registry.accounts() == []


@pytest.mark.parametrize("pin", ["1234", "000000", "12a456"])
def test_a_bad_pin_is_refused_without_echo(config_file, monkeypatch, capsys, pin) -> None:
    assert add(config_file, "Camille", pin, monkeypatch) == 1
    captured = capsys.readouterr()
    assert "nothing was changed" in captured.err
    assert pin not in captured.out + captured.err


def test_unknown_accounts_and_unlock(config_file, data_dir, monkeypatch, capsys) -> None:
    assert kiosk(config_file, "mediator", "disable", "Nobody") == 1
    assert "kiosk mediator list" in capsys.readouterr().err
    assert add(config_file, "Camille", PIN, monkeypatch) == 0
    with MediatorRegistry(data_dir / MEDIATORS_FILE) as registry:
        camille = registry.find("Camille")
        for _ in range(5):
            registry.authenticate(camille.id, "739164")
    capsys.readouterr()
    assert kiosk(config_file, "mediator", "list") == 0
    assert "locked until" in capsys.readouterr().out
    assert kiosk(config_file, "mediator", "unlock", camille.id) == 0
    with MediatorRegistry(data_dir / MEDIATORS_FILE) as registry:
        assert registry.authenticate(camille.id, PIN).ok


def test_verify_names_the_first_broken_entry(config_file, data_dir, monkeypatch,
                                             capsys) -> None:
    for name, pin in (("Camille", PIN), ("Bob", "739164"), ("Zoé", "582716")):
        assert add(config_file, name, pin, monkeypatch) == 0
    delete(data_dir / AUDIT_FILE, 2)
    capsys.readouterr()
    assert kiosk(config_file, "audit", "verify") == 1
    err = capsys.readouterr().err
    assert "BROKEN at entry 2: entry 2 is missing" in err
    assert "1 entries before it are intact" in err


def test_verify_with_the_back_office_head_catches_an_older_copy(
    config_file, data_dir, tmp_path, monkeypatch, capsys
) -> None:
    for name, pin in (("Camille", PIN), ("Bob", "739164")):
        assert add(config_file, name, pin, monkeypatch) == 0
    shutil.copy(data_dir / AUDIT_FILE, tmp_path / "old.sqlite3")
    assert kiosk(config_file, "mediator", "disable", "Bob") == 0
    with Journal(data_dir / AUDIT_FILE) as journal:
        seen = journal.head()  # what the back office was sent
    assert seen is not None
    assert kiosk(config_file, "audit", "verify", "--expect-head", str(seen)) == 0
    shutil.copy(tmp_path / "old.sqlite3", data_dir / AUDIT_FILE)
    capsys.readouterr()
    assert kiosk(config_file, "audit", "verify") == 0  # consistent in itself
    assert kiosk(config_file, "audit", "verify", "--expect-head", str(seen)) == 1
    err = capsys.readouterr().err
    assert "BROKEN at entry 3: rolled back: the back office saw entry 3" in err


@pytest.mark.parametrize(("head", "problem"), [
    ("3", "SEQ:HASH"), ("x:" + "a" * 64, "seq"), ("3:abc", "64 lowercase hex digits")])
def test_verify_refuses_a_malformed_head(config_file, capsys, head, problem) -> None:
    with pytest.raises(SystemExit) as stopped:
        kiosk(config_file, "audit", "verify", "--expect-head", head)
    assert stopped.value.code == 2
    assert problem in capsys.readouterr().err


def test_unlocking_an_account_that_is_not_locked_says_so_and_journals_nothing(
    config_file, data_dir, monkeypatch, capsys
) -> None:
    assert add(config_file, "Camille", PIN, monkeypatch) == 0
    entries = journal_length(config_file, capsys)
    assert kiosk(config_file, "mediator", "unlock", "Camille") == 0
    assert "is not locked; nothing changed" in capsys.readouterr().out
    assert journal_length(config_file, capsys) == entries


def journal_length(config_file: Path, capsys: pytest.CaptureFixture[str]) -> int:
    """The number of journal entries, as `kiosk audit export` shows them."""
    capsys.readouterr()
    assert kiosk(config_file, "audit", "export", "--since", "2000-01-01") == 0
    return len(capsys.readouterr().out.splitlines()) - 1


def test_verify_without_a_journal_says_so(config_file, capsys) -> None:
    assert kiosk(config_file, "audit", "verify") == exit_codes.DATA
    assert "no journal" in capsys.readouterr().err


def test_export_to_stdout_and_to_a_file(config_file, data_dir, tmp_path, monkeypatch,
                                        capsys) -> None:
    assert add(config_file, "Camille", PIN, monkeypatch) == 0
    assert kiosk(config_file, "mediator", "disable", "Camille") == 0
    capsys.readouterr()
    today = dt.date.today()
    assert kiosk(config_file, "audit", "export", "--since", today.isoformat()) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [row[2] for row in rows[1:]] == ["mediator_added", "mediator_disabled"]
    assert all(row[3] == "technician" for row in rows[1:])
    out = tmp_path / "journal.csv"
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert kiosk(config_file, "audit", "export", "--since", tomorrow, "--out", str(out)) == 0
    assert out.read_text(encoding="utf-8") == "seq,time,kind,actor,details,hash\n"
    assert "0 entries" in capsys.readouterr().err
    # An existing file is never overwritten: a usage error, named in words.
    assert kiosk(config_file, "audit", "export", "--since", tomorrow, "--out",
                 str(out)) == exit_codes.USAGE
    err = capsys.readouterr().err
    assert f"kiosk audit export: {out} exists: choose another name or remove it" in err
    assert "Errno" not in err
    assert out.read_text(encoding="utf-8") == "seq,time,kind,actor,details,hash\n"


def test_export_warns_when_the_journal_is_broken(config_file, data_dir, monkeypatch,
                                                 capsys) -> None:
    assert add(config_file, "Camille", PIN, monkeypatch) == 0
    assert add(config_file, "Bob", "739164", monkeypatch) == 0
    delete(data_dir / AUDIT_FILE, 1)
    capsys.readouterr()
    assert kiosk(config_file, "audit", "export", "--since", "2000-01-01") == 0
    assert "WARNING" in capsys.readouterr().err


def test_a_malformed_date_is_refused(config_file, capsys) -> None:
    with pytest.raises(SystemExit):
        kiosk(config_file, "audit", "export", "--since", "31/01/2025")
    assert "2025-01-31" in capsys.readouterr().err


# ---------------------------------------------------------------- keys are never made here


def keyring_text(data_dir: Path) -> str:
    path = data_dir / "secrets" / "keyring.cfg"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_verify_with_a_missing_key_names_it_and_makes_none(config_file, data_dir, monkeypatch,
                                                           capsys) -> None:
    assert add(config_file, "Camille", PIN, monkeypatch) == 0
    (data_dir / "secrets" / "keyring.cfg").unlink()  # the journal stays, its key is gone
    capsys.readouterr()
    assert kiosk(config_file, "audit", "verify") == exit_codes.DATA
    err = capsys.readouterr().err
    assert "'audit-key' is missing" in err
    assert "kiosk enroll data-keys" in err
    assert "audit-key" not in keyring_text(data_dir)


@pytest.mark.parametrize(
    "argv", [("mediator", "list"), ("audit", "verify"), ("queue", "status"), ("queue", "list")]
)
def test_read_only_commands_create_no_file_folder_or_key(tmp_path, capsys, argv) -> None:
    data_dir = tmp_path / "fresh"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\ndata_dir = "{data_dir}"\n', encoding="utf-8")
    assert kiosk(config, *argv) in (0, exit_codes.DATA)  # nothing to show: "no ... yet"
    assert not data_dir.exists()


def test_a_deployed_terminal_makes_no_key_for_a_new_mediator(config_file, monkeypatch,
                                                             capsys) -> None:
    with config_file.open("a", encoding="utf-8") as extra:
        extra.write("deployed = true\n")
    assert add(config_file, "Camille", PIN, monkeypatch) == exit_codes.DATA
    assert "'audit-key' is missing" in capsys.readouterr().err
