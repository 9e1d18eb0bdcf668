"""The fake Open311 server (``tests/fakes/open311_server.py``) in a subprocess, and its
test controls."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests

from tests.fakes.open311_server import CONFIG_ENV
from tests.fakes.process import running_fake

API_KEY = "cle-open311-de-test"


@dataclass
class RunningOpen311:
    """A started fake Open311 server: its GeoReport v2 endpoint and what it stored."""

    url: str

    def control(
        self, post: Sequence[str] = (), lookup: Sequence[str] = (), **settings: Any
    ) -> None:
        """Queue faults for the coming POST / search requests, or change ``mode``,
        ``searchable``, ``status`` (see the fake's docstring)."""
        order = {"post": list(post), "lookup": list(lookup), **settings}
        requests.post(f"{self.url}/__fake__/control", json=order, timeout=10).raise_for_status()

    def _state(self) -> dict[str, Any]:
        answer = requests.get(f"{self.url}/__fake__/stored", timeout=10)
        answer.raise_for_status()
        state: dict[str, Any] = answer.json()
        return state

    def stored(self) -> list[dict[str, Any]]:
        """Every request stored, with its form fields (``"form"``: name -> values)."""
        records: list[dict[str, Any]] = self._state()["requests"]
        return records

    def with_reference(self, reference: str) -> list[dict[str, Any]]:
        """The stored requests whose description holds ``reference``."""
        return [r for r in self.stored() if reference in r["description"]]

    def posts(self) -> int:
        """How many POST requests.json reached it."""
        return int(self._state()["posts"])


@contextmanager
def running_open311(
    services: Mapping[str, Mapping[str, Any]], *, mode: str = "spec",
    api_keys: Sequence[str] = (API_KEY,),
) -> Iterator[RunningOpen311]:
    """Start the fake (services: code -> ``{"service_name", "attributes"}``); stop it on exit."""
    config = {"services": {code: dict(s) for code, s in services.items()},
              "api_keys": list(api_keys), "mode": mode}
    with running_fake("tests.fakes.open311_server", CONFIG_ENV, config) as url:
        yield RunningOpen311(url=url)
