"""`kiosk doctor`: the line format, the exit code, and each check's verdicts."""

from __future__ import annotations

import base64
import errno
import json
import os
import re
import stat
import tempfile
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from kiosk import doctor, secrets
from kiosk.config import Config, load_config
from kiosk.connectors.signing import fingerprint
from kiosk.doctor import (
    CheckResult,
    Level,
    audio,
    configuration,
    delivery,
    demarches,
    display,
    keys,
    storage,
)
from kiosk.security.pin import hash_pin
from offline_queue.connector import ClockRefused, Misconfigured
from offline_queue.store import QueueStore
from tests.receiver_process import running_receiver
from wiring.cli import main
from wiring.commands.doctor import split_remedy

LINE = re.compile(r"^(OK  |WARN|FAIL)  [a-z-]+: \S.*$")
MEMORY = "tests.memory_keyring.MemoryKeyring"


class ForgetfulKeyring(KeyringBackend):
    """Accepts every secret and keeps none: the doctor must FAIL on it."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        pass


def write_config(tmp_path: Path, data_dir: Path, extra: str = "", backend: str = MEMORY) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\ndata_dir = "{data_dir}"\n'
        f'[security]\nkeyring_backend = "{backend}"\n{extra}',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def config_file(tmp_path: Path, data_dir: Path) -> Path:
    return write_config(tmp_path, data_dir)


@pytest.fixture
def config(config_file: Path) -> Config:
    return load_config(config_file)


# ---------------------------------------------------------------- the whole command


def test_every_line_has_the_format_and_a_fail_gives_exit_code_1(config_file, capsys):
    code = main(["--config", str(config_file), "doctor"])
    lines = capsys.readouterr().out.splitlines()
    *checks, summary = lines
    assert all(LINE.match(line) for line in checks), checks
    names = [line.split()[1].rstrip(":") for line in checks]
    assert names == [doctor.check_name(check) for check in doctor.ALL_CHECKS]
    # No technician PIN is enrolled in the fresh keyring: the default PIN is a FAIL.
    assert any(line.startswith("FAIL  technician-pin:") for line in checks)
    assert code == 1
    assert re.fullmatch(rf"{len(doctor.ALL_CHECKS)} checks: \d+ FAIL, \d+ WARN", summary)


def test_json_gives_one_object_per_check_for_fleet_tools(config_file, capsys):
    code = main(["--config", str(config_file), "doctor", "--json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["name"] for row in rows] == [doctor.check_name(c) for c in doctor.ALL_CHECKS]
    assert all(set(row) == {"name", "level", "message", "what_to_do"} for row in rows)
    assert all(row["level"] in ("OK", "WARN", "FAIL") for row in rows)
    [pin] = [row for row in rows if row["name"] == "technician-pin"]
    assert pin == {"name": "technician-pin", "level": "FAIL",
                   "message": "not enrolled: the default PIN is active",
                   "what_to_do": "run `kiosk enroll technician`"}
    assert code == 1


def test_json_of_an_invalid_configuration_is_one_fail_object(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text("[kiosk]\nidle_seconds = -5\n", encoding="utf-8")
    assert main(["--config", str(path), "doctor", "--json"]) == 1
    [row] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["name"], row["level"]) == ("config", "FAIL")
    assert "idle_seconds" in row["message"]
    assert "the other checks need a valid configuration" in row["what_to_do"]


@pytest.mark.parametrize(("detail", "parts"), [
    ("ok", ("ok", "")),
    ("open to others (mode 0755; 0700 wanted)", ("open to others (mode 0755; 0700 wanted)", "")),
    ("paused (HTTP 401); fix it; then resume", ("paused (HTTP 401)", "fix it; then resume")),
])
def test_the_remedy_is_split_off_outside_parentheses(detail, parts):
    assert split_remedy(detail) == parts


def test_the_doctor_makes_no_data_folder_nor_keyring_file(tmp_path, capsys):
    """A fresh terminal: the doctor looks, and leaves nothing behind (no folder of 0755)."""
    data_dir = tmp_path / "fresh" / "data"
    config = write_config(tmp_path, data_dir, backend="")
    main(["--config", str(config), "doctor"])
    out = capsys.readouterr().out
    assert "WARN  keyring: keyrings.alt.file.PlaintextKeyring: plaintext" in out
    assert "not made yet" in out
    assert not (tmp_path / "fresh").exists()


def test_pairing_names_the_fingerprint_or_says_nothing_is_sent(tmp_path, data_dir, config):
    result = keys.check_pairing(config)
    assert (result.level, result.detail) == (Level.WARN, (
        "no terminal secret: requests are queued and none is sent; "
        "pair the terminal: kiosk enroll terminal-secret"))
    deployed = load_config(write_config(tmp_path, data_dir, "deployed = true\n"))
    assert keys.check_pairing(deployed).level is Level.FAIL
    keyring.set_password(secrets.SERVICE, secrets.TERMINAL_SECRET,
                         base64.b64encode(bytes(32)).decode())
    result = keys.check_pairing(config)
    assert result.level is Level.OK
    assert result.detail.startswith(f"{config.backoffice.terminal_id} {fingerprint(bytes(32))}")


def test_exit_code_is_0_without_fail(config_file, data_dir, capsys, monkeypatch):
    data_dir.chmod(0o700)
    checks = (configuration.check_config, storage.check_data_dir)
    monkeypatch.setattr(
        "wiring.commands.doctor.run_checks", lambda config: doctor.run_checks(config, checks)
    )
    assert main(["--config", str(config_file), "doctor"]) == 0
    out = capsys.readouterr().out
    assert not any(line.startswith("FAIL") for line in out.splitlines())
    assert out.splitlines()[-1] == "2 checks: 0 FAIL, 0 WARN"


def test_an_invalid_configuration_is_a_fail_line(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text("[kiosk]\nidle_seconds = -5\n", encoding="utf-8")
    assert main(["--config", str(path), "doctor"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert LINE.match(first)
    assert first.startswith("FAIL  config:")
    assert "idle_seconds" in first


def test_a_back_office_that_only_looks_local_is_a_fail(config):
    office = config.backoffice._replace(kind="http", url="http://localhost:x@mairie.example/api")
    result = configuration.check_config(config._replace(backoffice=office))
    assert result.level is Level.FAIL
    assert "user name or password" in result.detail


def test_a_crashing_check_becomes_a_fail_line(config):
    def check_exploding(config: Config) -> CheckResult:
        raise RuntimeError("boom")

    [result] = doctor.run_checks(config, [check_exploding])
    assert result == CheckResult(Level.FAIL, "exploding", "the check crashed: RuntimeError: boom")


# ---------------------------------------------------------------- storage


def test_a_writable_data_dir_is_ok_and_left_clean(config, data_dir):
    data_dir.chmod(0o700)
    assert storage.check_data_dir(config).level is Level.OK
    assert list(data_dir.iterdir()) == []


def test_a_data_dir_open_to_others_warns(config, data_dir):
    data_dir.chmod(0o755)
    result = storage.check_data_dir(config)
    assert result.level is Level.WARN
    assert "0755" in result.detail


def test_a_read_only_file_system_fails(config, monkeypatch):
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", read_only)
    result = storage.check_data_dir(config)
    assert result.level is Level.FAIL
    assert "not writable (Read-only file system)" in result.detail


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through file modes")
def test_a_read_only_data_dir_fails(config, data_dir):
    data_dir.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert storage.check_data_dir(config).level is Level.FAIL
    finally:
        data_dir.chmod(0o700)


def test_a_data_dir_that_is_a_file_fails(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    config = load_config(write_config(tmp_path, not_a_dir))
    result = storage.check_data_dir(config)
    assert result.level is Level.FAIL
    assert "not a directory" in result.detail


@pytest.mark.parametrize(
    ("free", "level"),
    [
        (0, Level.FAIL),
        (100 * storage.MIB - 1, Level.FAIL),
        (100 * storage.MIB, Level.WARN),
        (storage.GIB - 1, Level.WARN),
        (storage.GIB, Level.OK),
    ],
)
def test_disk_thresholds(free, level):
    assert storage.disk_level(free) is level


# ---------------------------------------------------------------- keyring and PIN


def test_the_configured_keyring_is_probed_and_the_probe_removed(config):
    result = keys.check_keyring(config)
    assert result.level is Level.OK, result
    assert "MemoryKeyring" in result.detail
    assert keyring.get_keyring().secrets == {}  # type: ignore[attr-defined]


def test_a_plaintext_keyring_warns(tmp_path, data_dir):
    config = load_config(write_config(tmp_path, data_dir, backend=""))
    result = keys.check_keyring(config)
    assert result.level is Level.WARN
    assert "PlaintextKeyring" in result.detail
    assert "plaintext" in result.detail
    assert str(data_dir) in result.detail


def test_a_plaintext_keyring_fails_on_a_deployed_terminal(tmp_path, data_dir):
    config = load_config(write_config(tmp_path, data_dir, "deployed = true\n", backend=""))
    result = keys.check_keyring(config)
    assert result.level is Level.FAIL
    assert "deployed terminal" in result.detail
    assert "systemd-creds" in result.detail


def service_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *names: str) -> Path:
    """The folder systemd gives kiosk.service ($CREDENTIALS_DIRECTORY), holding ``names``."""
    folder = tmp_path / "credentials"
    folder.mkdir()
    for name in names:
        (folder / f"kiosk.{name}").write_text(base64.b64encode(os.urandom(32)).decode())
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(folder))
    return folder


def test_systemd_credentials_are_read_never_written(tmp_path, data_dir, monkeypatch):
    folder = service_credentials(tmp_path, monkeypatch, "queue-data-key", "audit-key",
                                 "terminal-secret")
    config = load_config(write_config(tmp_path, data_dir, backend="systemd-creds"))
    result = keys.check_keyring(config)
    assert result.level is Level.OK, result
    assert "queue-data-key, audit-key, terminal-secret enrolled" in result.detail
    assert len(list(folder.iterdir())) == 3


@pytest.mark.skipif(os.geteuid() != 0, reason="what root is told")
def test_root_is_the_user_that_reads_systemd_credentials(tmp_path, data_dir):
    config = load_config(write_config(tmp_path, data_dir, backend="systemd-creds"))
    result = configuration.check_user(config)
    assert "as systemd credentials need" in result.detail


def test_a_missing_systemd_credential_fails_naming_the_command(tmp_path, data_dir, monkeypatch):
    service_credentials(tmp_path, monkeypatch, "queue-data-key", "audit-key")
    config = load_config(write_config(tmp_path, data_dir, backend="systemd-creds"))
    result = keys.check_keyring(config)
    assert result.level is Level.FAIL
    assert "'terminal-secret' is missing" in result.detail
    assert "kiosk enroll terminal-secret" in result.detail


def test_a_keyring_that_forgets_fails(tmp_path, data_dir):
    backend = "tests.kiosk.test_doctor.ForgetfulKeyring"
    result = keys.check_keyring(load_config(write_config(tmp_path, data_dir, backend=backend)))
    assert result.level is Level.FAIL
    assert "does not give back" in result.detail


def test_a_keyring_that_cannot_load_fails(tmp_path, data_dir):
    backend = "tests.kiosk.test_doctor.NoSuchKeyring"
    result = keys.check_keyring(load_config(write_config(tmp_path, data_dir, backend=backend)))
    assert result.level is Level.FAIL
    assert "NoSuchKeyring" in result.detail


def test_the_default_technician_pin_fails_and_an_enrolled_one_passes(config):
    assert keys.check_technician_pin(config).level is Level.FAIL
    secrets.set_secret(secrets.TECHNICIAN_PIN, hash_pin("482913"))
    assert keys.check_technician_pin(config) == CheckResult(
        Level.OK, "technician-pin", "enrolled (keyring)"
    )


def test_a_malformed_technician_pin_hash_in_config_fails_without_showing_it(
    tmp_path, data_dir, capsys
):
    path = write_config(tmp_path, data_dir, extra='technician_pin_hash = "482913"\n')
    assert main(["--config", str(path), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  config: " in out
    assert "technician_pin_hash" in out
    assert "482913" not in out


# ---------------------------------------------------------------- queue


def test_no_queue_file_is_ok_and_not_created(config, data_dir):
    result = delivery.check_queue(config)
    assert result.level is Level.OK
    assert not (data_dir / "queue.sqlite3").exists()


def test_the_queue_is_summarised_without_content(config, data_dir):
    secrets.create_key(secrets.QUEUE_DATA_KEY)
    key = secrets.get_key(secrets.QUEUE_DATA_KEY)
    with QueueStore(data_dir / "queue.sqlite3", key) as store:
        store.enqueue("item-1", "ADM-0001", "etat-civil", b"Jeanne Martin, 3 rue des Lilas")
    result = delivery.check_queue(config)
    assert result.level is Level.OK
    assert "pending 1" in result.detail
    assert "Jeanne" not in result.detail
    assert "ADM-0001" not in result.detail


def test_a_queue_without_its_key_fails(config, data_dir):
    with QueueStore(data_dir / "queue.sqlite3", os.urandom(32)):
        pass
    result = delivery.check_queue(config)
    assert result.level is Level.FAIL
    assert "data key is missing" in result.detail


def test_a_queue_with_the_wrong_key_fails(config, data_dir):
    with QueueStore(data_dir / "queue.sqlite3", os.urandom(32)):
        pass
    secrets.set_secret(secrets.QUEUE_DATA_KEY, base64.b64encode(os.urandom(32)).decode())
    assert delivery.check_queue(config).level is Level.FAIL


def _refused(data_dir: Path, outcome) -> None:
    """The sender's record of one attempt answered with ``outcome``."""
    secrets.create_key(secrets.QUEUE_DATA_KEY)
    key = secrets.get_key(secrets.QUEUE_DATA_KEY)
    with QueueStore(data_dir / "queue.sqlite3", key) as store:
        store.enqueue("item-1", "ADM-0001", "etat-civil", b"Jeanne Martin")
        assert store.claim_next() is not None
        store.record_outcome("item-1", outcome, delay=60.0)


