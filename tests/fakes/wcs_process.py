"""The fake w.c.s. (``tests/fakes/wcs_server.py``) in a subprocess, and its test controls."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests

from tests.fakes.process import running_fake
from tests.fakes.wcs_server import CONFIG_ENV

ORIG = "borne-test"
KEY = "cle-de-test-0123456789abcdef"


@dataclass
class RunningWcs:
    """A started fake w.c.s.: its URL and what it stored."""

    url: str

    def faults(
        self,
        submit: Sequence[str] = (),
        lookup: Sequence[str] = (),
        code: Sequence[str] = (),
        **settings: Any,
    ) -> None:
        """Queue faults for the coming submit / list / tracking code requests, or change
        ``clock_offset`` or ``keys`` (and ``roleless``)."""
        order = {"submit": list(submit), "list": list(lookup), "code": list(code), **settings}
        requests.post(f"{self.url}/__fake__/faults", json=order, timeout=10).raise_for_status()

    def stored(self) -> dict[str, list[dict[str, Any]]]:
        """Every form stored, per slug: ``{"id", "data", "meta", "context", "status",
        "tracking_code"}`` (``status`` None for a draft)."""
        answer = requests.get(f"{self.url}/__fake__/forms", timeout=10)
        answer.raise_for_status()
        forms: dict[str, list[dict[str, Any]]] = answer.json()["forms"]
        return forms

    def set_status(self, slug: str, number: str, status: str, *, endpoint: bool = False) -> None:
        """Move form ``number`` of ``slug`` to ``status``, as an agent would."""
        self.faults(status={"slug": slug, "id": number, "status": status, "name": status,
                            "endpoint": endpoint})

    def submit_requests(self) -> int:
        """How many submit requests reached it."""
        return int(requests.get(f"{self.url}/__fake__/forms", timeout=10).json()["requests"])


@contextmanager
def running_wcs(
    formdefs: Mapping[str, Sequence[str]], keys: Mapping[str, str] | None = None,
    *, schemas: Mapping[str, Any] | None = None, old_schema: bool = False,
    tracking_codes: Sequence[str] = (),
) -> Iterator[RunningWcs]:
    """Start the fake (formdefs: slug -> its varnames; schemas: slug -> the schema it
    serves, else one made of the varnames; tracking_codes: the slugs of the forms that
    have them); stop it on exit. Every API access has a role (``faults(keys=...,
    roleless=[...])`` changes that)."""
    config = {
        "keys": dict(keys or {ORIG: KEY}),
        "tracking_codes": list(tracking_codes),
        "formdefs": {slug: list(varnames) for slug, varnames in formdefs.items()},
        "schemas": dict(schemas or {}),
        "old_schema": old_schema,
    }
    with running_fake("tests.fakes.wcs_server", CONFIG_ENV, config) as url:
        yield RunningWcs(url=url)
