"""``kiosk queue ...``: the technician's view of the queue, through wiring.cli.main."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import exit_codes
from kiosk.receiver.storage import ReceiverStore
from kiosk.secrets import QUEUE_DATA_KEY, get_key
from offline_queue.connector import ClockRefused, Delivered
from offline_queue.store import QueueStore, State
from tests.receiver_process import RunningReceiver, running_receiver
from wiring.cli import main

NAME = "Jeanne Dupont-Évrard"


@pytest.fixture
def config_file(tmp_path: Path, data_dir: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    # Empty keyring_backend: the keyrings.alt file backend in data_dir, which keeps the
    # queue key from one CLI call to the next as on a terminal.
    path.write_text(f'[kiosk]\ndata_dir = "{data_dir}"\nlog_level = "WARNING"\n')
    return path


def _queue(config_file: Path, *args: str) -> int:
    return main(["--config", str(config_file), "queue", *args])


@pytest.fixture
def store(config_file: Path, data_dir: Path) -> Iterator[QueueStore]:
    """The kiosk's queue, with the key `kiosk enroll data-keys` put in the keyring."""
    assert main(["--config", str(config_file), "enroll", "data-keys"]) == 0
    opened = QueueStore(data_dir / "queue.sqlite3", get_key(QUEUE_DATA_KEY))
    opened.enqueue("id-sent", "ADM-AAA-111", "carte-identite", NAME.encode())
    opened.enqueue("id-refused", "ADM-BBB-222", "etat-civil", NAME.encode())
    opened.enqueue("id-waiting", "ADM-CCC-333", "etat-civil", NAME.encode())
    for outcome in ("delivered", "dead"):
        item = opened.claim_next()
        assert item is not None
        if outcome == "delivered":
            opened.mark_delivered(item.item_id, "BO-7")
        else:
            opened.mark_dead(item.item_id, "HTTP 422: champ date invalide")
    yield opened
    opened.close()


