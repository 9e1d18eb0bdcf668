"""What Orca would read of the kiosk, gathered in one private accessibility session.

Run inside its own D-Bus session (``dbus-run-session -- python -m tests.ui.atspi_session
DATA_DIR OUT``): it starts Xvfb, the kiosk on Qt's xcb platform with its AT-SPI bridge
always on (``tests.ui.atspi_kiosk``), brings the kiosk to each screen of ``STEPS`` and
reads it with pyatspi from the system Python (``tests.ui.atspi_reader``). It writes one
JSON object to OUT: for each step, the tree (and, for ``refused``, what was announced).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO

SYSTEM_PYTHON = "/usr/bin/python3"
READER = str(Path(__file__).with_name("atspi_reader.py"))
ROOT = Path(__file__).resolve().parents[2]
# (name, command for the kiosk, listen for announcements while it runs)
STEPS = (
    ("welcome", "scene welcome", False),
    ("settings", "scene settings", False),
    ("refused", "refused", True),
    ("place", "scene signalement-rue-02", False),
    ("receipt", "receipt", False),
    ("arabic", "language ar", False),
)
LISTEN_SECONDS = 3.0


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as displayfd:
        number = displayfd.readline().strip()
    if not number:
        raise SystemExit("Xvfb did not start")
    return xvfb, f":{number}"


def expect(stream: IO[str], line: str) -> None:
    got = stream.readline().strip()
    if got != line:
        raise SystemExit(f"the kiosk said {got!r}, not {line!r}")


def read(*args: str) -> object:
    done = subprocess.run(
        [SYSTEM_PYTHON, READER, *args], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(done.stdout)


def main(data_dir: str, out: str) -> int:
    xvfb, display = start_xvfb()
    environment = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "QT_ACCESSIBILITY": "1",
    }
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.atspi_kiosk", data_dir],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert kiosk.stdin is not None
    assert kiosk.stdout is not None
    results: dict[str, object] = {}
    try:
        expect(kiosk.stdout, "ready")
        pid = str(kiosk.pid)
        for name, command, listen in STEPS:
            listener = None
            if listen:
                listener = subprocess.Popen(
                    [SYSTEM_PYTHON, READER, "events", pid, str(LISTEN_SECONDS)],
                    stdout=subprocess.PIPE,
                    text=True,
                )
                assert listener.stdout is not None
                expect(listener.stdout, "listening")
            kiosk.stdin.write(command + "\n")
            kiosk.stdin.flush()
            expect(kiosk.stdout, f"done {command}")
            if listener is not None:
                heard, _ = listener.communicate(timeout=60)
                results[f"{name}-events"] = json.loads(heard)
            results[name] = read("tree", pid)
    finally:
        kiosk.stdin.close()
        kiosk.wait(timeout=30)
        xvfb.terminate()
        xvfb.wait(timeout=10)
    Path(out).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
