"""A fake back office (a module of tests/fakes) in a subprocess on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def running_fake(module: str, config_env: str, config: Any) -> Iterator[str]:
    """Start ``python -m module`` with ``config`` as JSON in ``$config_env``; yield the URL
    it prints (``LISTENING <url>``); stop it on exit."""
    env = {**os.environ, config_env: json.dumps(config)}
    with subprocess.Popen(  # closes its pipe on exit
        [sys.executable, "-m", module],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            if not line.startswith("LISTENING "):
                raise RuntimeError(f"the fake {module} did not start: {line!r}")
            yield line.split(" ", 1)[1].strip()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