def test_a_wrong_url_pause_says_to_fix_the_url(config, data_dir):
    reason = "the back-office URL answers HTTP 404: check [backoffice] url"
    _refused(data_dir, Misconfigured(reason))
    result = delivery.check_queue(config)
    assert result.level is Level.FAIL
    assert result.detail.startswith(
        "deliveries PAUSED (the back-office URL answers HTTP 404: check [backoffice] url); "
        "fix [backoffice] url in the configuration, then `kiosk queue resume`; pending 1"
    )


@pytest.fixture
def unreachable_url(tmp_path):
    import socket

    with socket.socket() as sock:  # bound, never listened: refused at once
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def _clock_config(tmp_path: Path, data_dir: Path, url: str) -> Config:
    return load_config(write_config(tmp_path, data_dir, f'[backoffice]\nurl = "{url}"\n'))


def test_a_clock_the_back_office_refused_fails_with_what_to_do(
    tmp_path, data_dir, unreachable_url, monkeypatch
):
    monkeypatch.setattr(delivery, "ntp_synchronized", lambda: None)
    _refused(data_dir, ClockRefused("HTTP 401 stale_timestamp", 3600.0))
    config = _clock_config(tmp_path, data_dir, unreachable_url)
    result = delivery.check_clock(config)
    assert result.level is Level.FAIL
    assert "refused this terminal's clock (HTTP 401 stale_timestamp" in result.detail
    assert "this terminal is 1 h 00 min behind the back office" in result.detail
    assert "timedatectl" in result.detail
    assert delivery.check_queue(config).level is not Level.FAIL  # not paused


