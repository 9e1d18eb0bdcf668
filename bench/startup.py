"""Start-up benchmark: process start to welcome screen shown (READY=1), and peak memory.

The kiosk is started the way systemd starts it: a fresh process with $NOTIFY_SOCKET set,
full screen, and the clock stops when READY=1 arrives on that socket. The floor is a bare
PySide6 window with one label, started and timed the same way in the same run. Both paint
1920x1080 pixels: Qt's offscreen platform is given a screen of that size.

    .venv/bin/python bench/startup.py [--runs 7]

Goal (issue 2): at most 1.3x the floor's time and under 110 MiB peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
SETTLE_SECONDS = 1.5

FLOOR = """
import os, socket, sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label = QLabel("Bonjour")
label.resize(1920, 1080)
label.show()
app.processEvents()
with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
    s.connect(os.environ["NOTIFY_SOCKET"])
    s.sendall(b"READY=1")
app.exec()
"""


def offscreen_screen(tmp_path: Path) -> str:
    """Qt's offscreen platform with one 1920x1080 screen (its own default is 800x800)."""
    screen = {"name": "kiosk", "x": 0, "y": 0, "width": 1920, "height": 1080}
    settings = tmp_path / "offscreen.json"
    settings.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={settings}"


# The kiosk's own back office on a port where nothing listens: the terminal is paired
# (terminal secret enrolled), builds its connector (and imports requests) as a deployed
# terminal does, and keeps its queue, as when the network is down.
HTTP_BACKOFFICE = (
    '[backoffice]\nkind = "http"\nurl = "http://127.0.0.1:9"\nterminal_id = "borne-bench"\n'
)


def terminal_config(tmp_path: Path, backoffice: str) -> Path:
    """A terminal's configuration: its own data directory, a touch screen, and no back
    office (``none``) or a paired one (``http``, secrets enrolled here)."""
    config = tmp_path / "kiosk.toml"
    office = HTTP_BACKOFFICE if backoffice == "http" else '[backoffice]\nkind = "none"\n'
    config.write_text(
        f'[kiosk]\ndata_dir = "{tmp_path / "data"}"\nlog_level = "WARNING"\n'
        f"hide_cursor = true\n{office}",
        encoding="utf-8",
    )
    if backoffice == "http":
        script = Path(sys.executable).with_name("kiosk")
        for what in (["data-keys"], ["terminal-secret", "--out", str(tmp_path / "secret")]):
            subprocess.run(
                [str(script), "enroll", "--config", str(config), *what],
                check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
    return config


def installed_like_env(tmp_path: Path) -> dict[str, str]:
    """The environment of both processes: offscreen, and with bytecode as when installed.

    pip compiles every module to bytecode when it installs the kiosk (and the kiosk's
    systemd unit cannot write to /opt). A development shell may set
    PYTHONDONTWRITEBYTECODE, which would have every start compile our sources again, a
    cost no terminal pays: the bytecode goes to a temporary cache instead, written by the
    warm-up start.
    """
    env = {**os.environ, "QT_QPA_PLATFORM": offscreen_screen(tmp_path)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    return env


class Start(NamedTuple):
    seconds: float  # wall clock, spawn to READY=1
    cpu_seconds: float  # CPU time of the main thread at READY=1 (not waiting for a core)
    rss_mib: float  # peak resident memory, 1.5 s after READY=1


def main_thread_cpu_seconds(pid: int) -> float:
    """CPU time of a process's main thread so far, in nanoseconds' precision (schedstat).

    On a shared virtual machine the wall clock also counts the time spent waiting for a
    core; the CPU time does not, and repeats within a few per cent.
    """
    with open(f"/proc/{pid}/schedstat", encoding="ascii") as stat:
        return int(stat.read().split()[0]) / 1e9


def measure(command: list[str], env: dict[str, str], sock_dir: Path) -> Start:
    """One start: wall and CPU time to READY=1, and peak RSS."""
    address = str(sock_dir / "notify.sock")
    if os.path.exists(address):
        os.unlink(address)
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(address)
        listener.settimeout(60)
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            env={**env, "NOTIFY_SOCKET": address},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("BENCH_DEBUG") else subprocess.DEVNULL,
        )
        while True:
            message = listener.recv(256)
            if b"READY=1" in message:
                break
        elapsed = time.perf_counter() - start
        cpu = main_thread_cpu_seconds(process.pid)
    time.sleep(SETTLE_SECONDS)  # let the kiosk finish its set-up after READY: steady RSS
    process.terminate()
    _, _, usage = os.wait4(process.pid, 0)
    return Start(elapsed, cpu, usage.ru_maxrss / 1024)


def summarize(name: str, starts: list[Start]) -> None:
    wall = [start.seconds * 1000 for start in starts]
    cpu = [start.cpu_seconds * 1000 for start in starts]
    print(
        f"{name:<24} wall median {statistics.median(wall):6.1f} ms (min {min(wall):6.1f})"
        f"   CPU median {statistics.median(cpu):6.1f} ms"
        f"   peak RSS {max(start.rss_mib for start in starts):6.1f} MiB"
    )


def paired_ratio(kiosk: list[Start], floor: list[Start], what: str) -> float:
    """Median of kiosk/floor over runs made back to back: the machine's slow moments,
    which hit both of a pair, cancel out."""
    pairs = zip(kiosk, floor, strict=True)
    ratios: list[float] = [getattr(k, what) / getattr(f, what) for k, f in pairs]
    return statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--backoffice", choices=("none", "http"), default="none",
        help="none: no back office (the figure kept since the first session); http: a "
             "paired terminal whose back office is unreachable (what a terminal loads)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env = installed_like_env(tmp_path)
        config = terminal_config(tmp_path, args.backoffice)
        # The installed console script, as systemd starts it (not `python -m`, which adds
        # runpy's import to every start).
        script = Path(sys.executable).with_name("kiosk")
        kiosk = [str(script), "--config", str(config)]
        floor = [sys.executable, "-c", FLOOR]
        measure(kiosk, env, tmp_path)  # warm the file cache and the keyring file
        floor_samples: list[Start] = []
        kiosk_samples: list[Start] = []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            floor_samples.append(measure(floor, env, tmp_path))
            kiosk_samples.append(measure(kiosk, env, tmp_path))
    print(f"start-up to READY=1, {args.runs} runs each, offscreen platform, "
          f"back office: {args.backoffice}")
    summarize("floor (bare QLabel)", floor_samples)
    summarize("kiosk (welcome screen)", kiosk_samples)
    rss = max(start.rss_mib for start in kiosk_samples)
    print(
        f"ratio wall {paired_ratio(kiosk_samples, floor_samples, 'seconds'):.2f}x, "
        f"CPU {paired_ratio(kiosk_samples, floor_samples, 'cpu_seconds'):.2f}x (goal <= 1.3x); "
        f"RSS {rss:.1f} MiB (goal < 110 MiB)"
    )


if __name__ == "__main__":
    main()
