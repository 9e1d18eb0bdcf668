"""Start-up in CPU instructions, counted by valgrind: the same figure on every run.

The wall clock of bench/startup.py moves by a third between runs on a shared machine,
which hides a change of a few milliseconds. Valgrind's callgrind counts the instructions
each process executes until the welcome screen is shown (the kiosk) or the label is
painted (the floor): the count repeats within 0.2 %, so a change of 1 % is real. It is
a proxy for time, not time: it does not see cache misses, disk or the window system.

    .venv/bin/python bench/startup_instructions.py

Needs valgrind (``apt-get install valgrind``; not needed by the kiosk or its tests).
Each process is run once to warm the bytecode cache, then once under valgrind (about
ten seconds each).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

# The project, not bench/, comes first: bench/queue.py would hide the standard `queue`.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.startup import FLOOR, installed_like_env, terminal_config  # noqa: E402

# The kiosk as the console script runs it, stopped as soon as KioskApp.show() returns
# (the window painted, READY=1 sent) so that the set-up after READY is not counted. The
# modules come in the command's order: PySide, then the fix of kiosk/pyside_sources.py,
# then wiring.app (only wiring.commands.run is imported before the command line is read).
KIOSK = """
import os, sys
import wiring.commands.run as run
with_config = run.run_with_config
def stop_at_ready(config, windowed):
    import PySide6.QtWidgets
    from kiosk.pyside_sources import answer_from_file_bytes
    answer_from_file_bytes()
    import wiring.app
    shown = wiring.app.KioskApp.show
    def show(self):
        shown(self)
        os._exit(0)
    wiring.app.KioskApp.show = show
    return with_config(config, windowed=windowed)
run.run_with_config = stop_at_ready
from wiring.cli import main
sys.exit(main(sys.argv[1:]))
"""
# The floor exits once it has sent READY=1 (bench/startup.py's floor, up to its loop).
FLOOR_UNTIL_READY = FLOOR.replace("app.exec()", "os._exit(0)")


def instructions(code: str, argv: list[str], env: dict[str, str]) -> int:
    command = [sys.executable, "-c", code, *argv]
    subprocess.run(command, env=env, check=True, capture_output=True)  # bytecode cache
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count from valgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    with tempfile.TemporaryDirectory() as tmp, notify:
        tmp_path = Path(tmp)
        env = installed_like_env(tmp_path)
        env["NOTIFY_SOCKET"] = str(tmp_path / "notify.sock")
        notify.bind(env["NOTIFY_SOCKET"])  # READY=1 is sent there; nobody needs to read it
        floor = instructions(FLOOR_UNTIL_READY, [], env)
        kiosk = instructions(KIOSK, ["--config", str(terminal_config(tmp_path, "none"))], env)
    print("start-up to READY=1 in instructions (valgrind callgrind), offscreen 1920x1080")
    print(f"floor (bare QLabel)      {floor / 1e6:8.1f} M")
    print(f"kiosk (welcome screen)   {kiosk / 1e6:8.1f} M")
    print(f"ratio {kiosk / floor:.2f}x (a proxy: the goal is on time, bench/startup.py)")


if __name__ == "__main__":
    main()