def test_a_clock_set_right_since_the_refusal_only_warns(tmp_path, data_dir, monkeypatch):
    monkeypatch.setattr(delivery, "ntp_synchronized", lambda: True)
    _refused(data_dir, ClockRefused("HTTP 401 stale_timestamp", 3600.0))
    with running_receiver(tmp_path / "rx", "--no-catalog") as rx:
        result = delivery.check_clock(_clock_config(tmp_path, data_dir, rx.url))
    assert result.level is Level.WARN
    assert "Right by now (this terminal's clock agrees with the back office's)" in result.detail


def test_a_clock_that_agrees_with_the_back_office_is_ok(tmp_path, data_dir, monkeypatch):
    monkeypatch.setattr(delivery, "ntp_synchronized", lambda: True)
    with running_receiver(tmp_path / "rx", "--no-catalog") as rx:
        result = delivery.check_clock(_clock_config(tmp_path, data_dir, rx.url))
    assert result == CheckResult(
        Level.OK, "clock", "this terminal's clock agrees with the back office's"
    )


@pytest.mark.parametrize(
    ("skew", "level", "words"),
    [(-4000.0, Level.FAIL, "1 h 06 min ahead of the back office, which refuses"),
     (120.0, Level.WARN, "2 min behind the back office: drifting; check NTP")],
)
def test_a_clock_far_from_the_back_office_now(config, monkeypatch, skew, level, words):
    monkeypatch.setattr(delivery, "ntp_synchronized", lambda: True)
    monkeypatch.setattr(delivery, "back_office_skew", lambda config: skew)
    result = delivery.check_clock(config)
    assert (result.level, words in result.detail) == (level, True), result.detail