def test_status_counts_each_state_without_personal_data(
    store: QueueStore, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert _queue(config_file, "status") == 0
    out = capsys.readouterr().out
    assert "deliveries: active" in out
    for line in ("pending: 1", "delivered: 1", "dead: 1", "sending: 0", "retry_wait: 0"):
        assert line in out.splitlines()
    assert "last error: HTTP 422: champ date invalide" in out
    assert "retention: 30 d 0 h" in out
    assert NAME not in out


def test_list_shows_items_and_filters_by_state(
    store: QueueStore, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert _queue(config_file, "list") == 0
    out = capsys.readouterr().out
    for text in ("id-sent", "ADM-AAA-111", "BO-7", "id-refused", "HTTP 422", "3 item(s)"):
        assert text in out
    assert NAME not in out

    assert _queue(config_file, "list", "--state", "dead") == 0
    out = capsys.readouterr().out
    assert "id-refused" in out
    assert "id-sent" not in out
    assert "1 item(s)" in out


def test_retry_puts_a_dead_item_back_and_refuses_others(
    store: QueueStore, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _queue(config_file, "retry", "id-refused") == 0
    assert store.get("id-refused").state is State.PENDING
    capsys.readouterr()
    assert _queue(config_file, "retry", "id-sent") == 1
    assert "cannot be retried" in capsys.readouterr().err
    assert _queue(config_file, "retry", "no-such-id") == 1
    assert "no item no-such-id" in capsys.readouterr().err


def test_purge_delivered_and_resume(
    store: QueueStore, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert _queue(config_file, "purge-delivered") == 0
    assert "1 delivered item(s) removed" in capsys.readouterr().out
    assert [i.id for i in store.items()] == ["id-refused", "id-waiting"]

    store.pause("HTTP 401")
    assert _queue(config_file, "status") == 0
    assert "deliveries: PAUSED (HTTP 401)" in capsys.readouterr().out


def paired(config_file: Path, receiver: RunningReceiver, secret: bytes) -> None:
    """Point the configuration at ``receiver`` and enrol ``secret`` as the terminal's."""
    with config_file.open("a", encoding="utf-8") as extra:
        extra.write(f'[backoffice]\nurl = "{receiver.url}"\n'
                    f'terminal_id = "{receiver.terminal_id}"\n')
    source = config_file.parent / "terminal.key"
    source.write_text(secret.hex())
    assert main(["--config", str(config_file), "enroll", "terminal-secret",
                 "--from-file", str(source)]) == 0


def resume_paired(
    config_file: Path, store: QueueStore, office: Path, capsys: pytest.CaptureFixture[str],
    secret: bytes | None = None,
) -> tuple[int, pytest.CaptureResult[str]]:
    """Pause, then `kiosk queue resume` against a real receiver; the terminal holds
    ``secret`` (default: the one the receiver has)."""
    with running_receiver(office) as receiver:
        paired(config_file, receiver, secret or receiver.secret)
        store.pause("HTTP 401 bad_signature")
        capsys.readouterr()
        code = _queue(config_file, "resume")
        return code, capsys.readouterr()


def test_resume_checks_that_the_back_office_accepts_the_credentials(
    store: QueueStore, config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, captured = resume_paired(config_file, store, tmp_path / "office", capsys)
    assert code == exit_codes.OK
    assert "deliveries resumed" in captured.out
    assert "the back office accepts the credentials (HTTP 200" in captured.out
    assert not store.status().paused
    told = ReceiverStore(tmp_path / "office" / "received.sqlite3")
    try:
        [beat] = told.heartbeats()
    finally:
        told.close()
    assert (beat.paused, beat.pause_cause) == (False, None)  # the console's alert ends


def test_resume_says_when_the_back_office_still_refuses_the_credentials(
    store: QueueStore, config_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = b"\x07" * 32  # not the secret the back office has
    code, captured = resume_paired(config_file, store, tmp_path / "office", capsys, wrong)
    assert code == exit_codes.PROBLEM
    assert "deliveries resumed" in captured.out
    assert "resumed, but the back office still refuses the credentials: HTTP 401" in captured.err
    assert "kiosk enroll --fingerprint" in captured.err
    assert not store.status().paused  # resumed anyway: the kiosk pauses at its next refusal


def test_resume_without_a_terminal_secret_says_nothing_can_be_sent(
    store: QueueStore, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store.pause("HTTP 401")
    capsys.readouterr()
    assert _queue(config_file, "resume") == exit_codes.PROBLEM
    captured = capsys.readouterr()
    assert "deliveries resumed" in captured.out
    assert "nothing can be sent" in captured.err
    assert "kiosk enroll terminal-secret" in captured.err


def test_a_queue_made_with_another_key_is_reported(
    config_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    QueueStore(data_dir / "queue.sqlite3", b"\x01" * 32).close()
    assert main(["--config", str(config_file), "enroll", "data-keys"]) == 0
    assert _queue(config_file, "status") == exit_codes.DATA
    assert "data key does not open" in capsys.readouterr().err


def test_status_says_the_clock_is_wrong_until_a_delivery(
    store: QueueStore, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    item = store.claim_next()
    assert item is not None
    store.record_outcome(item.item_id, ClockRefused("HTTP 401 stale_timestamp", -7200.0))
    capsys.readouterr()
    assert _queue(config_file, "status") == 0
    out = capsys.readouterr().out
    assert "deliveries: active" in out
    [clock] = [line for line in out.splitlines() if line.startswith("clock: WRONG: ")]
    assert "(HTTP 401 stale_timestamp, " in clock
    assert "this terminal is 2 h 00 min ahead of the back office" in clock
    assert "`timedatectl set-ntp true`" in clock
    store.retry(item.item_id)
    again = store.claim_next()
    assert again is not None
    store.record_outcome(again.item_id, Delivered("BO-8"))
    assert _queue(config_file, "status") == 0
    assert "clock:" not in capsys.readouterr().out


@pytest.mark.parametrize("action", ["status", "list", "retry", "purge-delivered", "resume"])
def test_a_missing_key_is_named_and_never_made(
    config_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str], action: str
) -> None:
    QueueStore(data_dir / "queue.sqlite3", b"\x01" * 32).close()
    args = [action, "some-id"] if action == "retry" else [action]
    assert _queue(config_file, *args) == exit_codes.DATA
    err = capsys.readouterr().err
    assert "'queue-data-key' is missing" in err
    assert "kiosk enroll data-keys" in err
    keyring_file = data_dir / "secrets" / "keyring.cfg"
    assert not keyring_file.exists() or QUEUE_DATA_KEY not in keyring_file.read_text()


@pytest.mark.parametrize("action", ["status", "list", "resume"])
def test_no_queue_yet_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], action: str
) -> None:
    data_dir = tmp_path / "never-made"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\ndata_dir = "{data_dir}"\nlog_level = "WARNING"\n')
    assert main(["--config", str(config), "queue", action]) == (1 if action == "resume" else 0)
    assert "no queue yet" in capsys.readouterr().out
    assert not data_dir.exists()
