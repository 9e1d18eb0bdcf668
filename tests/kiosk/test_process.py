"""The kiosk as systemd runs it: a process that says READY=1, and stops cleanly on SIGTERM."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import Config
from wiring.commands.run import display_available, run_with_config


def test_without_display_the_kiosk_says_so_plainly(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert run_with_config(Config(), windowed=True) == 1
    error = capsys.readouterr().err
    assert "no display is available" in error
    assert "kiosk screenshots --out DIR" in error
    assert "Traceback" not in error


def test_a_platform_chosen_explicitly_counts_as_a_display():
    assert display_available({"QT_QPA_PLATFORM": "offscreen"})
    assert display_available({"WAYLAND_DISPLAY": "wayland-0"})
    assert not display_available({})


@contextlib.contextmanager
def kiosk_under_systemd(
    tmp_path: Path, **env: str
) -> Iterator[tuple[socket.socket, subprocess.Popen[str]]]:
    """The kiosk started as systemd starts it: its notification socket (``NOTIFY_SOCKET``,
    60 s to answer), ``env`` added; killed on exit if still running."""
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n[backoffice]\nkind = "none"\n',
        encoding="utf-8",
    )
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(address)
        listener.settimeout(60)
        process = subprocess.Popen(
            [sys.executable, "-m", "wiring.cli", "--config", str(config), "--windowed"],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": address, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            yield listener, process
        finally:
            process.kill()
            process.communicate()


@pytest.mark.slow
def test_ready_then_clean_stop_on_sigterm(tmp_path: Path):
    with kiosk_under_systemd(tmp_path) as (listener, process):
        assert listener.recv(64) == b"READY=1"
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert (tmp_path / "data" / "queue.sqlite3").is_file()


@pytest.mark.slow
def test_the_set_up_after_ready_tells_the_watchdog_it_progresses(tmp_path: Path):
    """After READY=1 the kiosk builds its services on the event loop; on a slow terminal
    that outlasted WatchdogSec and systemd killed a kiosk that was only starting."""
    # Timer pings every 5 minutes: none of them during the test.
    with kiosk_under_systemd(tmp_path, WATCHDOG_USEC="600000000") as (listener, _process):
        assert listener.recv(64) == b"READY=1"
        assert listener.recv(64) == b"WATCHDOG=1"  # the set-up's, long before 5 min


def _kiosk_command(tmp_path: Path, *words: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\n'
        "[screen]\nscreenshot_width = 1280\nscreenshot_height = 800\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [sys.executable, "-m", "wiring.cli", "--config", str(config), *words],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_screenshots_of_chosen_scenes_at_the_configured_resolution(tmp_path: Path):
    from PySide6.QtGui import QImage

    out = tmp_path / "shots"
    done = _kiosk_command(
        tmp_path, "screenshots", "--out", str(out),
        "--scene", "welcome", "--scene", "idle", "--scene", "technician-pin",
    )
    assert done.returncode == 0, done.stderr
    files = sorted(path.name for path in out.glob("*.png"))
    # 3 scenes x 3 languages x 3 text sizes x 3 themes
    assert len(files) == 81
    assert {name.split("-fr-")[0] for name in files if "-fr-" in name} == {
        "welcome", "idle", "technician-pin"
    }
    image = QImage(str(out / "technician-pin-ar-largest-dark.png"))
    assert (image.width(), image.height()) == (1280, 800)
    # Qt's offscreen notes are not warnings for the technician.
    assert "This plugin does not support" not in done.stderr
    # A long run shows where it is.
    assert "kiosk screenshots: 25/81" in done.stderr
    assert "kiosk screenshots: 81/81" in done.stderr


def test_screenshots_of_an_unknown_scene_name_the_scenes(tmp_path: Path):
    out = tmp_path / "shots"
    done = _kiosk_command(
        tmp_path, "screenshots", "--out", str(out), "--scene", "welcome", "--scene", "nope"
    )
    assert done.returncode == 2
    assert "no scene starts with nope" in done.stderr
    assert "technician-pin" in done.stderr
    assert not list(out.glob("*.png"))