def test_a_clock_not_synchronised_by_ntp_warns(tmp_path, data_dir, unreachable_url, monkeypatch):
    monkeypatch.setattr(delivery, "ntp_synchronized", lambda: False)
    result = delivery.check_clock(_clock_config(tmp_path, data_dir, unreachable_url))
    assert result.level is Level.WARN
    assert result.detail.startswith("not synchronised by NTP; check NTP: `timedatectl status`")


# ---------------------------------------------------------------- Qt, libraries, display


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({}, None),
        ({"DISPLAY": ":0"}, "xcb"),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "wayland"),
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "offscreen"),
        ({"QT_QPA_PLATFORM": "xcb:foo=1"}, "xcb"),
    ],
)
def test_target_platform(environ, platform):
    assert display.target_platform(environ) == platform


def test_offscreen_only_is_a_warning(config, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    result = display.check_qt_platform(config)
    assert result == CheckResult(
        Level.WARN, "qt-platform", "no display; offscreen only ('offscreen' loads)"
    )


def test_a_platform_plugin_that_cannot_load_fails(config, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "no-such-platform")
    result = display.check_qt_platform(config)
    assert result.level is Level.FAIL
    assert "no-such-platform" in result.detail


def test_missing_xcb_libraries_name_their_debian_packages(config, monkeypatch):
    known = frozenset(display.XCB_LIBRARIES) - {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}
    monkeypatch.setattr(display, "shared_libraries", lambda: known)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    result = display.check_xcb_libraries(config)
    assert result.level is Level.FAIL
    assert "apt-get install libxcb-cursor0 libxcb-icccm4" in result.detail
    monkeypatch.setenv("QT_QPA_PLATFORM", "wayland")
    assert display.check_xcb_libraries(config).level is Level.WARN  # only the fallback
    monkeypatch.setattr(display, "shared_libraries", lambda: frozenset(display.XCB_LIBRARIES))
    assert display.check_xcb_libraries(config).level is Level.OK


def test_library_lookup_without_ldconfig_uses_ctypes():
    assert display.missing_libraries(["libc.so.6", "libnosuchthing.so.9"], None) == [
        "libnosuchthing.so.9"
    ]


def test_display_without_screen_assumes_the_21_inch_panel(config, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    result = display.check_display(config)
    assert result.level is Level.WARN
    assert "21.5-inch" in result.detail
    assert "0.248 mm/px" in result.detail


def test_display_uses_the_configured_pixel_size(tmp_path, data_dir, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    config = load_config(write_config(tmp_path, data_dir, "[screen]\nmm_per_pixel = 0.3\n"))
    result = display.check_display(config)
    assert result.level is Level.OK
    assert "0.300 mm/px (15 mm = 50 px)" in result.detail


def test_display_reads_the_screen(config, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    probe = display.QtProbe("xcb", True, screens=((1920, 1080, 101.6),))
    monkeypatch.setattr(display, "qt_probe", lambda: probe)
    result = display.check_display(config)
    assert result.level is Level.OK
    assert result.detail == "1920x1080 px, 102 dpi reported; 0.250 mm/px (15 mm = 60 px)"


def test_fonts_fail_without_dejavu(config, monkeypatch):
    probe = display.QtProbe("offscreen", True, fonts_registered=True,
                           families=frozenset({"Atkinson Hyperlegible"}))
    monkeypatch.setattr(display, "qt_probe", lambda: probe)
    result = display.check_fonts(config)
    assert result.level is Level.FAIL
    assert "fonts-dejavu-core" in result.detail


# ---------------------------------------------------------------- speech and audio


def test_a_missing_voice_for_a_configured_language_fails(config, monkeypatch):
    monkeypatch.setattr(
        "accessibility.voices.available_voices",
        lambda: {"fr": "roa/fr", "en": None, "ar": "sem/ar"},
    )
    result = audio.check_voices(config)
    assert result.level is Level.FAIL
    assert "no voice for en" in result.detail


def test_a_missing_player_fails_naming_it_and_its_package(config, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = audio.check_audio_player(config)
    assert result.level is Level.FAIL
    assert "'aplay'" in result.detail
    assert "alsa-utils" in result.detail


def test_a_missing_player_only_warns_when_speech_is_off(tmp_path, data_dir):
    extra = '[speech]\nenabled = false\nplayer = "no-such-player --quiet"\n'
    result = audio.check_audio_player(load_config(write_config(tmp_path, data_dir, extra)))
    assert result.level is Level.WARN
    assert "'no-such-player'" in result.detail


def _fake_aplay(directory: Path, script: str) -> None:
    aplay = directory / "aplay"
    aplay.write_text(f"#!/bin/sh\n{script}\n")
    aplay.chmod(0o755)
    os.environ["PATH"] = f"{directory}{os.pathsep}{os.environ['PATH']}"


def test_no_sound_card_warns(config, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", os.environ["PATH"])
    _fake_aplay(tmp_path, 'echo "aplay: device_list:274: no soundcards found..." >&2')
    result = audio.check_audio_device(config)
    assert result.level is Level.WARN
    assert "no sound card" in result.detail


def test_a_sound_card_is_ok(config, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", os.environ["PATH"])
    _fake_aplay(tmp_path, 'echo "**** List of PLAYBACK Hardware Devices ****"\n'
                          'echo "card 0: PCH [HDA Intel PCH], device 0: ALC892 Analog"')
    result = audio.check_audio_device(config)
    assert result.level is Level.OK
    assert "HDA Intel PCH" in result.detail


# ---------------------------------------------------------------- démarches offered

def _demarches_line(tmp_path: Path, kind: str, catalog: object | None = None) -> str:
    from kiosk.config import parse_config

    settings: dict[str, object] = {"backoffice": {"kind": kind}}
    if kind == "wcs":
        settings["backoffice"] = {"kind": "wcs", "url": "https://demarches.example",
                                  "orig": "borne-01"}
    if catalog is not None:
        path = tmp_path / "catalogue.json"
        path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
        settings["catalog"] = {"path": str(path)}
    return demarches.check_demarches(parse_config(settings, "kiosk.toml")).line()


def _bundled() -> dict:
    from kiosk.catalog.store import bundled_catalog_path

    return json.loads(bundled_catalog_path().read_text(encoding="utf-8"))


def test_demarches_a_wcs_back_office_cannot_take_are_named(tmp_path):
    assert _demarches_line(tmp_path, "wcs") == (
        "WARN  demarches: 1 offered; not offered (no wcs mapping): acte-etat-civil, "
        "demande-logement, reclamation-suggestion, portail-famille, quel-service"
    )


def test_every_demarche_is_offered_by_a_back_office_needing_no_mapping(tmp_path):
    assert _demarches_line(tmp_path, "http") == (
        "OK    demarches: 6 offered (the http back office needs no mapping)")


def test_a_catalog_wholly_mapped_or_not_mapped_at_all(tmp_path):
    data = _bundled()
    street = [d for d in data["demarches"] if d["id"] == "signalement-rue"]
    assert _demarches_line(tmp_path, "wcs", {**data, "demarches": street}) == (
        "OK    demarches: 1 offered, all mapped to wcs")
    for demarche in street:
        demarche.pop("backoffices")
    assert _demarches_line(tmp_path, "wcs", {**data, "demarches": street}) == (
        "FAIL  demarches: no démarche is mapped to wcs: residents are offered none")


def test_a_broken_catalog_is_a_fail_naming_the_problem(tmp_path):
    line = _demarches_line(tmp_path, "wcs", {"schema_version": 1})
    assert line.startswith("FAIL  demarches: ")
    assert "missing key 'commune' (`kiosk catalog check` names every problem)" in line
