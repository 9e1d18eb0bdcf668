"""The fake w.c.s. (``tests/fakes/wcs_server.py``) in a subprocess, and its test controls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests

from tests.fakes.wcs_server import CONFIG_ENV

ORIG = "borne-test"
KEY = "cle-de-test-0123456789abcdef"


@dataclass
class RunningWcs:
    """A started fake w.c.s.: its URL and what it stored."""

    url: str
    process: subprocess.Popen[str]

    def faults(
        self,
        submit: Sequence[str] = (),
        lookup: Sequence[str] = (),
        **settings: Any,
    ) -> None:
        """Queue faults for the coming submit / list requests, or change ``clock_offset``
        or ``keys``."""
        order = {"submit": list(submit), "list": list(lookup), **settings}
        requests.post(f"{self.url}/__fake__/faults", json=order, timeout=10).raise_for_status()

    def stored(self) -> dict[str, list[dict[str, Any]]]:
        """Every form stored, per slug: ``{"id", "data", "meta", "context"}``."""
        answer = requests.get(f"{self.url}/__fake__/forms", timeout=10)
        answer.raise_for_status()
        forms: dict[str, list[dict[str, Any]]] = answer.json()["forms"]
        return forms

    def submit_requests(self) -> int:
        """How many submit requests reached it."""
        return int(requests.get(f"{self.url}/__fake__/forms", timeout=10).json()["requests"])


@contextmanager
def running_wcs(
    formdefs: Mapping[str, Sequence[str]], keys: Mapping[str, str] | None = None
) -> Iterator[RunningWcs]:
    """Start the fake (formdefs: slug -> its varnames); stop it on exit."""
    config = {
        "keys": dict(keys or {ORIG: KEY}),
        "formdefs": {slug: list(varnames) for slug, varnames in formdefs.items()},
    }
    env = {**os.environ, CONFIG_ENV: json.dumps(config)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.wcs_server"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("LISTENING "):
            raise RuntimeError(f"the fake w.c.s. did not start: {line!r}")
        yield RunningWcs(url=line.split(" ", 1)[1].strip(), process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
